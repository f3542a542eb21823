import assert from 'node:assert/strict';
import { beforeAll, it } from 'vitest';
import * as Y from 'yjs';
import { createEnvelopeDoc, initSodium } from '#shared';
import { piecesOf, roomOf } from '#test/support/relay-parts.ts';
import { Counters } from '../metrics/counters.ts';
import { AnswerPool } from './answers.ts';
import { waitUntil } from '#test/support/wait.ts';

beforeAll(initSodium);

const sum = (pieces: Uint8Array[]) => pieces.reduce((n, p) => n + p.length, 0);

it('connections asking for the same thing share one answer, in pieces that rebuild the room', async () => {
  const room = roomOf(1, 8, 60_000);
  const pool = new AnswerPool(10_000_000, 100_000, { keepIdleMs: 50 });
  const everything = new Uint8Array([0]);
  const a = pool.take(room, everything)!;
  const b = pool.take(room, everything)!;
  const [aPieces, bPieces] = await Promise.all([piecesOf(a), piecesOf(b)]);
  assert.ok(aPieces.every((piece, i) => piece === bPieces[i]), 'one copy for both');
  assert.ok(aPieces.length > 1, `${aPieces.length} pieces`);
  const doc = createEnvelopeDoc();
  for (const piece of aPieces) Y.applyUpdate(doc, piece);
  assert.deepEqual(Y.encodeStateAsUpdate(doc), room.diff(), 'the same doc, byte for byte');
  assert.equal(pool.heldBytes, sum(aPieces));
  pool.release(a);
  assert.equal(pool.heldBytes, sum(aPieces), 'still held by the second');
  pool.release(b);
  assert.equal(pool.heldBytes, sum(aPieces), 'the whole room is kept a while for the next asker');
  await waitUntil(() => pool.heldBytes === 0, { timeoutMs: 2000, what: 'the kept answer dropped' });
  room.destroy();
});

it('a large answer to any state vector is cut from one encoding of the room, kept while nobody needs its room', async () => {
  const room = roomOf(7, 8, 60_000);
  const counters = new Counters();
  const pool = new AnswerPool(10_000_000, 100_000, { counters });
  const firstAnswer = pool.take(room, new Uint8Array([0]))!;
  const first = { pieces: await piecesOf(firstAnswer) };
  pool.release(firstAnswer);
  // Holders of a part of the room: each gets the pieces it lacks something of, none is encoded again.
  const [[client, clock]] = [...Y.decodeStateVector(room.stateVector())] as [[number, number]];
  for (const held of [1, 2, 3]) {
    const sv = Y.encodeStateVector(new Map([[client, held]]));
    const taken = pool.take(room, sv)!;
    const answer = { pieces: await piecesOf(taken) };
    assert.ok(answer.pieces.length < first.pieces.length && answer.pieces.length > 0, `${answer.pieces.length} of ${first.pieces.length} pieces`);
    // What it was not sent, it holds: those pieces reach no further than its state vector,
    // and with them the answer rebuilds the room.
    const skipped = first.pieces.filter((piece) => !answer.pieces.includes(piece));
    for (const piece of skipped) for (const [c, to] of Y.parseUpdateMeta(piece).to) assert.ok(c !== client || to <= held);
    const doc = createEnvelopeDoc();
    for (const piece of [...skipped, ...answer.pieces]) Y.applyUpdate(doc, piece);
    assert.deepEqual(Y.encodeStateVector(doc), room.stateVector());
    pool.release(taken);
    doc.destroy();
  }
  assert.equal(counters.get('sync.answer-computed'), 1);
  assert.ok(clock > 3);
  // Another room that needs the pool's room makes the kept answer give way.
  const small = new AnswerPool(sum(first.pieces) + 1000, 100_000, { counters });
  const kept = small.take(room, new Uint8Array([0]))!;
  await piecesOf(kept);
  small.release(kept);
  const other = roomOf(9, 8, 60_000);
  const second = small.take(other, new Uint8Array([0]));
  assert.ok(second, 'the idle answer gave way');
  const secondBytes = sum(await piecesOf(second));
  assert.equal(small.heldBytes, secondBytes);
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
  assert.ok(nothing && nothing.piece(0)!.length < 64 && nothing.piece(1) === null);
  pool.release(nothing!);
  assert.equal(woken, 1);
  pool.release(first);
  assert.ok(pool.take(other, new Uint8Array([0])));
  big.destroy();
  other.destroy();
});

it('a whole room is encoded across turns of the event loop: readers get its first pieces before the last is built', async () => {
  const room = roomOf(11, 100, 100_000); // 10 MB
  // Slices of no time: the encoding gives the loop a turn at each piece.
  const pool = new AnswerPool(100_000_000, 256 * 1024, { keepIdleMs: 10_000, buildSliceMs: 0 });
  const answer = pool.take(room, new Uint8Array([0]))!;
  assert.ok(answer.piece(0), 'the first piece is there at once');
  assert.ok(pool.heldBytes >= room.bytes, 'counted at the room\u2019s size while it is built');
  let ready = 0;
  while (answer.piece(ready)) ready++;
  let turns = 0;
  const turn = () => {
    turns++;
    if (!done) setImmediate(turn);
  };
  let done = false;
  setImmediate(turn);
  const pieces = await piecesOf(answer);
  done = true;
  assert.ok(ready <= 1, `${ready} of ${pieces.length} pieces built at once`);
  assert.ok(turns >= pieces.length / 2, `the event loop turned ${turns} times while ${pieces.length} pieces were built`);
  // A reader that holds every blob but one of the first piece's, asking meanwhile, shares it.
  const doc = createEnvelopeDoc();
  for (const piece of pieces) Y.applyUpdate(doc, piece);
  assert.deepEqual(Y.encodeStateAsUpdate(doc), room.diff());
  const holder = pool.take(room, room.stateVector())!;
  assert.deepEqual(await piecesOf(holder), [new Uint8Array([0, 0])], 'a holder of everything gets an update of nothing');
  pool.release(holder);
  pool.release(answer);
  room.destroy();
});

it('a room that leaves memory takes its kept encoding with it', async () => {
  const [room, other] = [roomOf(13, 8, 60_000), roomOf(15, 8, 60_000)];
  const pool = new AnswerPool(10_000_000, 100_000, { keepIdleMs: 60_000 });
  const everything = new Uint8Array([0]);
  const answers = [pool.take(room, everything)!, pool.take(other, everything)!];
  await Promise.all(answers.map((a) => piecesOf(a)));
  for (const a of answers) pool.release(a);
  const kept = pool.heldBytes;
  pool.forgetRoom(room.name);
  assert.ok(pool.heldBytes > 0 && pool.heldBytes < kept, 'the other room is still kept');
  pool.forgetRoom(other.name);
  assert.equal(pool.heldBytes, 0);
  room.destroy();
  other.destroy();
});
