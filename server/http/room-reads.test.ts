import assert from 'node:assert/strict';
import { beforeAll, it } from 'vitest';
import * as Y from 'yjs';
import { initSodium } from '#shared';
import { roomOf } from '#test/support/relay-parts.ts';
import { Counters } from '../metrics/counters.ts';
import { Room } from '../rooms/room.ts';
import { RoomReads } from './room-reads.ts';

beforeAll(initSodium);

const held = (room: Room, blobs: number) => {
  const [[client]] = [...Y.decodeStateVector(room.stateVector())] as [[number, number]];
  return Y.encodeStateVector(new Map([[client, blobs]]));
};

it('reads lacking most of a room share one encoding of it, byte for byte what Yjs encodes; a read of a part is encoded for it', async () => {
  const room = roomOf(21, 20, 100_000);
  const counters = new Counters();
  const reads = new RoomReads(10_000_000, counters);
  const chunks = (await reads.read(room, undefined))!;
  assert.ok(chunks.length > 1, `${chunks.length} chunks`);
  const whole = Buffer.concat(chunks);
  assert.deepEqual(whole, Buffer.from(room.diff()));
  assert.equal(await reads.read(room, undefined), chunks);
  assert.equal(await reads.read(room, held(room, 3)), chunks, 'lacking 17 of 20 blobs: the whole room');
  assert.equal(counters.get('http.read-computed'), 1);
  const [part] = (await reads.read(room, held(room, 15)))! as [Uint8Array];
  assert.ok(part.length < whole.length / 3, `${part.length} of ${whole.length} bytes`);
  assert.equal(counters.get('http.read-computed'), 2);
  // The part is what the reader lacked: from its 15 blobs to the room's 20.
  const [[client, clock]] = [...Y.decodeStateVector(room.stateVector())] as [[number, number]];
  const meta = Y.parseUpdateMeta(part);
  assert.deepEqual([meta.from.get(client), meta.to.get(client)], [15, clock]);
  room.destroy();
});

it('partial reads of a few MiB are encoded within a relay-wide rate, and past it refused', async () => {
  const room = roomOf(23, 120, 200_000); // about 24 MB: a read lacking a third of it is 8 MB
  const reads = new RoomReads(100_000_000, new Counters());
  const answers: Array<Uint8Array[] | null> = [];
  for (let i = 0; i < 8; i++) answers.push(await reads.read(room, held(room, 80 + (i % 3))));
  assert.ok(answers[0], 'the first is answered');
  assert.ok(answers.some((a) => a === null), 'later ones past the rate are refused');
  room.destroy();
});

it('a whole room is encoded a slice at a time; readers meanwhile share it, and a write makes the next read encode anew', async () => {
  const room = roomOf(25, 120, 200_000); // about 24 MB
  const counters = new Counters();
  // Slices of no time: the loop gets a turn at each chunk.
  const reads = new RoomReads(100_000_000, counters, { keepIdleMs: 10_000, sliceMs: 0 });
  let turns = 0;
  let done = false;
  const turn = () => {
    turns++;
    if (!done) setImmediate(turn);
  };
  setImmediate(turn);
  const [a, b] = await Promise.all([reads.read(room, undefined), reads.read(room, undefined)]);
  done = true;
  assert.equal(a, b, 'one encoding for both');
  assert.equal(counters.get('http.read-computed'), 1);
  assert.ok(turns >= 20, `the event loop turned ${turns} times meanwhile`);
  assert.deepEqual(Buffer.concat(a!), Buffer.from(room.diff()));
  const [[client, clock]] = [...Y.decodeStateVector(room.stateVector())] as [[number, number]];
  const more = roomOf(25, 121, 200_000); // the same writer, one blob further
  Y.applyUpdate(room.doc, more.diff(Y.encodeStateVector(new Map([[client, clock]]))));
  room.version++;
  const after = (await reads.read(room, undefined))!;
  assert.equal(counters.get('http.read-computed'), 2);
  assert.deepEqual(Buffer.concat(after), Buffer.from(room.diff()));
  room.destroy();
  more.destroy();
});
