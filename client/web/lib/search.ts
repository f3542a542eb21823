// Search within a board, over the posts this device holds, decrypted here: nothing of a query
// or its results leaves the device. Text is compared in a folded form (as names are,
// client/core/names.ts): compatibility-decomposed, lower case, without accents and other
// marks, invisible and bidi characters, with punctuation as spaces, so "relais", "Relais" and
// "rélais" match, and so do Arabic words with and without their vowel marks.
import type { ShownPost } from '#shared';
import { parseMarkdown, plainText } from './markdown.ts';
import { withoutOverrides } from './text.ts';

/** Results shown at most, and the characters of context on each side of a match. */
export const MAX_HITS = 50;
const CONTEXT = 60;

/** A text's folded form, and for each of its characters the index in the original it came from. */
export interface Folded {
  key: string;
  from: number[];
}

const DROP = /[\p{M}\p{Cf}\p{Cc}\u0640]/u; // marks, invisible and bidi controls, Arabic tatweel
const SPACE = /[\p{Z}\s\p{P}\p{S}]/u;

export function fold(text: string): Folded {
  let key = '';
  const from: number[] = [];
  let space = true; // no leading space
  let i = 0;
  for (const ch of text) {
    for (const c of ch.normalize('NFKD').toLowerCase()) {
      if (DROP.test(c)) continue;
      if (SPACE.test(c)) {
        if (!space) (key += ' '), from.push(i);
        space = true;
        continue;
      }
      key += c;
      for (let k = 0; k < c.length; k++) from.push(i);
      space = false;
    }
    i += ch.length;
  }
  if (key.endsWith(' ')) (key = key.slice(0, -1)), from.pop();
  return { key, from };
}

/** The words of a query, folded; empty when it has no letters or digits. */
export function queryWords(query: string): string[] {
  return fold(query).key.split(' ').filter((w) => w !== '');
}

export interface Match {
  start: number;
  end: number;
}

/** Where each word occurs in the text (the first place), or null unless every word does. */
export function findWords(folded: Folded, textLength: number, words: string[]): Match[] | null {
  const out: Match[] = [];
  for (const w of words) {
    const at = folded.key.indexOf(w);
    if (at < 0) return null;
    const last = at + w.length;
    out.push({ start: folded.from[at]!, end: last < folded.from.length ? folded.from[last]! : textLength });
  }
  return out;
}

export interface SearchThread {
  id: string;
  title: string;
  posts: ShownPost[];
}

export interface Hit {
  threadId: string;
  threadTitle: string;
  post: ShownPost;
  /** The text around the first match, split so the match itself can be marked. */
  before: string;
  match: string;
  after: string;
}

/** Folded bodies (bidi overrides dropped, as shown), kept per post while its body is the same. */
const cache = new Map<string, { body: string; shown: string; folded: Folded }>();
const MAX_CACHED = 20_000;

function foldedBody(post: ShownPost): { shown: string; folded: Folded } {
  const key = `${post.id}:${post.author}`;
  const known = cache.get(key);
  if (known && known.body === post.body) return known;
  // Searched and shown as it reads: without Markdown's markers.
  const shown = plainText(parseMarkdown(withoutOverrides(post.body)));
  const entry = { body: post.body, shown, folded: fold(shown) };
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(key, entry);
  return entry;
}

/** Posts whose body holds every word of the query, newest first, at most MAX_HITS. */
export function searchPosts(threads: SearchThread[], query: string): Hit[] {
  const words = queryWords(query);
  if (words.length === 0) return [];
  const hits: Hit[] = [];
  for (const thread of threads) {
    for (const post of thread.posts) {
      const { shown, folded } = foldedBody(post);
      const found = findWords(folded, shown.length, words);
      if (!found) continue;
      const { start, end } = found.reduce((a, b) => (b.start < a.start ? b : a));
      hits.push({
        threadId: thread.id,
        threadTitle: thread.title,
        post,
        before: cutStart(shown.slice(Math.max(0, start - CONTEXT * 2), start)),
        match: shown.slice(start, end),
        after: cutEnd(shown.slice(end, end + CONTEXT * 2)),
      });
    }
  }
  return hits.sort((a, b) => b.post.ts - a.post.ts).slice(0, MAX_HITS);
}

const oneLine = (t: string) => t.replace(/\s+/g, ' ');

function cutStart(text: string): string {
  const t = oneLine(text);
  return t.length > CONTEXT ? `…${t.slice(t.length - CONTEXT).replace(/^\S*\s/, '')}` : t;
}

function cutEnd(text: string): string {
  const t = oneLine(text);
  return t.length > CONTEXT ? `${t.slice(0, CONTEXT).replace(/\s\S*$/, '')}…` : t;
}
