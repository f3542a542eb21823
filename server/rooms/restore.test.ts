// A room's stored rows applied a piece at a time: the doc is the same as one Y.applyUpdate
// gives, the work pauses between pieces, a damaged row is skipped, not fatal, and the blobs
// restored are views into what was read, where blobs from the network are copies.
import assert from 'node:assert/strict';
import { describe, it } from 'vitest';
import * as Y from 'yjs';
import { initSodium, parseRoomName, roomName, splitEnvelopeUpdate } from '#shared';
import { testRoom } from '#test/support/rooms.ts';
import { tinyBlobRoom } from '#test/support/tiny-blobs.ts';
import { resolveConfig } from '../config.ts';
import { Slice } from '../slices.ts';
import { Room } from './room.ts';
import { RESTORE_PIECE_BYTES, restoreAll, restoreInSlices } from './restore.ts';

/** Counts turns of the event loop while `work` runs. */
async function turnsDuring(work: Promise<unknown>): Promise<number> {
  let turns = 0;
  let done = false;
  const tick = () => {
    if (done) return;
    turns++;
    setImmediate(tick);
  };
  setImmediate(tick);
  await work;
  done = true;
  return turns;
}

describe('restoring a room in slices', () => {
  it('gives the doc one apply gives, over many turns of the event loop', async () => {
    const big = tinyBlobRoom(12_000); // about 2.3 MiB in one row, as a compaction writes it
    assert.ok(big.update.length > 4 * RESTORE_PIECE_BYTES);
    const later = new Y.Doc();
    Y.applyUpdate(later, big.update);
    later.clientID = 99;
    const sv = Y.encodeStateVector(later);
    later.getArray<Uint8Array>('log').push([new Uint8Array([2, 3, 1])]);
    const rows = [big.update, Y.encodeStateAsUpdate(later, sv)];

    const whole = new Y.Doc();
    restoreAll(whole, rows, 'room', () => {});
    const sliced = new Y.Doc();
    const turns = await turnsDuring(restoreInSlices(sliced, rows, new Slice(0), 'room', () => {}));
    assert.ok(turns >= 4, `the restore paused between pieces (${turns} turns)`);
    assert.deepEqual(Y.encodeStateVector(sliced), Y.encodeStateVector(whole));
    assert.equal(sliced.store.pendingStructs, null, 'nothing waits for a missing struct');
    assert.deepEqual(sliced.getArray('log').toArray(), whole.getArray('log').toArray());
    assert.equal(sliced.getArray('log').length, 12_001);
  });

  it('skips a damaged row and says so, and applies the rest', async () => {
    const first = tinyBlobRoom(3_000, 200, 1);
    const damaged = first.update.slice(0, first.update.length - 500);
    const log: string[] = [];
    const doc = new Y.Doc();
    await restoreInSlices(doc, [damaged, Y.encodeStateAsUpdate(tinyBlobRoom(10, 90, 3).doc)], new Slice(0), 'abcdefghij', (line) => log.push(line));
    assert.equal(doc.getArray('log').length, 10);
    assert.equal(log.length, 1);
    assert.match(log[0]!, /abcdefgh… skipped 1 damaged/);
  });

  it('keeps restored blobs as views into the pieces applied, holding no more than the stored bytes', async () => {
    const room = tinyBlobRoom(6_000);
    const rows = splitEnvelopeUpdate(room.update, 64 * 1024); // small rows: merged into pieces
    const stored = rows.reduce((sum, r) => sum + r.length, 0);
    const doc = new Y.Doc();
    await restoreInSlices(doc, rows, new Slice(0), 'room', () => {});
    const blobs = doc.getArray<Uint8Array>('log').toArray();
    assert.equal(blobs.length, 6_000);
    assert.deepEqual(blobs, room.doc.getArray('log').toArray());
    const buffers = new Set(blobs.map((b) => b.buffer));
    assert.ok(buffers.size <= Math.ceil(stored / RESTORE_PIECE_BYTES) + 1, `${buffers.size} buffers behind 6,000 blobs`);
    const held = [...buffers].reduce((sum, b) => sum + b.byteLength, 0);
    assert.ok(held <= stored, `the blobs hold ${held} bytes of ${stored} stored`);
  });
});

describe('a loaded room taking an update from the network', () => {
  it('copies its blobs, so a blob never keeps the socket read it came in alive', async () => {
    await initSodium();
    const update = Y.encodeStateAsUpdate(tinyBlobRoom(3).doc);
    const read = new Uint8Array(64 * 1024); // a socket read holding this update among others
    read.set(update, 1000);
    const room = new Room(parseRoomName(roomName(testRoom(1).cap.spaceId, 0))!, resolveConfig().limits, { updates: [], bytes: 0 }, () => {});
    room.applyVerified(read.subarray(1000, 1000 + update.length), [], 'a socket');
    assert.equal(room.doc.getArray('log').length, 3);
    for (const blob of room.doc.getArray<Uint8Array>('log').toArray()) assert.notEqual(blob.buffer, read.buffer);
    room.destroy();
  });
});
