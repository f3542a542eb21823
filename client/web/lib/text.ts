// Post text as plain segments: text, links and hashtags. Rendering these as Lit text and
// attribute bindings (never as HTML) keeps a post from ever becoming markup.

export type Segment =
  | { type: 'text'; text: string }
  | { type: 'link'; text: string; href: string }
  | { type: 'tag'; text: string; tag: string };

// A URL runs to the next space; closing punctuation at its end belongs to the sentence.
const LINK = /\bhttps?:\/\/[^\s<>"'`]+/giu;
const TRAILING = /[.,;:!?)\]}'"»”’]+$/u;
// A hashtag starts after a non-word character (or at the start) and holds letters, digits, _ and -.
const TAG = /(^|[^\p{L}\p{N}_&/#])#([\p{L}\p{N}_][\p{L}\p{N}_-]{0,63})/gu;

/** A link's target, or null unless it is a well-formed http(s) URL. */
export function safeHref(text: string): string | null {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

export function segmentText(body: string): Segment[] {
  const out: Segment[] = [];
  let last = 0;
  for (const m of body.matchAll(LINK)) {
    let url = m[0];
    const trail = TRAILING.exec(url);
    if (trail) url = url.slice(0, url.length - trail[0].length);
    const href = safeHref(url);
    const start = m.index;
    if (!href) continue;
    pushTags(out, body.slice(last, start));
    out.push({ type: 'link', text: url, href });
    last = start + url.length;
  }
  pushTags(out, body.slice(last));
  return out;
}

function pushTags(out: Segment[], text: string): void {
  let last = 0;
  for (const m of text.matchAll(TAG)) {
    const start = m.index + m[1]!.length;
    if (start > last) out.push({ type: 'text', text: text.slice(last, start) });
    out.push({ type: 'tag', text: `#${m[2]}`, tag: m[2]!.toLowerCase() });
    last = start + 1 + m[2]!.length;
  }
  if (last < text.length) out.push({ type: 'text', text: text.slice(last) });
}

/** The distinct hashtags of a text, lower-cased, in order of first use. */
export function hashtags(body: string): string[] {
  const tags: string[] = [];
  for (const s of segmentText(body)) if (s.type === 'tag' && !tags.includes(s.tag)) tags.push(s.tag);
  return tags;
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * A one-line excerpt, for "in reply to" lines and titles: cut at its logical end, between
 * graphemes (never inside a letter with its marks, or an emoji), so right-to-left text loses
 * its end as left-to-right text does, whichever side that is drawn on.
 */
export function excerpt(body: string, max = 80): string {
  const line = body.replace(/\s+/g, ' ').trim();
  if (line.length <= max) return line;
  // A grapheme is rarely over 16 code units: only the start of a long text is segmented.
  const parts: string[] = [];
  for (const { segment } of graphemes.segment(line.slice(0, max * 16))) {
    parts.push(segment);
    if (parts.length > max) break;
  }
  if (parts.length <= max && line.length <= max * 16) return line;
  return `${parts.slice(0, max - 1).join('').trimEnd()}…`;
}

/**
 * Text from other members without bidi embeddings and overrides (U+202A-U+202E): an override
 * shows "evil.exe" as "exe.live". Isolates stay: each name and body is isolated already, and
 * isolates are how mixed-direction text is written correctly.
 */
export function withoutOverrides(text: string): string {
  return text.replace(/[\u202a-\u202e]/g, '');
}
