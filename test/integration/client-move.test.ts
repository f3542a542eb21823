// Moving a board without a member, through the client core against a real relay, each member
// a device of its own (its own store and identity): who may move, what a move by anyone else
// changes (nothing), and what a writer of the successor can forge there (nothing verified).
import { afterEach, beforeAll, test } from 'vitest';
import assert from 'node:assert/strict';
import {
  addCarriedRecord,
  addMoveRecord,
  createSpace,
  generateIdentity,
  initSodium,
  movedMap,
  postsMap,
  signCarried,
  signMove,
  signPost,
  toBase64url,
  type Identity,
} from '#shared';
import { BatonClient, ClientError, MemoryDeviceMemory, MemoryStore, boardAuthority, boards, followMove, moderation, moveState, removeMember, restoreMove, type Space } from '#client-core';
import { startRelay, type Relay } from '#server/index.ts';
import { NodeWS, until } from './client-fixtures.ts';

let relay: Relay;
const clients: BatonClient[] = [];
beforeAll(async () => {
  await initSodium();
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await relay?.close();
});

const keyOf = (id: Identity) => toBase64url(id.publicKey);

function device(name: string): BatonClient {
  const client = new BatonClient({ store: new MemoryStore(), identity: generateIdentity(), name, connection: { WebSocket: NodeWS, maxBackoffMs: 200 } });
  clients.push(client);
  return client;
}

async function opened(client: BatonClient, cap: string): Promise<Space> {
  const space = await client.open(cap);
  await space.whenSynced({ timeoutMs: 8000 });
  return space;
}

async function boardWithPosts() {
  relay = await startRelay({ host: '127.0.0.1', port: 0, log: () => {} });
  const [alice, bob, mallory] = [device('alice'), device('bob'), device('mallory')];
  const { board, caps } = await boards.createBoard(alice, { title: 'Square', relays: [relay.url] });
  const { id: threadId, thread } = await boards.createThread(alice, board, { title: 'Meeting', body: 'noon' });
  await thread.whenDelivered(undefined, { timeoutMs: 8000 });
  for (const c of [bob, mallory]) {
    const b = await opened(c, caps.write);
    const t = await boards.openThread(c, b, threadId);
    await t.whenSynced({ timeoutMs: 8000 });
    const { written } = boards.post(c, t, { body: `from ${c.name}` });
    await t.whenDelivered(written, { timeoutMs: 8000 });
  }
  await until(() => boards.posts(thread).length === 3);
  return { alice, bob, mallory, board, caps, threadId };
}

test('a move signed by a writer who is neither owner nor moderator changes nothing for anyone', async () => {
  const { alice, bob, mallory, caps } = await boardWithPosts();
  const bobBoard = bob.get((await bob.open(caps.write)).spaceId)!;
  // Through the API: refused before anything is written.
  await assert.rejects(removeMember(bob, bobBoard, keyOf(mallory.identity)), (e: ClientError) => e.code === 'forbidden');
  // By hand: a well-formed record and a link blob naming a board of bob's own.
  const fake = createSpace('board', [relay.url]);
  const record = signMove(bobBoard.spaceId, bob.identity, { successor: fake, removed: [keyOf(alice.identity)], members: [keyOf(bob.identity), keyOf(mallory.identity)] });
  addMoveRecord(bobBoard.requireWrite(), record);
  await bobBoard.whenDelivered(bobBoard.flush(), { timeoutMs: 8000 });
  const malloryBoard = await opened(mallory, caps.write);
  await until(() => moveState(malloryBoard).refused.length > 0);
  const state = moveState(malloryBoard);
  assert.equal(state.moved, false);
  assert.deepEqual(state.refused.map((r) => [r.by, r.reason]), [[keyOf(bob.identity), 'not-authority']]);
  await assert.rejects(followMove(mallory, malloryBoard), (e: ClientError) => e.code === 'bad-input');
  assert.equal(moveState(alice.get(malloryBoard.spaceId)!).moved, false);
});

test('the owner moves; members follow; the successor shows carried posts verified and nothing a writer forges there', async () => {
  const { alice, bob, mallory, board, caps, threadId } = await boardWithPosts();
  // Before the move, Bob edits his post and a third member deletes hers: the successor carries the edit, not the deleted text.
  const bobThread = bob.get(threadId as never)!;
  const bobPost = boards.revisedPosts(bobThread).find((p) => p.body === 'from bob')!;
  await bobThread.whenDelivered(boards.editPost(bob, bobThread, bobPost.id, 'from bob, corrected'), { timeoutMs: 8000 });
  const dana = device('dana');
  const danaThread = await boards.openThread(dana, await opened(dana, caps.write), threadId);
  await danaThread.whenSynced({ timeoutMs: 8000 });
  const said = boards.post(dana, danaThread, { body: 'taken back' });
  await danaThread.whenDelivered(said.written, { timeoutMs: 8000 });
  await danaThread.whenDelivered(boards.deletePost(dana, danaThread, said.id), { timeoutMs: 8000 });
  const aliceThread = alice.get(threadId as never)!;
  await until(() => boards.revisedPosts(aliceThread).some((p) => p.edited) && boards.revisedPosts(aliceThread).some((p) => p.deleted));
  const removal = await removeMember(alice, board, keyOf(mallory.identity), { timeoutMs: 8000 });
  assert.deepEqual(removal.invited.sort(), [keyOf(alice.identity), keyOf(bob.identity), keyOf(dana.identity)].sort());
  for (const s of alice.openSpaces()) await s.whenDelivered(undefined, { timeoutMs: 8000 });

  const bobOld = bob.get(board.spaceId)!;
  await until(() => moveState(bobOld).moved);
  const next = await followMove(bob, bobOld);
  assert.equal(next.spaceId, removal.successor.spaceId);
  assert.equal(next.access, 'write');
  await next.whenSynced({ timeoutMs: 8000 });
  await until(() => boards.listThreads(next).length === 1);
  const thread = await boards.openThread(bob, next, boards.listThreads(next)[0]!.id);
  await until(() => boards.posts(thread).length === 3);
  assert.deepEqual(boards.posts(thread).map((p) => [p.body, p.verified]), [['noon', true], ['from bob', true], ['from mallory', true]]);
  await until(() => boards.revisedPosts(thread).some((p) => p.edited));
  assert.deepEqual(
    boards.revisedPosts(thread).map((p) => [p.body, p.verified, p.edited, p.history.map((h) => h.body)]),
    [['noon', true, false, []], ['from bob, corrected', true, true, ['from bob']], ['from mallory', true, false, []]],
    'the edit is carried; the deleted post is not',
  );
  assert.ok(removal.invited.includes(keyOf(dana.identity)), 'a member whose only post she deleted is still a member who posted');

  // Bob, a writer of the successor, forges: a post signed in another thread, named as carried,
  // and a carried record of his own to make it count. Both show as unverified.
  const elsewhere = createSpace('thread').spaceId;
  const replayed = { ...signPost(mallory.identity, { threadSpaceId: elsewhere, name: 'mallory', body: 'words from elsewhere' }), from: elsewhere };
  const doc = thread.requireWrite();
  doc.transact(() => {
    postsMap(doc).set(replayed.id, replayed);
    addCarriedRecord(doc, signCarried(thread.spaceId, bob.identity, [elsewhere]));
  });
  thread.flush();
  const forged = boards.posts(thread).find((p) => p.id === replayed.id);
  assert.equal(forged?.verified, false);
  assert.equal(boards.posts(thread).filter((p) => p.verified).length, 3);

  // Mallory cannot follow: the board moved without her.
  const malloryOld = mallory.get(board.spaceId)!;
  await until(() => moveState(malloryOld).moved);
  const seen = moveState(malloryOld);
  assert.ok(seen.moved && !seen.invited && seen.successor === null && seen.problem === null);
  await assert.rejects(followMove(mallory, malloryOld), (e: ClientError) => e.code === 'moved' && /moved without you/.test(e.message));
  // The successor's links for readers are what the mover got.
  assert.equal(removal.caps.read.split(':')[2], next.spaceId);
  await assert.rejects(removeMember(alice, board, keyOf(bob.identity)), (e: ClientError) => e.code === 'moved');
});

test('a moderator may remove only when the owners allow it; the successor keeps the other owners and moderators', async () => {
  const { alice, bob, mallory, board, threadId } = await boardWithPosts();
  const dave = device('dave');
  const m = () => ({ board, identity: alice.identity, authority: boardAuthority(board)! });
  moderation.appointModerator(m(), keyOf(bob.identity));
  moderation.appointModerator(m(), keyOf(dave.identity));
  const hidden = boards.posts(alice.get(threadId as never)!).find((p) => p.body === 'from mallory')!;
  moderation.hidePost(m(), { thread: threadId, post: hidden.id, reason: 'off topic' });
  for (const s of alice.openSpaces()) await s.whenDelivered(undefined, { timeoutMs: 8000 });
  const bobBoard = bob.get(board.spaceId)!;
  await until(() => boardAuthority(bobBoard)!.moderators.length === 2);
  await assert.rejects(removeMember(bob, bobBoard, keyOf(mallory.identity)), (e: ClientError) => e.code === 'forbidden');
  moderation.allowModeratorsToRemove(m(), true);
  for (const s of alice.openSpaces()) await s.whenDelivered(undefined, { timeoutMs: 8000 });
  await until(() => boardAuthority(bobBoard)!.moderatorsMayRemove);
  const removal = await removeMember(bob, bobBoard, keyOf(mallory.identity), { timeoutMs: 8000 });
  const authority = boardAuthority(removal.successor)!;
  assert.equal(authority.owner, keyOf(bob.identity), 'the mover owns the successor: it signs what carries posts into it');
  assert.deepEqual(authority.owners.sort(), [keyOf(alice.identity), keyOf(bob.identity)].sort());
  assert.deepEqual(authority.moderators, [keyOf(dave.identity)]);
  assert.equal(authority.moderatorsMayRemove, true);
  const carriedThread = boards.listThreads(removal.successor)[0]!.id;
  assert.deepEqual([...authority.hiddenPosts.entries()].map(([k, h]) => [k, h.reason]), [[`${carriedThread}/${hidden.id}`, 'off topic']], 'the hide follows the post');
  for (const s of bob.openSpaces()) await s.whenDelivered(undefined, { timeoutMs: 8000 });
  const aliceOld = alice.get(board.spaceId)!;
  await until(() => moveState(aliceOld).moved);
  const followed = await followMove(alice, aliceOld);
  assert.equal(followed.spaceId, removal.successor.spaceId);
});

test('a removed writer who takes the move record out of the old board: members who saw it keep following, and write it back', async () => {
  const { alice, bob, mallory, board, caps } = await boardWithPosts();
  const removal = await removeMember(alice, board, keyOf(mallory.identity), { timeoutMs: 8000 });
  for (const s of alice.openSpaces()) await s.whenDelivered(undefined, { timeoutMs: 8000 });
  const bobOld = bob.get(board.spaceId)!;
  const memory = new MemoryDeviceMemory();
  await until(() => moveState(bobOld, { memory }).moved);
  await bob.close();
  clients.splice(clients.indexOf(bob), 1);

  // Mallory deletes the record from the shared map: a device that never saw it learns nothing.
  const malloryOld = mallory.get(board.spaceId)!;
  await until(() => movedMap(malloryOld.plain!).size > 0);
  malloryOld.plain!.transact(() => movedMap(malloryOld.plain!).clear());
  await malloryOld.whenDelivered(malloryOld.flush(), { timeoutMs: 8000 });
  const erin = device('erin');
  const erinOld = await opened(erin, caps.read);
  await until(() => erinOld.plain !== null && boards.listThreads(erinOld).length === 1);
  assert.equal(moveState(erinOld).moved, false);

  // Bob's device remembers the move: it still follows it, and writes the record back.
  const bobAgain = new BatonClient({ store: new MemoryStore(), identity: bob.identity, name: 'bob', connection: { WebSocket: NodeWS, maxBackoffMs: 200 } });
  clients.push(bobAgain);
  const reopened = await opened(bobAgain, caps.write);
  await until(() => movedMap(reopened.plain!).size === 0 && boards.listThreads(reopened).length === 1);
  const state = moveState(reopened, { memory });
  assert.ok(state.moved && state.to === removal.successor.spaceId && state.invited);
  assert.equal(restoreMove(reopened, { memory }), true);
  await reopened.whenDelivered(undefined, { timeoutMs: 8000 });
  assert.ok(await until(() => moveState(erinOld).moved), 'the record is back for everyone');
});
