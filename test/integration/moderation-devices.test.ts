// Members and moderation across devices (docs/PROTOCOL.md §6): clients with their own stores,
// synced through a real relay. Deletes and edits reach every device; records by a writer who is
// neither owner nor moderator change nothing anywhere; a moderator's hide reaches everyone;
// a compaction after a delete leaves the text out of the new epoch.
import { afterAll, beforeAll, expect, test } from 'vitest';
import * as Y from 'yjs';
import { addModRecord, generateIdentity, initSodium, modSigningText, readModRecords, revisionsMap, signModRecord, signRevision, sodium, toBase64url, utf8, type Identity, type ModRecord } from '#shared';
import { BatonClient } from '#client-core/client.ts';
import { MemoryStore } from '#client-core/store.ts';
import { createBoard, createThread, deletePost, editPost, editSummary, listThreads, openThread, post, revisedPosts, threadSummary } from '#client-core/boards.ts';
import { summaryEditors } from '#client-core/summary-editors.ts';
import { MemoryDeviceMemory } from '#client-core/device-memory.ts';
import { hideOf, type Authority } from '#client-core/authority.ts';
import { ModerationBook, appointModerator, dismissModerator, hidePost } from '#client-core/moderation.ts';
import type { Space } from '#client-core/space.ts';
import { startRelay, type Relay } from '#server/index.ts';
import { NodeWS, until } from './client-fixtures.ts';

await initSodium();

let relay: Relay;
const clients: BatonClient[] = [];
beforeAll(async () => {
  relay = await startRelay({ host: '127.0.0.1', port: 0, log: () => {} });
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await relay.close();
});

function device(name: string, identity: Identity = generateIdentity(), o: { compactAfterBlobs?: number } = {}): BatonClient {
  const c = new BatonClient({ store: new MemoryStore(), identity, name, connection: { WebSocket: NodeWS, maxBackoffMs: 200 }, batchMs: 10, compactJitterMs: 0, ...o });
  clients.push(c);
  return c;
}

const keyOf = (c: BatonClient) => toBase64url(c.identity.publicKey);
const authorityAt = (board: Space, memory = new MemoryDeviceMemory()): Authority => new ModerationBook(memory, board.spaceId).authority(board.requireRead(), board.cap.owner ?? null);
const find = (thread: Space, id: string) => revisedPosts(thread).find((p) => p.id === id);

test('deletes, edits and hides reach every device; a non-moderator\'s records change nothing', async () => {
  const alice = device('alice');
  const { board, caps } = await createBoard(alice, { title: 'Square', relays: [relay.url] });
  const { thread, id: threadId } = await createThread(alice, board, { title: 'Meeting', body: 'Saturday at noon' });
  expect(board.cap.owner).toBe(keyOf(alice));

  const bob = device('bob');
  const mallory = device('mallory');
  const carol = device('carol');
  const bobBoard = await bob.open(caps.write);
  const malloryBoard = await mallory.open(caps.write);
  const carolBoard = await carol.open(caps.read);
  for (const b of [bobBoard, malloryBoard, carolBoard]) {
    expect(b.cap.owner).toBe(keyOf(alice));
    await b.whenSynced({ timeoutMs: 8000 });
    // Synced with what the relay held when it answered: alice's thread may still be on its way.
    expect(await until(() => listThreads(b).some((t) => t.id === threadId))).toBe(true);
  }
  const bobThread = await openThread(bob, bobBoard, threadId);
  const malloryThread = await openThread(mallory, malloryBoard, threadId);
  const carolThread = await openThread(carol, carolBoard, threadId);
  const everyone = [thread, bobThread, malloryThread, carolThread];
  await until(() => everyone.every((t) => revisedPosts(t).length === 1));

  // Bob posts twice, edits one and deletes the other.
  const kept = post(bob, bobThread, { body: 'I will bring water' }).id;
  const gone = post(bob, bobThread, { body: 'my address is 12 Elm Street' }).id;
  expect(await until(() => everyone.every((t) => find(t, gone)?.body === 'my address is 12 Elm Street'))).toBe(true);
  editPost(bob, bobThread, kept, 'I will bring water and bread');
  deletePost(bob, bobThread, gone);
  expect(await until(() => everyone.every((t) => find(t, kept)?.edited === true && find(t, gone)?.deleted === true), 10_000)).toBe(true);
  for (const t of everyone) {
    expect(find(t, kept)).toMatchObject({ body: 'I will bring water and bread', edited: true, history: [{ body: 'I will bring water' }] });
    expect(find(t, gone)).toMatchObject({ body: '', deleted: true, author: keyOf(bob) });
    expect(Buffer.from(Y.encodeStateAsUpdate(t.requireRead())).includes(Buffer.from('12 Elm Street'))).toBe(false);
  }

  // Mallory, a writer without authority, signs records of every kind into the board and thread.
  const malloryKey = keyOf(mallory);
  const hostile = [
    signModRecord(mallory.identity, board.spaceId, { kind: 'hide', thread: threadId, post: kept }),
    signModRecord(mallory.identity, board.spaceId, { kind: 'appoint', target: malloryKey }),
    signModRecord(mallory.identity, board.spaceId, { kind: 'owner-add', target: malloryKey }),
    signModRecord(mallory.identity, board.spaceId, { kind: 'hide-key', target: keyOf(bob) }),
    // A record claiming the owner's key: its signature fails.
    { ...signModRecord(mallory.identity, board.spaceId, { kind: 'appoint', target: malloryKey }), by: keyOf(alice) },
  ];
  // The owner's key, stolen for one record: a hide whose reason is far over the limit, validly
  // signed, is still refused as malformed by every reader.
  const long: Omit<ModRecord, 'sig'> = { id: 'A'.repeat(21) + 'A', kind: 'hide', by: keyOf(alice), ts: 1, thread: threadId, post: kept, reason: 'x'.repeat(50_000) };
  hostile.push({ ...long, sig: toBase64url(sodium().crypto_sign_detached(utf8(modSigningText(board.spaceId, long)), alice.identity.secretKey)) });
  malloryBoard.requireWrite().transact(() => hostile.forEach((r) => addModRecord(malloryBoard.requireWrite(), r)));
  malloryBoard.flush();
  // And revisions of Bob's post under her own key and under his.
  const revs = malloryThread.requireWrite();
  const edit = signRevision(mallory.identity, threadId, { post: kept, kind: 'edit', body: 'I will bring nothing' });
  const del = { ...signRevision(mallory.identity, threadId, { post: kept, kind: 'delete' }), author: keyOf(bob) };
  revs.transact(() => [edit, del].forEach((r) => revisionsMap(revs).set(r.id, r)));
  malloryThread.flush();

  const boards = [board, bobBoard, malloryBoard, carolBoard];
  expect(await until(() => boards.every((b) => readModRecords(b.requireRead(), b.spaceId).length === hostile.length))).toBe(true);
  expect(await until(() => everyone.every((t) => revisionsMap(t.requireRead()).size >= 3))).toBe(true);
  for (const b of boards) {
    const a = authorityAt(b);
    expect(a.owners).toEqual([keyOf(alice)]);
    expect(a.moderators).toEqual([]);
    expect(a.hiddenPosts.size + a.hiddenKeys.size).toBe(0);
    expect(a.flagged.map((f) => f.reason).sort()).toEqual(['bad-signature', 'malformed', 'no-authority', 'no-authority', 'no-authority', 'no-authority']);
  }
  for (const t of everyone) expect(find(t, kept)).toMatchObject({ body: 'I will bring water and bread', deleted: false });

  // The owner appoints Bob; his hide of Mallory's post reaches everyone, with its reason.
  const spam = post(mallory, malloryThread, { body: 'buy cheap watches' }).id;
  appointModerator({ board, identity: alice.identity, authority: authorityAt(board) }, keyOf(bob));
  expect(await until(() => authorityAt(bobBoard).moderators.includes(keyOf(bob)))).toBe(true);
  hidePost({ board: bobBoard, identity: bob.identity, authority: authorityAt(bobBoard) }, { thread: threadId, post: spam, reason: 'spam' });
  const hiddenEverywhere = () =>
    boards.every((b, i) => {
      const p = find(everyone[i]!, spam);
      return p !== undefined && hideOf(authorityAt(b), threadId, spam, p.author)?.reason === 'spam';
    });
  expect(await until(hiddenEverywhere)).toBe(true);
  // Mallory's own client refuses to sign a hide: she is no moderator.
  expect(() => hidePost({ board: malloryBoard, identity: mallory.identity, authority: authorityAt(malloryBoard) }, { thread: threadId, post: kept })).toThrow(/owner or a moderator/);

  // The summary: Bob writes it, Mallory rewrites it; every device names both, newest first.
  editSummary(bobThread, 'Meet at noon, bring water.');
  expect(await until(() => threadSummary(malloryThread) === 'Meet at noon, bring water.')).toBe(true);
  editSummary(malloryThread, 'Meeting cancelled.');
  expect(await until(() => everyone.every((t) => threadSummary(t) === 'Meeting cancelled.'))).toBe(true);
  for (const t of everyone) expect(summaryEditors(t)).toEqual([malloryKey, keyOf(bob)]);

  // Dismissed, Bob's hide lapses everywhere.
  dismissModerator({ board, identity: alice.identity, authority: authorityAt(board) }, keyOf(bob));
  expect(await until(() => boards.every((b) => authorityAt(b).moderators.length === 0 && authorityAt(b).hiddenPosts.size === 0))).toBe(true);
}, 60_000);

test('a compaction after a delete leaves the text out of the new epoch', async () => {
  const alice = device('alice', generateIdentity(), { compactAfterBlobs: 8 });
  const { board, caps } = await createBoard(alice, { title: 'B', relays: [relay.url] });
  const { thread, id: threadId } = await createThread(alice, board, { title: 'T' });
  const secret = post(alice, thread, { body: 'the meeting point is the old mill' }).id;
  deletePost(alice, thread, secret);
  for (let i = 0; i < 10; i++) post(alice, thread, { body: `filler ${i}` });
  expect(await until(() => thread.epoch >= 1, 15_000)).toBe(true);
  await thread.whenDelivered(undefined, { timeoutMs: 8000 });
  // A fresh device lands on the new epoch: its doc never held the text.
  const fresh = device('fresh');
  const freshBoard = await fresh.open(caps.read);
  await freshBoard.whenSynced({ timeoutMs: 8000 });
  const freshThread = await openThread(fresh, freshBoard, threadId);
  expect(await until(() => revisedPosts(freshThread).length === 11, 10_000)).toBe(true);
  expect(freshThread.epoch).toBeGreaterThanOrEqual(1);
  expect(find(freshThread, secret)).toMatchObject({ deleted: true, body: '' });
  expect(Buffer.from(Y.encodeStateAsUpdate(freshThread.requireRead())).includes(Buffer.from('old mill'))).toBe(false);
}, 60_000);
