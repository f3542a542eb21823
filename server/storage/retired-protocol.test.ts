// The start-up check reads one byte of a stored room, the version of its first blob, straight
// from the row's bytes: nothing is applied to a doc, and damaged rows say nothing.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, it } from 'vitest';
import * as Y from 'yjs';
import { BLOB_VERSION, BlobKind, RETIRED_BLOB_VERSION, envelopeLog } from '#shared';
import { tinyBlobRoom } from '#test/support/tiny-blobs.ts';
import { MemoryStorage } from './memory.ts';
import { firstBlobVersion, refuseRetiredProtocol } from './retired-protocol.ts';
import { SqliteStorage } from './sqlite.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

it('reads the first blob version of a row, also when what follows the first blob is garbage', () => {
  const { update } = tinyBlobRoom(2_000);
  assert.equal(firstBlobVersion(update), BLOB_VERSION);
  const tail = update.slice();
  tail.set(randomBytes(tail.length - 400), 400);
  assert.throws(() => Y.applyUpdate(new Y.Doc(), tail), 'a doc could not be built from it');
  assert.equal(firstBlobVersion(tail), BLOB_VERSION);
});

it('says nothing, and never throws, for rows that do not start with a blob', () => {
  const map = new Y.Doc();
  map.getMap('m').set('k', 'v');
  for (const row of [new Uint8Array(0), new Uint8Array([0, 0]), Y.encodeStateAsUpdate(map), tinyBlobRoom(5).update.subarray(0, 12), new Uint8Array(64).fill(0xff)]) {
    assert.equal(firstBlobVersion(row), null, `row ${Buffer.from(row.subarray(0, 16)).toString('hex')}`);
  }
});

/** A row appending `count` tiny blobs of this version into the log array, as a writer's update would. */
function row(version: number, count = 1, doc = new Y.Doc()): Uint8Array {
  const before = Y.encodeStateVector(doc);
  // One push of many binaries still makes one struct per blob, as `count` separate appends would.
  envelopeLog(doc).push(Array.from({ length: count }, (_, i) => new Uint8Array([version, BlobKind.link, i & 0xff])));
  return Y.encodeStateAsUpdate(doc, before);
}

/** A row that holds only a delete set, and one whose only struct is a skip. */
const deleteSetOnly = Uint8Array.of(0, 0);
const skipOnly = Uint8Array.of(1, 1, 7, 0, 10, 3, 0);

const refusal = (err: Error) => /protocol 1 rooms \(retired\).*e\.g\. r1.*speaks protocol 2 only/s.test(err.message);

it('refuses a data directory holding a protocol-1 room, with the same words as before', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-retired-'));
  dirs.push(dir);
  const storage = new SqliteStorage(dir);
  try {
    await storage.append([{ room: 'r1', update: row(RETIRED_BLOB_VERSION, 3) }]);
    await assert.rejects(refuseRetiredProtocol(storage, 'the data directory x'), (err: Error) => refusal(err) && err.message.startsWith('the data directory x holds'));
  } finally {
    await storage.close();
  }
});

it('names an unknown blob version, and passes protocol-2 rooms and empty storage', async () => {
  const storage = new MemoryStorage();
  await refuseRetiredProtocol(storage, 'here');
  await storage.append([{ room: 'r0', update: row(BLOB_VERSION, 2) }]);
  await refuseRetiredProtocol(storage, 'here');
  await storage.append([{ room: 'r9', update: row(7) }]);
  await assert.rejects(refuseRetiredProtocol(storage, 'here'), /unknown blob version 7, e\.g\. r9/);
});

it('falls through a damaged first row, or one holding no blob, to the next row', async () => {
  const doc = new Y.Doc();
  const first = row(RETIRED_BLOB_VERSION, 2, doc);
  const damaged = [first.subarray(0, 6), Uint8Array.of(0xff, 0xff, 0xff), Uint8Array.of(1, 1, 7, 0, 0x03, 1, 0, 3, 9, 9), new Uint8Array(0)];
  for (const bad of [...damaged, deleteSetOnly, skipOnly]) assert.equal(firstBlobVersion(bad), null);
  const storage = new MemoryStorage();
  await storage.append([...damaged, deleteSetOnly, skipOnly].map((update) => ({ room: 'r1', update })));
  await refuseRetiredProtocol(storage, 'here'); // nothing tells yet: no refusal
  await storage.append([{ room: 'r1', update: first }]);
  await assert.rejects(refuseRetiredProtocol(storage, 'here'), refusal);
});

it("reads a big row's version from its first struct alone: garbage after it is never parsed", async () => {
  const big = row(RETIRED_BLOB_VERSION, 50_000);
  assert.equal(firstBlobVersion(big), RETIRED_BLOB_VERSION);
  // Everything after the first struct made garbage: no Yjs apply could read this row.
  const garbled = big.slice();
  garbled.fill(0xff, 40);
  assert.throws(() => Y.applyUpdate(new Y.Doc(), garbled));
  assert.equal(firstBlobVersion(garbled), RETIRED_BLOB_VERSION);
  const storage = new MemoryStorage();
  await storage.append([{ room: 'r1', update: garbled }]);
  await assert.rejects(refuseRetiredProtocol(storage, 'here'), refusal);
  const current = row(BLOB_VERSION, 50_000).fill(0xff, 40);
  assert.equal(firstBlobVersion(current), BLOB_VERSION);
});
