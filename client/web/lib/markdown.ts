// A small, safe subset of Markdown for post bodies, parsed into a tree that components render
// as Lit templates (text and attribute bindings only: no HTML is ever made from text):
// paragraphs, > quotes, - and 1. lists, ``` code blocks, `code`, *emphasis*, **strong**,
// [label](https://...) links, and bare links and #hashtags as before (text.ts). Anything else
// is text. Every rule scans forward with bounded look-ups and nesting, so a hostile body costs
// time in proportion to its length.
import { excerpt, safeHref, segmentText, type Segment } from './text.ts';

export type Inline =
  | Segment
  | { type: 'em' | 'strong'; children: Inline[] }
  | { type: 'code'; text: string }
  /** A link whose label is not its address: `host` is shown beside the label, so the label cannot pass for another site. */
  | { type: 'named-link'; text: string; href: string; host: string };

export type Block =
  | { type: 'para'; inlines: Inline[] }
  | { type: 'quote'; blocks: Block[] }
  | { type: 'list'; ordered: boolean; start: number; items: Inline[][] }
  | { type: 'code-block'; text: string };

/** Quotes inside quotes, and emphasis inside emphasis, deeper than this stay text. */
const MAX_QUOTE_DEPTH = 4;
const MAX_INLINE_DEPTH = 4;
/** Items of one list; a longer list goes on as another. */
const MAX_LIST_ITEMS = 500;

const FENCE = /^ {0,3}```/;
const QUOTE = /^ {0,3}> ?/;
const ITEM = /^ {0,3}(?:([-*+])|(\d{1,9})[.)])[ \t]+/;
const BLANK = /^[ \t]*$/;

export function parseMarkdown(body: string, depth = 0): Block[] {
  const lines = body.split('\n');
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (BLANK.test(line)) {
      i++;
      continue;
    }
    // A fence opens a code block only where a later line closes it (the opening line's rest
    // names a language, which is not shown); a lone fence is text.
    const end = FENCE.test(line) ? lines.findIndex((l, k) => k > i && FENCE.test(l)) : -1;
    if (end > 0) {
      blocks.push({ type: 'code-block', text: lines.slice(i + 1, end).join('\n') });
      i = end + 1;
      continue;
    }
    if (QUOTE.test(line) && depth < MAX_QUOTE_DEPTH) {
      const inner: string[] = [];
      while (i < lines.length && QUOTE.test(lines[i]!)) inner.push(lines[i++]!.replace(QUOTE, ''));
      blocks.push({ type: 'quote', blocks: parseMarkdown(inner.join('\n'), depth + 1) });
      continue;
    }
    const first = ITEM.exec(line);
    if (first) {
      const ordered = first[2] !== undefined;
      const items: string[][] = [];
      while (i < lines.length) {
        const l = lines[i]!;
        const m = ITEM.exec(l);
        if (m && (m[2] !== undefined) === ordered && items.length < MAX_LIST_ITEMS) items.push([l.slice(m[0].length)]);
        else if (!BLANK.test(l) && !m && !FENCE.test(l) && !QUOTE.test(l) && /^[ \t]/.test(l)) items.at(-1)!.push(l.trim());
        else break;
        i++;
      }
      blocks.push({ type: 'list', ordered, start: ordered ? Math.min(Number(first[2]), 1e9) : 1, items: items.map((it) => parseInline(it.join('\n'))) });
      continue;
    }
    const para: string[] = [lines[i++]!];
    while (i < lines.length && !BLANK.test(lines[i]!) && !FENCE.test(lines[i]!) && !(QUOTE.test(lines[i]!) && depth < MAX_QUOTE_DEPTH) && !ITEM.test(lines[i]!)) para.push(lines[i++]!);
    blocks.push({ type: 'para', inlines: parseInline(para.join('\n')) });
  }
  return blocks;
}

/** The next index in a sorted list at or after `from`, or -1. */
function nextAt(sorted: number[], from: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < from) lo = mid + 1;
    else hi = mid;
  }
  return lo < sorted.length ? sorted[lo]! : -1;
}

const WORD = /[\p{L}\p{N}]/u;
const SPACE = /\s/u;
const NAMED_LINK = /\[([^[\]\n]{1,300})\]\((https?:\/\/[^\s()<>]{1,2000})\)/y;

/** Where each delimiter could close, found once per text: every later look-up is a binary search. */
function closers(text: string) {
  const found = { '**': [] as number[], __: [] as number[], '*': [] as number[], _: [] as number[], ticks: new Map<number, number[]>() };
  for (let j = 0; j < text.length; j++) {
    const c = text[j]!;
    if (c === '`') {
      let k = j;
      while (text[k] === '`') k++;
      const list = found.ticks.get(k - j) ?? [];
      list.push(j);
      found.ticks.set(k - j, list);
      j = k - 1;
      continue;
    }
    if (c !== '*' && c !== '_') continue;
    // A run of one is emphasis, of two strong; a closing run follows text.
    let k = j;
    while (text[k] === c) k++;
    const run = k - j;
    const before = text[j - 1] ?? ' ';
    const after = text[k] ?? ' ';
    if (run <= 2 && !SPACE.test(before) && !(c === '_' && WORD.test(after))) found[`${c}${run === 2 ? c : ''}` as '*' | '**' | '_' | '__'].push(j);
    j = k - 1;
  }
  return found;
}

/** Inline spans of one paragraph or list item. */
export function parseInline(text: string, depth = 0): Inline[] {
  const out: Inline[] = [];
  const close = closers(text);
  let plain = 0;
  const flush = (end: number) => {
    if (end > plain) out.push(...segmentText(text.slice(plain, end)));
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '`') {
      let k = i;
      while (text[k] === '`') k++;
      const run = k - i;
      const end = nextAt(close.ticks.get(run) ?? [], k);
      if (end >= 0 && text[end + run] !== '`') {
        flush(i);
        out.push({ type: 'code', text: text.slice(k, end) });
        i = plain = end + run;
      } else i = k;
      continue;
    }
    if (c === '[') {
      NAMED_LINK.lastIndex = i;
      const m = NAMED_LINK.exec(text);
      const href = m ? safeHref(m[2]!) : null;
      if (m && href) {
        flush(i);
        const label = m[1]!.trim();
        const host = new URL(href).host;
        out.push(label === m[2] || label === href ? { type: 'link', text: label, href } : { type: 'named-link', text: label, href, host });
        i = plain = i + m[0].length;
        continue;
      }
    }
    if (c === '*' || c === '_') {
      let k = i;
      while (text[k] === c) k++;
      const run = k - i;
      const after = text[k] ?? ' ';
      const before = text[i - 1] ?? ' ';
      const opens = depth < MAX_INLINE_DEPTH && run <= 2 && !SPACE.test(after) && !(c === '_' && WORD.test(before));
      const end = opens ? nextAt(close[`${c}${run === 2 ? c : ''}` as '*' | '**' | '_' | '__'], k + 1) : -1;
      if (end >= 0) {
        flush(i);
        out.push({ type: run === 2 ? 'strong' : 'em', children: parseInline(text.slice(k, end), depth + 1) });
        i = plain = end + run;
        continue;
      }
      // An unmatched run is text: skipped whole, so "*****" costs one step.
      i = k;
      continue;
    }
    i++;
  }
  flush(text.length);
  return out;
}

/** The text a person reads, without the markup: for excerpts and search. */
export function plainText(blocks: Block[]): string {
  const inline = (xs: Inline[]): string => xs.map((x) => ('children' in x ? inline(x.children) : x.text)).join('');
  return blocks
    .map((b) => {
      if (b.type === 'para') return inline(b.inlines);
      if (b.type === 'quote') return plainText(b.blocks);
      if (b.type === 'list') return b.items.map(inline).join('\n');
      return b.text;
    })
    .join('\n\n');
}

/** A post's one-line excerpt without its markup; only its start is parsed, however long it is. */
export function postExcerpt(body: string, max = 80): string {
  return excerpt(plainText(parseMarkdown(body.slice(0, max * 8))), max);
}
