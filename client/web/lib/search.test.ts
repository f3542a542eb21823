import { test } from 'vitest';
import assert from 'node:assert/strict';
import type { ShownPost } from '#shared';
import { fold, queryWords, searchPosts } from './search.ts';

const post = (id: string, body: string, ts = 1): ShownPost => ({ id, author: 'k', name: 'n', ts, body, verified: true }) as ShownPost;

test('folding ignores case, accents, marks, bidi controls and punctuation', () => {
  assert.equal(fold('Rélais, B!').key, 'relais b');
  assert.equal(fold('ÉCOLE\u0301').key, 'ecole');
  // Arabic with vowel marks and tatweel, and an alef with hamza, fold to the bare letters.
  assert.equal(fold('المُرَحِّل').key, fold('المرحل').key);
  assert.equal(fold('أمل').key, fold('امل').key);
  assert.equal(fold('\u2067ليلى\u2069').key, 'ليلى');
  assert.deepEqual(queryWords('  **Relay**   b  '), ['relay', 'b']);
  assert.deepEqual(queryWords('!!!'), []);
  // Each folded character points back into the original text.
  const f = fold('Ünïcode');
  assert.equal(f.key, 'unicode');
  assert.equal(f.from.length, f.key.length);
});

test('every word must occur; results are newest first, with the match cut out of its context', () => {
  const threads = [
    { id: 't1', title: 'Relays', posts: [post('a', 'Relay B works from here', 1), post('b', 'nothing to see', 2)] },
    { id: 't2', title: 'المرحّلات', posts: [post('c', 'المُرَحِّل ب يعمل جيداً', 3), post('d', 'RELAY b is back, rélay C too', 4)] },
  ];
  const hits = searchPosts(threads, 'relay b');
  assert.deepEqual(hits.map((h) => h.post.id), ['d', 'a']);
  assert.equal(hits[0]!.match, 'RELAY');
  assert.equal(hits[1]!.before + hits[1]!.match + hits[1]!.after, 'Relay B works from here');
  const arabic = searchPosts(threads, 'المرحل');
  assert.deepEqual(arabic.map((h) => [h.threadId, h.match]), [['t2', 'المُرَحِّل']]);
  assert.deepEqual(searchPosts(threads, ''), []);
  assert.deepEqual(searchPosts(threads, 'absent'), []);
});

test('bidi overrides in a body do not hide a match or shift it', () => {
  const hits = searchPosts([{ id: 't', title: 'T', posts: [post('x', 'see \u202eexe.live\u202c and relay B')] }], 'relay');
  assert.equal(hits[0]!.match, 'relay');
  assert.ok(!/[\u202a-\u202e]/.test(hits[0]!.before + hits[0]!.after));
});

test('a long body gives a bounded context; many posts search in bounded time', () => {
  const long = `${'word '.repeat(5000)}needle${' word'.repeat(5000)}`;
  const [hit] = searchPosts([{ id: 't', title: 'T', posts: [post('x', long)] }], 'needle');
  assert.ok(hit!.before.length <= 62 && hit!.after.length <= 62, `${hit!.before.length} ${hit!.after.length}`);
  const many = Array.from({ length: 3000 }, (_, i) => post(`p${i}`, `post ${i} about relays and mirrors, with some more words to fold ${'é'.repeat(200)}`, i));
  const start = performance.now();
  const hits = searchPosts([{ id: 't', title: 'T', posts: many }], 'mirrors');
  const first = performance.now() - start;
  assert.equal(hits.length, 50);
  assert.equal(hits[0]!.post.id, 'p2999');
  const again = performance.now();
  searchPosts([{ id: 't', title: 'T', posts: many }], 'relays');
  assert.ok(first < 5000, `${first.toFixed(0)} ms`);
  assert.ok(performance.now() - again < first, 'folded bodies are kept between searches');
});

test('Markdown markers are neither searched nor shown', () => {
  const [hit] = searchPosts([{ id: 't', title: 'T', posts: [post('m', '**Relay B** works, see [the list](https://x.test/relays)')] }], 'relay list');
  assert.equal(hit!.before + hit!.match + hit!.after, 'Relay B works, see the list');
  assert.deepEqual(searchPosts([{ id: 't', title: 'T', posts: [post('m', '**Relay B**')] }], 'x.test'), []);
});
