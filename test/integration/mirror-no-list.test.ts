// A mirror of a source that hides its room list: the board's epochs come from
// GET /v1/spaces/<id>, its threads from the board's link blobs; a read capability works
// as well as a mirror one, and the mirror still keeps no key.
import assert from 'node:assert/strict';
import { afterAll, it } from 'vitest';
import { formatCapability, roomName } from '#shared';
import { startRelay, type Relay } from '#server/index.ts';
import { boardSpace, countAt, makeBoard, makeThread, sealText, waitForCount, writeBlobs } from './peer-fixtures.ts';

const relays: Relay[] = [];
afterAll(async () => {
  await Promise.all(relays.map((r) => r.close()));
});

it('carries every epoch of the board and its threads from a source without a room list', async () => {
  const source = await startRelay({ port: 0, host: '127.0.0.1', roomList: false, log: () => {} });
  relays.push(source);
  const board = makeBoard();
  const thread = makeThread(board);
  const epoch1 = { ...boardSpace(board), key: { ...board.key, epoch: 1 }, room: roomName(board.cap.spaceId, 1) };
  await writeBlobs(source, board.room, [sealText(boardSpace(board), 'epoch 0'), thread.link]);
  await writeBlobs(source, epoch1.room, [sealText(epoch1, 'snapshot-ish epoch 1')]);
  await writeBlobs(source, thread.thread.room, [sealText(thread.thread, 'post')]);

  const mirror = await startRelay({
    port: 0,
    host: '127.0.0.1',
    log: () => {},
    peerSyncMs: 150,
    mirrors: [{ capability: formatCapability(board.cap, 'read'), relay: source.url }],
  });
  relays.push(mirror);
  await waitForCount(mirror, board.room, 2);
  await waitForCount(mirror, epoch1.room, 1);
  await waitForCount(mirror, thread.thread.room, 1);
  const status = await mirror.peering.status();
  assert.equal(status.mirrors[0]?.roomList, false);
  assert.deepEqual(status.mirrors[0]?.rooms.map((r) => r.room).sort(), [board.room, epoch1.room, thread.thread.room].sort());
  assert.equal(mirror.config.mirrors[0]?.capability, formatCapability(board.cap, 'mirror'), 'the read key is dropped');
  assert.ok(!JSON.stringify(status).includes(formatCapability(board.cap, 'read').split(':')[3]!), 'no read key in status');

  // A new thread, learned from its link blob written on the source.
  const later = makeThread(board);
  await writeBlobs(source, later.thread.room, [sealText(later.thread, 'later')]);
  await writeBlobs(source, board.room, [later.link]);
  await waitForCount(mirror, later.thread.room, 1);
  assert.equal(await countAt(mirror, board.room), 3);
});
