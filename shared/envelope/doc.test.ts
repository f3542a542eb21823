import { beforeAll, test } from 'vitest';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { checkBlob } from '../blob.ts';
import { initSodium } from '../sodium.ts';
import { appendSealed, blobAt, createEnvelopeDoc, envelopeLog } from './doc.ts';
import { testIdentity, testRoom, testUpdate, type TestRoom } from '#test/support/rooms.ts';

let room: TestRoom;
beforeAll(async () => {
  await initSodium();
  room = testRoom(1);
});

test('appendSealed seals each blob for the id it lands at, in one step', () => {
  const doc = createEnvelopeDoc();
  doc.clientID = 42;
  const author = testIdentity(9);
  const first = appendSealed(doc, [testUpdate(room, author, 'a'), testUpdate(room, author, 'b')]);
  const second = appendSealed(doc, [testUpdate(room, author, 'c')]);
  assert.deepEqual([...first, ...second].map((p) => [p.client, p.clock]), [[42, 0], [42, 1], [42, 2]]);
  for (const p of [...first, ...second]) {
    assert.deepEqual(blobAt(doc, p), p.blob);
    assert.equal(checkBlob(p.blob, room.roomKey, p).ok, true);
  }
  assert.equal(envelopeLog(doc).length, 3);
  assert.deepEqual(appendSealed(doc, []), []);
});

test('after a remote transaction touches its own client, Yjs changes the clientID and the next seal follows it', () => {
  const doc = createEnvelopeDoc();
  doc.clientID = 7;
  const author = testIdentity(9);
  // Someone else's update under this doc's own client id (a collision, or a write-key holder taking its ids).
  const other = createEnvelopeDoc();
  other.clientID = 7;
  appendSealed(other, [testUpdate(room, author, 'theirs')]);
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(other));
  assert.notEqual(doc.clientID, 7, 'Yjs moved this doc to a new client id');
  const [placed] = appendSealed(doc, [testUpdate(room, author, 'mine')]);
  assert.equal(placed!.client, doc.clientID);
  assert.equal(placed!.clock, 0);
  assert.equal(checkBlob(placed!.blob, room.roomKey, placed!).ok, true);
  assert.equal(blobAt(doc, { client: 7, clock: 0 })![0], 2);
});

test('a seal that throws leaves the doc unchanged', () => {
  const doc = createEnvelopeDoc();
  assert.throws(() => appendSealed(doc, [testUpdate(room, testIdentity(9)), () => { throw new Error('no key'); }]), /no key/);
  assert.equal(envelopeLog(doc).length, 0);
});
