// The store acceptance suite against the IndexedDB store on fake-indexeddb, a fresh factory
// per test. The same cases run once in Chromium's own IndexedDB (test/e2e/store-acceptance-
// browser.test.ts).
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, it } from 'vitest';
import assert from 'node:assert/strict';
import * as idb from 'lib0/indexeddb';
import { roomName, spaceIdFromPublicKey } from '#shared/ids.ts';
import { runRoomStoreTests } from '#client-core/store-acceptance.ts';
import { indexedDbFixture, sealedIndexedDbFixture } from './indexeddb-fixture.ts';
import { IndexedDbStore } from './indexeddb-store.ts';

runRoomStoreTests('IndexedDB (fake-indexeddb)', indexedDbFixture(async () => {
  globalThis.indexedDB = new IDBFactory();
}), { describe, it });

runRoomStoreTests('sealed, over IndexedDB (fake-indexeddb)', sealedIndexedDbFixture(async () => {
  globalThis.indexedDB = new IDBFactory();
}), { describe, it });

it('a database upgraded or deleted from elsewhere is opened again for later writes', async () => {
  globalThis.indexedDB = new IDBFactory();
  const room = roomName(spaceIdFromPublicKey(new Uint8Array(32).fill(7)), 0);
  const store = new IndexedDbStore();
  try {
    await store.append(room, new Uint8Array([1]));
    // Another tab of a newer version upgrades the room's database (this connection is asked to close).
    const current = await idb.openDB(`baton:${room}`, () => {});
    const version = current.version;
    current.close();
    ((await idb.rtop(indexedDB.open(`baton:${room}`, version + 1))) as IDBDatabase).close();
    await store.append(room, new Uint8Array([2]));
    assert.deepEqual((await store.load(room)).updates.map((u) => [...u]), [[1], [2]]);
    // Site data cleared from elsewhere: later writes start a fresh database rather than fail.
    await idb.deleteDB(`baton:${room}`);
    await idb.deleteDB('baton');
    await store.append(room, new Uint8Array([3]));
    assert.deepEqual((await store.load(room)).updates.map((u) => [...u]), [[3]]);
    assert.deepEqual(await store.rooms(), [room]);
  } finally {
    await store.close();
  }
});
