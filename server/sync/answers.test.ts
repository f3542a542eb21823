import assert from 'node:assert/strict';
import { beforeAll, it } from 'vitest';
import * as Y from 'yjs';
import { createEnvelopeDoc, initSodium } from '#shared';
import { roomOf } from '#test/support/relay-parts.ts';
import { Counters } from '../metrics/counters.ts';
import { AnswerPool } from './answers.ts';
import { waitUntil } from '#test/support/wait.ts';

beforeAll(initSodium);

it('connections asking for the same thing share one answer, in pieces that rebuild the room', async () => {
  const room = roomOf(1, 8, 60_000);
  const pool = new AnswerPool(10_000_000, 100_000, null, 50);
  const everything = new Uint8Array([0]);
  const a = pool.take(room, everything)!;
  const b = pool.take(room, everything)!;
  assert.ok(a.pieces.every((piece, i) => piece === b.pieces[i]), 'one copy for both');
  assert.ok(a.pieces.length > 1, `${a.pieces.length} pieces`);
  const doc = createEnvelopeDoc();
  for (const piece of a.pieces) Y.applyUpdate(doc, piece);
  assert.deepEqual(Y.encodeStateVector(doc), room.stateVector());
  assert.equal(pool.heldBytes, a.bytes);
  pool.release(a);
  assert.equal(pool.heldBytes, a.bytes, 'still held by the second');
  pool.release(b);
  assert.equal(pool.heldBytes, a.bytes, 'the whole room is kept a while for the next asker');
  await waitUntil(() => pool.heldBytes === 0, { timeoutMs: 2000, what: 'the kept answer dropped' });
  room.destroy();
});

it('a large answer to any state vector is cut from one encoding of the room, kept while nobody needs its room', () => {
  const room = roomOf(7, 8, 60_000);
  const counters = new Counters();
  const pool = new AnswerPool(10_000_000, 100_000, counters);
  const first = pool.take(room, new Uint8Array([0]))!;
  pool.release(first);
  // Holders of a part of the room: each gets the pieces it lacks something of, none is encoded again.
  const [[client, clock]] = [...Y.decodeStateVector(room.stateVector())] as [[number, number]];
  for (const held of [1, 2, 3]) {
    const sv = Y.encodeStateVector(new Map([[client, held]]));
    const answer = pool.take(room, sv)!;
    assert.ok(answer.pieces.length < first.pieces.length && answer.pieces.length > 0, `${answer.pieces.length} of ${first.pieces.length} pieces`);
    // What it was not sent, it holds: those pieces reach no further than its state vector,
    // and with them the answer rebuilds the room.
    const skipped = first.pieces.filter((piece) => !answer.pieces.includes(piece));
    for (const piece of skipped) for (const [c, to] of Y.parseUpdateMeta(piece).to) assert.ok(c !== client || to <= held);
    const doc = createEnvelopeDoc();
    for (const piece of [...skipped, ...answer.pieces]) Y.applyUpdate(doc, piece);
    assert.deepEqual(Y.encodeStateVector(doc), room.stateVector());
    pool.release(answer);
    doc.destroy();
  }
  assert.equal(counters.get('sync.answer-computed'), 1);
  assert.ok(clock > 3);
  // Another room that needs the pool's room makes the kept answer give way.
  const small = new AnswerPool(first.bytes + 1000, 100_000, counters);
  small.release(small.take(room, new Uint8Array([0]))!);
  const other = roomOf(9, 8, 60_000);
  const second = small.take(other, new Uint8Array([0]));
  assert.ok(second, 'the idle answer gave way');
  assert.equal(small.heldBytes, second.bytes);
  room.destroy();
  other.destroy();
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
