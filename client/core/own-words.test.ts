import { beforeAll, describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import {
  addPost,
  deletePostText,
  generateIdentity,
  initSodium,
  postsMap,
  revisionsMap,
  signPost,
  signRevision,
  tombstoneDeleted,
  toBase64url,
  verifyRevision,
  type Identity,
  type SpaceId,
} from '#shared';
import { PostWatch, revisePosts } from './own-words.ts';
import { listThreadPosts } from './posts.ts';
import { snapshotPieces } from './snapshot.ts';

const THREAD = 'ck_F1uEZRwTEfka_FdjBXcL8vv5qbseSsxsUDao7bV4' as SpaceId;
let alice: Identity, mallory: Identity;
beforeAll(async () => {
  await initSodium();
  [alice, mallory] = [generateIdentity(), generateIdentity()];
});

const view = (doc: Y.Doc, watch?: PostWatch) => revisePosts(doc, THREAD, listThreadPosts(doc, THREAD), watch);
const bytesHave = (bytes: Uint8Array, text: string) => Buffer.from(bytes).includes(Buffer.from(text));

function threadWith(body: string) {
  const doc = new Y.Doc();
  const post = signPost(alice, { threadSpaceId: THREAD, name: 'Alice', body, ts: 1000 });
  addPost(doc, post);
  return { doc, post };
}

describe('deleting and editing one\'s own posts', () => {
  test('an edit shows the new text, marked edited, with the earlier texts as history', () => {
    const { doc, post } = threadWith('first words');
    const e1 = signRevision(alice, THREAD, { post: post.id, kind: 'edit', body: 'second words', ts: 2000 });
    const e2 = signRevision(alice, THREAD, { post: post.id, kind: 'edit', body: 'third words', ts: 3000 });
    revisionsMap(doc).set(e2.id, e2);
    revisionsMap(doc).set(e1.id, e1);
    const [shown] = view(doc);
    expect(shown).toMatchObject({ body: 'third words', edited: true, editedAt: 3000, deleted: false });
    expect(shown!.history).toEqual([{ body: 'first words', ts: 1000 }, { body: 'second words', ts: 2000 }]);
  });

  test('records by anyone but the author, forged or for another thread, change nothing', () => {
    const { doc, post } = threadWith('mine');
    const theirs = signRevision(mallory, THREAD, { post: post.id, kind: 'delete' });
    const theirEdit = signRevision(mallory, THREAD, { post: post.id, kind: 'edit', body: 'not mine' });
    const posing = { ...signRevision(mallory, THREAD, { post: post.id, kind: 'edit', body: 'forged' }), author: toBase64url(alice.publicKey) };
    const elsewhere = signRevision(alice, 'x'.repeat(43), { post: post.id, kind: 'delete' });
    for (const r of [theirs, theirEdit, posing, elsewhere]) revisionsMap(doc).set(r.id, r);
    expect(verifyRevision(THREAD, posing.id, posing)).toBeNull();
    expect(view(doc)[0]).toMatchObject({ body: 'mine', deleted: false, edited: false, tampered: false });
    // A tombstone a writer puts in place of the post does not count without the author's delete.
    postsMap(doc).set(post.id, { id: post.id, author: post.author, name: 'Alice', ts: 1000, deleted: true });
    expect(view(doc)).toEqual([]);
  });

  test('a delete leaves no text in the doc, nor in a snapshot of it', () => {
    const { doc, post } = threadWith('words to take back');
    const edit = signRevision(alice, THREAD, { post: post.id, kind: 'edit', body: 'an edited version', ts: 2000 });
    revisionsMap(doc).set(edit.id, edit);
    deletePostText(doc, signRevision(alice, THREAD, { post: post.id, kind: 'delete' }), post);
    const [shown] = view(doc);
    expect(shown).toMatchObject({ id: post.id, author: post.author, name: 'Alice', body: '', deleted: true, verified: true, history: [] });
    const snapshot = Y.mergeUpdates(snapshotPieces(doc, 256 * 1024));
    expect(bytesHave(snapshot, 'words to take back')).toBe(false);
    expect(bytesHave(snapshot, 'an edited version')).toBe(false);
    // Another device applying the snapshot sees the same.
    const other = new Y.Doc();
    Y.applyUpdate(other, snapshot);
    expect(view(other)[0]).toMatchObject({ deleted: true, body: '' });
  });

  test('compaction tombstones a post whose author deleted it from another device', () => {
    const { doc, post } = threadWith('still in the map');
    const del = signRevision(alice, THREAD, { post: post.id, kind: 'delete' });
    revisionsMap(doc).set(del.id, del);
    expect(view(doc)[0]).toMatchObject({ deleted: true, body: '' });
    expect(tombstoneDeleted(doc, THREAD)).toBe(1);
    expect(bytesHave(Y.encodeStateAsUpdate(doc), 'still in the map')).toBe(false);
    expect(tombstoneDeleted(doc, THREAD)).toBe(0);
  });

  test('a post a writer takes out of the map, or replaces, is kept from what this device saw, flagged', () => {
    const { doc, post } = threadWith('evidence');
    const watch = new PostWatch();
    expect(view(doc, watch)[0]!.tampered).toBe(false);
    postsMap(doc).delete(post.id);
    expect(view(doc, watch)[0]).toMatchObject({ id: post.id, body: 'evidence', tampered: true });
    const impostor = signPost(mallory, { threadSpaceId: THREAD, name: 'Alice', body: 'I never said that', ts: 1000, id: post.id });
    addPost(doc, impostor);
    const shown = view(doc, watch);
    expect(shown).toHaveLength(1);
    expect(shown[0]).toMatchObject({ body: 'evidence', author: post.author, tampered: true });
    // A view that opens only now cannot know.
    expect(view(doc)[0]).toMatchObject({ body: 'I never said that', tampered: false });
  });

  test('edits are bounded like posts', () => {
    const { post } = threadWith('x');
    expect(() => signRevision(alice, THREAD, { post: post.id, kind: 'edit', body: 'y'.repeat(20_001) })).toThrow();
    const ok = signRevision(alice, THREAD, { post: post.id, kind: 'edit', body: 'y' });
    expect(verifyRevision(THREAD, ok.id, { ...ok, body: 'y'.repeat(20_001) })).toBeNull();
    expect(verifyRevision(THREAD, ok.id, { ...ok, extra: true })).toBeNull();
  });
});
