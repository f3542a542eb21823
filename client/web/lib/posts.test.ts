import { test, beforeAll } from 'vitest';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { addPost, createSpace, generateIdentity, initSodium, listPosts, postsMap, signPost } from '../../../shared/index.ts';
import { PostCache } from './posts.ts';

beforeAll(async () => {
  await initSodium();
});

test('the cache lists what listPosts lists, and a replaced entry is checked again', () => {
  const thread = createSpace('thread').spaceId;
  const doc = new Y.Doc();
  const me = generateIdentity();
  const posts = ['Relays carry ciphertext.', 'Mirrors keep threads alive.', 'A bundle travels by hand.'].map((body, i) =>
    signPost(me, { threadSpaceId: thread, name: 'Amira', body, ts: 1000 + i }),
  );
  for (const p of posts) addPost(doc, p);
  const cache = new PostCache();
  assert.deepEqual(cache.list(doc, thread), listPosts(doc, thread));
  // A writer overwrites a post with a forged body: the new entry is verified anew and fails.
  postsMap(doc).set(posts[1]!.id, { ...posts[1]!, body: 'forged' });
  const after = cache.list(doc, thread);
  assert.deepEqual(after, listPosts(doc, thread));
  assert.equal(after.find((p) => p.id === posts[1]!.id)!.verified, false);
  // Junk entries are skipped, as listPosts does.
  postsMap(doc).set('junk', 42);
  postsMap(doc).set('other', { id: 'mismatch', body: 'x', ts: 1 });
  assert.equal(cache.list(doc, thread).length, 3);
  // An oversized forged body is cut for display, not rendered whole.
  postsMap(doc).set(posts[2]!.id, { ...posts[2]!, body: 'x'.repeat(1_000_000) });
  const huge = cache.list(doc, thread).find((p) => p.id === posts[2]!.id)!;
  assert.equal(huge.verified, false);
  assert.equal(huge.body.length, 20_000);
});
