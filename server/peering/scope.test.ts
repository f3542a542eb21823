// A peer link's scope: which rooms it carries, and what it learns from the remote (a real
// relay on a loopback port) and from the board's link blobs (a real registry).
import assert from 'node:assert/strict';
import { afterAll, beforeAll, it } from 'vitest';
import { initSodium, parseRoomName, type SpaceId } from '#shared';
import { writeBlobs } from '#test/integration/peer-fixtures.ts';
import { nameOf, openRegistry, writer } from '#test/support/relay-parts.ts';
import { testIdentity, testLink, testRoom, testUpdate } from '#test/support/rooms.ts';
import { DEFAULT_RELAY_LIMITS } from '../config.ts';
import { startRelay, type Relay } from '../index.ts';
import { RemoteRelay } from './remote.ts';
import { Level, PeerScope } from './scope.ts';

await initSodium();
const author = testIdentity(9);
const board = testRoom(20, 0, 'board');
const thread = testRoom(21);
const boardId = board.cap.spaceId as SpaceId;
const threadId = thread.cap.spaceId as SpaceId;

let remote: Relay;
beforeAll(async () => {
  remote = await startRelay({ host: '127.0.0.1', port: 0, verify: 'inline', log: () => {} });
});
afterAll(() => remote.close());

it('a full peer carries every room; a mirror its root and the children it learned', () => {
  const peer = new PeerScope({ kind: 'peer' });
  assert.ok(peer.has(nameOf(thread)) && peer.has(nameOf(board)));
  const mirror = new PeerScope({ kind: 'mirror', root: boardId, rootKind: 'board' });
  assert.ok(mirror.has(`${boardId}.3`));
  assert.equal(mirror.has(nameOf(thread)), false);
  assert.equal(mirror.has('not a room'), false);
  mirror.learnSpace(threadId);
  assert.ok(mirror.has(`${threadId}.1`));
  assert.deepEqual([...mirror.spaces], [boardId, threadId]);
});

it('a learned space has its epoch 0 caught up at once, and only once', () => {
  const mirror = new PeerScope({ kind: 'mirror', root: boardId, rootKind: 'board' });
  assert.deepEqual([...mirror.dirty], [`${boardId}.0`]);
  mirror.dirty.clear();
  mirror.learnSpace(threadId);
  mirror.learnSpace(threadId);
  assert.deepEqual([...mirror.dirty], [`${threadId}.0`]);
  mirror.dirty.clear();
  mirror.learnSpace(threadId);
  assert.equal(mirror.dirty.size, 0);
});

it('asks the remote which epochs it holds of new spaces, and of every space on a mirror\'s sweep', async () => {
  await writeBlobs(remote, `${threadId}.0`, [testUpdate(thread, author)]);
  await writeBlobs(remote, `${threadId}.2`, [testUpdate(testRoom(21, 2), author)]);
  const relay = new RemoteRelay(remote.url, DEFAULT_RELAY_LIMITS);
  const mirror = new PeerScope({ kind: 'mirror', root: boardId, rootKind: 'board' });
  mirror.learnSpace(threadId);
  mirror.dirty.clear();
  await mirror.learnEpochs(relay, false);
  assert.deepEqual([...mirror.dirty], [`${threadId}.2`], 'the epoch it did not know');
  assert.ok(mirror.known.has(`${threadId}.0`) && mirror.known.has(`${threadId}.2`));
  mirror.dirty.clear();
  await mirror.learnEpochs(relay, false);
  assert.equal(mirror.dirty.size, 0, 'nothing new');
  await writeBlobs(remote, `${threadId}.3`, [testUpdate(testRoom(21, 3), author)]);
  await mirror.learnEpochs(relay, true);
  assert.deepEqual([...mirror.dirty], [`${threadId}.3`], 'a sweep asks again');
  relay.stop();
});

it('a mirror learns the threads its board links to from the registry, and the rooms of the remote\'s list', async () => {
  const parts = await openRegistry();
  try {
    const link = writer()([testLink(board, thread.cap.writePub)]);
    const accepted = await parts.registry.with(parseRoomName(nameOf(board))!, async (room) => {
      const result = await room.receiveVerified(link, null);
      await parts.registry.durable(room);
      return result;
    });
    assert.ok(accepted.ok);
    const mirror = new PeerScope({ kind: 'mirror', root: boardId, rootKind: 'board' });
    const relay = new RemoteRelay(remote.url, DEFAULT_RELAY_LIMITS);
    const list = { rooms: [`${threadId}.0`, `${threadId}.2`, nameOf(testRoom(22))], marks: null };
    await mirror.learnMirrorRooms(parts.registry, relay, list, false);
    assert.ok(mirror.spaces.has(threadId), 'the linked thread');
    assert.ok(mirror.known.has(`${threadId}.2`));
    assert.equal(mirror.known.has(nameOf(testRoom(22))), false, 'a room out of scope');
    relay.stop();
  } finally {
    await parts.close();
  }
});

it('a full peer forgets rooms neither side keeps; a mirror keeps what it learned', () => {
  const peer = new PeerScope({ kind: 'peer' });
  peer.learnSpace(threadId);
  peer.learnSpace(boardId);
  peer.prune(new Set([`${boardId}.0`]));
  assert.deepEqual([...peer.known], [`${boardId}.0`]);
  const mirror = new PeerScope({ kind: 'mirror', root: boardId, rootKind: 'board' });
  mirror.prune(new Set());
  assert.deepEqual([...mirror.known], [`${boardId}.0`]);
});

it("a board's mirror follows its threads' links to the files attached in them", async () => {
  const parts = await openRegistry();
  try {
    const file = testRoom(23, 0, 'file');
    const put = async (room: ReturnType<typeof testRoom>, child: Uint8Array) => {
      const update = writer()([testLink(room, child)]);
      await parts.registry.with(parseRoomName(nameOf(room))!, async (r) => {
        assert.ok((await r.receiveVerified(update, null)).ok);
        await parts.registry.durable(r);
      });
    };
    await put(board, thread.cap.writePub);
    await put(thread, file.cap.writePub);
    const relay = new RemoteRelay(remote.url, DEFAULT_RELAY_LIMITS);
    const mirror = new PeerScope({ kind: 'mirror', root: boardId, rootKind: 'board' });
    await mirror.learnMirrorRooms(parts.registry, relay, { rooms: [], marks: null }, false);
    await mirror.learnMirrorRooms(parts.registry, relay, { rooms: [], marks: null }, false);
    assert.deepEqual([...mirror.spaces], [boardId, threadId, file.cap.spaceId]);
    relay.stop();
  } finally {
    await parts.close();
  }
});

it("a mirror follows links by depth: a board's to threads, a thread's to files, a move link to a board; a file's not at all", () => {
  const ids = Array.from({ length: 6 }, (_, i) => testRoom(40 + i).cap.spaceId as SpaceId);
  const [t, f, beyond, successor, st, stray] = ids as [SpaceId, SpaceId, SpaceId, SpaceId, SpaceId, SpaceId];
  const mirror = new PeerScope({ kind: 'mirror', root: boardId, rootKind: 'board' });
  mirror.learnLinks(boardId, [t, successor], new Set([successor]));
  mirror.learnLinks(t, [f], new Set([f]));
  mirror.learnLinks(f, [beyond], new Set());
  mirror.learnLinks(successor, [st], new Set());
  mirror.learnLinks(stray, [beyond], new Set());
  assert.deepEqual(
    [boardId, t, successor, f, st, beyond, stray].map((s) => mirror.levelOf(s)),
    [Level.board, Level.thread, Level.board, Level.file, Level.thread, undefined, undefined],
    'a move link in a thread is a plain link; links of a file or of a space not carried are not followed',
  );
});

it('a space named again higher up is followed from then on', () => {
  const [t, f] = [testRoom(50).cap.spaceId as SpaceId, testRoom(51).cap.spaceId as SpaceId];
  const mirror = new PeerScope({ kind: 'mirror', root: threadId, rootKind: 'thread' });
  mirror.learnLinks(threadId, [t], new Set());
  mirror.learnLinks(t, [f], new Set());
  assert.equal(mirror.levelOf(f), undefined, "a thread mirror's files link nothing further");
  const board = new PeerScope({ kind: 'mirror', root: boardId, rootKind: 'board' });
  board.learnLinks(boardId, [t], new Set());
  board.learnLinks(t, [f], new Set());
  board.learnLinks(boardId, [f], new Set());
  assert.equal(board.levelOf(f), Level.thread);
  board.learnLinks(boardId, [t], new Set([t]));
  assert.equal(board.levelOf(t), Level.board);
});

it('a mirror carries at most maxSpaces spaces, the first it learns, whatever a board links', () => {
  const mirror = new PeerScope({ kind: 'mirror', root: boardId, rootKind: 'board' }, 5);
  const children = Array.from({ length: 100 }, (_, i) => testRoom(100 + i).cap.spaceId as SpaceId);
  mirror.learnLinks(boardId, children, new Set(children));
  assert.deepEqual([...mirror.spaces], [boardId, ...children.slice(0, 4)]);
  assert.ok(mirror.full);
  assert.equal(mirror.dirty.size, 5, 'epoch 0 of each, and nothing of the rest');
});
