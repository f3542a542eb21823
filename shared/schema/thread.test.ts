import { beforeAll, test } from 'vitest';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { toBase64url } from '../bytes.ts';
import { initSodium } from '../sodium.ts';
import { signPost } from './post.ts';
import { addPost, initThreadDoc, listPosts, postsMap, readThreadInfo, summaryText, threadMap } from './thread.ts';
import { testIdentity, testRoom } from '#test/support/rooms.ts';
import type { SpaceId } from '../ids.ts';

let thread: SpaceId;

beforeAll(async () => {
  await initSodium();
  thread = testRoom(1).cap.spaceId;
});

const postId = (n: number) => toBase64url(new Uint8Array(16).fill(n));

test('thread info, posts oldest first, and the summary', () => {
  const doc = new Y.Doc();
  assert.deepEqual(readThreadInfo(doc), { title: '', createdAt: 0, boardId: '' });
  initThreadDoc(doc, { title: 'Plans', createdAt: 3, boardId: 'b' });
  assert.deepEqual(readThreadInfo(doc), { title: 'Plans', createdAt: 3, boardId: 'b' });
  const p2 = signPost(testIdentity(1), { threadSpaceId: thread, name: 'B', body: 'second', ts: 20, id: postId(2), replyTo: postId(1) });
  const p1 = signPost(testIdentity(2), { threadSpaceId: thread, name: 'A', body: 'first', ts: 10, id: postId(1) });
  addPost(doc, p2);
  addPost(doc, p1);
  const shown = listPosts(doc, thread);
  assert.deepEqual(shown.map((p) => [p.id, p.verified, p.replyTo]), [
    [postId(1), true, null],
    [postId(2), true, postId(1)],
  ]);
  assert.equal(shown[0]!.author, p1.author);
  summaryText(doc).insert(0, 'So far: ');
  assert.equal(summaryText(doc).toString(), 'So far: ');
});

test('a post whose signature fails is listed as unverified', () => {
  const doc = new Y.Doc();
  const p = signPost(testIdentity(1), { threadSpaceId: thread, name: 'A', body: 'real', ts: 10, id: postId(1) });
  addPost(doc, { ...p, body: 'tampered' });
  const [shown] = listPosts(doc, thread);
  assert.equal(shown?.verified, false);
  assert.equal(shown?.body, 'tampered');
  // Signed for another thread: unverified here.
  const elsewhere = signPost(testIdentity(1), { threadSpaceId: testRoom(2).cap.spaceId, name: 'A', body: 'x', ts: 11, id: postId(2) });
  addPost(doc, elsewhere);
  assert.equal(listPosts(doc, thread).find((s) => s.id === postId(2))?.verified, false);
});

test('hostile entries in the thread maps are skipped, not crashing', () => {
  const doc = new Y.Doc();
  const good = signPost(testIdentity(1), { threadSpaceId: thread, name: 'A', body: 'good', ts: 10, id: postId(1) });
  doc.transact(() => {
    const posts = postsMap(doc);
    addPost(doc, good);
    posts.set('null', null);
    posts.set('str', 'a string');
    posts.set('num', 5);
    posts.set('bytes', new Uint8Array([1]));
    posts.set('arr', [1, 2]);
    posts.set('ymap', new Y.Map());
    posts.set('ytext', new Y.Text('x'));
    posts.set(postId(3), { ...good, id: postId(4) }); // key and id disagree
    posts.set(postId(5), { id: postId(5), body: 9, ts: 1 });
    posts.set(postId(6), { id: postId(6), body: 'b', ts: 'soon' });
    posts.set(postId(7), { id: postId(7), body: 'no author', ts: 7, name: 'a\nb', author: 12, sig: null });
    threadMap(doc).set('title', 42);
    threadMap(doc).set('boardId', ['x']);
  });
  const received = new Y.Doc();
  Y.applyUpdate(received, Y.encodeStateAsUpdate(doc));
  for (const d of [doc, received]) {
    const shown = listPosts(d, thread);
    assert.deepEqual(shown.map((p) => [p.id, p.verified]), [
      [postId(7), false],
      [postId(1), true],
    ]);
    assert.equal(shown[0]!.name, 'a b');
    assert.equal(shown[0]!.author, '');
    assert.deepEqual(readThreadInfo(d), { title: '', createdAt: 0, boardId: '' });
  }
});
