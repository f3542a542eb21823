import { test } from 'vitest';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { createSpace, generateIdentity, initSodium } from '#shared';
import { ReceiptBook, covers, decodeStateVectorSafe } from './receipts.ts';
import { Space } from './space.ts';
import { MemoryStore } from './store.ts';

await initSodium();

test('a receipt covers a blob when its clock for the client is past the blob', () => {
  const sv = new Map([[7, 3]]);
  assert.equal(covers(sv, 7, 2), true);
  assert.equal(covers(sv, 7, 3), false);
  assert.equal(covers(sv, 8, 0), false);
  const book = new ReceiptBook();
  assert.equal(book.record('http://a', new Map([[7, 1]])), true);
  assert.equal(book.record('http://b', new Map([[7, 3]])), true);
  assert.equal(book.record('http://a', new Map([[7, 0]])), false, 'an older receipt changes nothing');
  assert.deepEqual(book.coveredBy(7, 0), ['http://a', 'http://b']);
  assert.deepEqual(book.coveredBy(7, 2), ['http://b']);
  assert.equal(decodeStateVectorSafe(new Uint8Array([5, 1])), null, 'a truncated vector is refused');
});

test('local writes show which relays confirmed them; the outbox is the rest', async () => {
  const space = await Space.open(createSpace('thread'), { store: new MemoryStore(), identity: generateIdentity() });
  const doc = space.requireWrite();
  doc.getMap('posts').set('one', 1);
  space.flush();
  doc.getMap('posts').set('two', 2);
  space.flush();
  const writes = space.localWrites();
  assert.equal(writes.length, 2);
  assert.equal(space.outbox().length, 2);
  const client = space.envelope.clientID;
  space.receipts.record('http://a', new Map([[client, 1]]));
  space.receipts.record('http://b', new Map([[client, 2]]));
  assert.deepEqual(space.localWrites().map((w) => w.relays), [['http://a', 'http://b'], ['http://b']]);
  assert.equal(space.outbox().length, 0);
  // Blobs from other devices are not ours to count.
  const other = await Space.open(space.cap, { store: new MemoryStore(), identity: generateIdentity() });
  Y.applyUpdate(other.envelope, Y.encodeStateAsUpdate(space.envelope));
  assert.equal(other.localWrites().length, 0);
  assert.equal(other.requireRead().getMap('posts').get('two'), 2);
  await space.close();
  await other.close();
});
