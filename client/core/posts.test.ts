import { test } from 'vitest';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { addPost, createSpace, generateIdentity, initSodium, listPosts, postsMap, signPost } from '#shared';
import { listThreadPosts, newestThreadPosts } from './posts.ts';

await initSodium();

test('the newest posts are the last of listPosts, with honest verdicts; a replaced entry is checked again', () => {
  const thread = createSpace('thread').spaceId;
  const author = generateIdentity();
  const doc = new Y.Doc();
  for (let i = 0; i < 30; i++) addPost(doc, signPost(author, { threadSpaceId: thread, name: 'a', body: `post ${i}`, ts: 1000 + i }));
  // A forged post (signature of another body) and junk entries.
  const forged = { ...signPost(author, { threadSpaceId: thread, name: 'a', body: 'real', ts: 5000 }), body: 'forged' };
  postsMap(doc).set(forged.id, forged);
  postsMap(doc).set('junk', 42);
  const all = listPosts(doc, thread);
  assert.deepEqual(listThreadPosts(doc, thread), all);
  assert.deepEqual(newestThreadPosts(doc, thread, 5), all.slice(-5));
  assert.equal(newestThreadPosts(doc, thread, 1)[0]!.verified, false, 'the forged post is the newest and unverified');
  assert.equal(newestThreadPosts(doc, thread, 100).length, 31);
  // Another thread id: the kept verdicts do not carry over.
  assert.ok(newestThreadPosts(doc, createSpace('thread').spaceId, 3).every((p) => !p.verified));
  // The forged entry replaced by the genuine one: a new object, checked again.
  const genuine = { ...forged, body: 'real' };
  postsMap(doc).set(genuine.id, genuine);
  assert.equal(newestThreadPosts(doc, thread, 1)[0]!.verified, true);
});

test('the listing shows what listPosts shows, checks a replaced entry again, and cuts a forged body', () => {
  const thread = createSpace('thread').spaceId;
  const doc = new Y.Doc();
  const me = generateIdentity();
  const posts = ['Relays carry ciphertext.', 'Mirrors keep threads alive.', 'A bundle travels by hand.'].map((body, i) =>
    signPost(me, { threadSpaceId: thread, name: 'Amira', body, ts: 1000 + i }),
  );
  for (const p of posts) addPost(doc, p);
  assert.deepEqual(listThreadPosts(doc, thread), listPosts(doc, thread));
  // A writer overwrites a post with a forged body: the new entry is verified anew and fails.
  postsMap(doc).set(posts[1]!.id, { ...posts[1]!, body: 'forged' });
  const after = listThreadPosts(doc, thread);
  assert.deepEqual(after, listPosts(doc, thread));
  assert.equal(after.find((p) => p.id === posts[1]!.id)!.verified, false);
  // Junk entries are skipped, as listPosts does.
  postsMap(doc).set('junk', 42);
  postsMap(doc).set('other', { id: 'mismatch', body: 'x', ts: 1 });
  assert.equal(listThreadPosts(doc, thread).length, 3);
  // An oversized forged body is cut for display, not rendered whole.
  postsMap(doc).set(posts[2]!.id, { ...posts[2]!, body: 'x'.repeat(1_000_000) });
  const huge = listThreadPosts(doc, thread).find((p) => p.id === posts[2]!.id)!;
  assert.equal(huge.verified, false);
  assert.equal(huge.body.length, 20_000);
});
