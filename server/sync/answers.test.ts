import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { beforeAll, it } from 'vitest';
import * as Y from 'yjs';
import { createEnvelopeDoc, initSodium, parseRoomName, roomName } from '#shared';
import { envelopeWith, testIdentity, testRoom, testUpdate } from '#test/support/rooms.ts';
import { resolveConfig } from '../config.ts';
import { Room } from '../rooms/room.ts';
import { AnswerPool } from './answers.ts';

beforeAll(initSodium);

/** A room holding `count` blobs of about `bytes` each. */
function roomOf(seed: number, count: number, bytes: number): Room {
  const key = testRoom(seed);
  const author = testIdentity(seed + 1);
  const blobs = Array.from({ length: count }, (_, i) => testUpdate(key, author, `k${i}`, randomBytes(bytes / 2).toString('hex')));
  const update = Y.encodeStateAsUpdate(envelopeWith(blobs));
  const address = parseRoomName(roomName(key.cap.spaceId, 0))!;
  return new Room(address, resolveConfig({}).limits, { updates: [update], bytes: update.length }, () => {});
}

it('connections asking for the same thing share one answer, in pieces that rebuild the room', () => {
  const room = roomOf(1, 8, 60_000);
  const pool = new AnswerPool(10_000_000, 100_000);
  const everything = new Uint8Array([0]);
  const a = pool.take(room, everything)!;
  const b = pool.take(room, everything)!;
  assert.equal(a, b, 'one copy for both');
  assert.ok(a.pieces.length > 1, `${a.pieces.length} pieces`);
  const doc = createEnvelopeDoc();
  for (const piece of a.pieces) Y.applyUpdate(doc, piece);
  assert.deepEqual(Y.encodeStateVector(doc), room.stateVector());
  assert.equal(pool.heldBytes, a.bytes);
  pool.release(a);
  assert.equal(pool.heldBytes, a.bytes, 'still held by the second');
  pool.release(b);
  assert.equal(pool.heldBytes, 0);
  room.destroy();
});

it('past its bound the pool answers null and wakes the waiter once room is released', () => {
  const big = roomOf(3, 6, 60_000);
  const other = roomOf(5, 6, 60_000);
  const pool = new AnswerPool(400_000, 100_000);
  const first = pool.take(big, new Uint8Array([0]))!;
  assert.ok(first, 'one answer always fits');
  assert.equal(pool.take(other, new Uint8Array([0])), null, 'a second whole room does not');
  let woken = 0;
  pool.whenFree(() => woken++);
  // A holder of everything asks for nothing: small answers never wait.
  const nothing = pool.take(other, other.stateVector());
  assert.ok(nothing && nothing.bytes < 64);
  pool.release(nothing!);
  assert.equal(woken, 1);
  pool.release(first);
  assert.ok(pool.take(other, new Uint8Array([0])));
  big.destroy();
  other.destroy();
});
