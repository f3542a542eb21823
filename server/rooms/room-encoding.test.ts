import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { beforeAll, it } from 'vitest';
import * as Y from 'yjs';
import { appendSealed, createEnvelopeDoc, envelopeLog, initSodium, validateEnvelopeUpdate, clockOfDoc, type Sealer } from '#shared';
import { roomOf } from '#test/support/relay-parts.ts';
import { testIdentity, testRoom, testUpdate, type TestRoom } from '#test/support/rooms.ts';
import { Slice } from '../slices.ts';
import { encodeRoomPieces, encodeWholeUpdate } from './room-encoding.ts';

beforeAll(initSodium);

/** An envelope doc of three writers, two of which inserted between others' blobs (origins and right origins). */
function interleaved(key: TestRoom, count: number): Y.Doc {
  const author = testIdentity(60);
  const blob = (i: number): Sealer => testUpdate(key, author, `k${i}`, randomBytes(200 + (i % 7) * 300).toString('hex'));
  const docs = [5, 9, 3].map((id) => {
    const doc = createEnvelopeDoc();
    doc.clientID = id;
    return doc;
  });
  for (let i = 0; i < count; i++) {
    const doc = docs[i % 3]!;
    const log = envelopeLog(doc);
    if (i % 3 === 0 || log.length < 2) appendSealed(doc, [blob(i)]);
    else log.insert(1 + (i % (log.length - 1)), [blob(i)({ client: doc.clientID, clock: Y.getState(doc.store, doc.clientID) })]);
    // Each writer sees the others now and then.
    if (i % 5 === 4) for (const other of docs) if (other !== doc) Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
  }
  for (const doc of docs) for (const other of docs) Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
  return docs[0]!;
}

it('the whole update, encoded in slices, is byte for byte what Yjs encodes, in chunks', async () => {
  const room = roomOf(31, 40, 20_000);
  const chunks = (await encodeWholeUpdate(room.doc, 64 * 1024, new Slice(0)))!;
  assert.ok(chunks.length > 5, `${chunks.length} chunks`);
  assert.deepEqual(Buffer.concat(chunks), Buffer.from(room.diff()));
  const doc = interleaved(testRoom(32), 300);
  assert.deepEqual(Buffer.concat((await encodeWholeUpdate(doc, 16 * 1024, new Slice(0)))!), Buffer.from(Y.encodeStateAsUpdate(doc)));
  room.destroy();
});

it('pieces of a room of several writers apply one after another without a gap, and rebuild the room', async () => {
  const key = testRoom(33);
  const source = interleaved(key, 400);
  const received = createEnvelopeDoc();
  let pieces = 0;
  let turns = 0;
  const counting = setInterval(() => turns++, 0);
  const { complete, sent } = await encodeRoomPieces(source, 32 * 1024, new Slice(1), (piece, reach) => {
    pieces++;
    assert.ok(piece.length <= 32 * 1024, `${piece.length} bytes`);
    assert.deepEqual(Y.parseUpdateMeta(piece).to, reach);
    const verdict = validateEnvelopeUpdate(piece, key.roomKey, { clockOf: clockOfDoc(received) });
    assert.ok(verdict.ok, !verdict.ok ? verdict.detail : '');
    Y.applyUpdate(received, piece);
    return true;
  });
  clearInterval(counting);
  assert.ok(complete);
  assert.ok(pieces > 10, `${pieces} pieces`);
  assert.deepEqual(sent, Y.decodeStateVector(Y.encodeStateVector(source)));
  assert.deepEqual(Buffer.from(Y.encodeStateAsUpdate(received)), Buffer.from(Y.encodeStateAsUpdate(source)));
  assert.equal(received.store.pendingStructs, null);
  assert.ok(turns > 0, 'the event loop ran between slices');
});

it('writes that land while the room is encoded are not in it; a sink that refuses stops the work', async () => {
  const room = roomOf(35, 60, 10_000);
  const before = room.diff();
  const more = createEnvelopeDoc();
  more.clientID = 77;
  const author = testIdentity(36);
  const key = testRoom(35);
  let writes = 0;
  let encoding = true;
  // A write at every turn of the event loop, as the encoder pauses at each of its slices.
  const write = () => {
    if (!encoding) return;
    const sv = Y.encodeStateVector(more);
    appendSealed(more, [testUpdate(key, author, `w${writes++}`, 'x')]);
    Y.applyUpdate(room.doc, Y.encodeStateAsUpdate(more, sv));
    setImmediate(write);
  };
  setImmediate(write);
  const chunks = (await encodeWholeUpdate(room.doc, 4096, new Slice(0)))!;
  encoding = false;
  assert.ok(writes > 0, 'writes landed meanwhile');
  assert.deepEqual(Buffer.concat(chunks), Buffer.from(before));
  let taken = 0;
  const { sent } = await encodeRoomPieces(room.doc, 30_000, new Slice(0), () => ++taken < 3);
  assert.equal(taken, 3);
  const handed = [...sent.values()].reduce((n, clock) => n + clock, 0);
  assert.ok(handed < 60 + writes, `stopped before the end: ${handed} of ${60 + writes} blobs`);
  room.destroy();
});

it('a store that is not only envelope items is left to Yjs', async () => {
  const doc = new Y.Doc();
  doc.getArray('log').push([new Uint8Array([1, 2, 3])]);
  doc.getArray('log').delete(0, 1);
  assert.equal(await encodeWholeUpdate(doc, 1024, new Slice()), null);
  assert.equal((await encodeRoomPieces(doc, 1024, new Slice(), () => true)).complete, false);
});
