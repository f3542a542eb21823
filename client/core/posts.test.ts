import { test } from 'vitest';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { addPost, createSpace, generateIdentity, initSodium, listPosts, postsMap, signPost } from '../../shared/index.ts';
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
