// The start-up check reads one byte of a stored room, the version of its first blob, straight
// from the row's bytes: nothing is applied to a doc, and damaged rows say nothing.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { it } from 'vitest';
import * as Y from 'yjs';
import { BLOB_VERSION } from '#shared';
import { tinyBlobRoom } from '#test/support/tiny-blobs.ts';
import { firstBlobVersion } from './retired-protocol.ts';

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
