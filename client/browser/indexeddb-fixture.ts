// The IndexedDB store as a fixture of the store acceptance suite (client/core/store-
// acceptance.ts), for fake-indexeddb in Node and for a real browser alike. Damage goes in
// through the store's own database layout: an entry that is not an update, bookkeeping of
// any shape, a database without its updates store. The sealed variant is the store of a
// locked device (client/core/sealed-store.ts) over the same IndexedDB store.
import * as idb from 'lib0/indexeddb';
import { initSodium } from '#shared/sodium.ts';
import type { RoomName } from '#shared/ids.ts';
import type { RoomStoreFixture } from '#client-core/store-acceptance.ts';
import { SealedStore } from '#client-core/sealed-store.ts';
import { Vault } from '#client-core/vault.ts';
import { IndexedDbStore, SEALED_DATABASES } from './indexeddb-store.ts';

async function withRoomDb(name: string, fn: (db: IDBDatabase) => Promise<unknown>): Promise<void> {
  const db = await idb.openDB(name, (d) => idb.createStores(d, [['updates', { autoIncrement: true }], ['custom']]));
  try {
    await fn(db);
  } finally {
    db.close();
  }
}

/** `fresh` empties IndexedDB before each test (every database of this origin). */
export function indexedDbFixture(fresh: () => Promise<void>): () => Promise<RoomStoreFixture> {
  return async () => {
    await fresh();
    const f: RoomStoreFixture = {
      store: new IndexedDbStore(),
      async reopen() {
        await f.store.close();
        return new IndexedDbStore();
      },
      async damage(room) {
        await withRoomDb(`baton:${room}`, (db) => {
          const [updates] = idb.transact(db, ['updates']);
          return idb.addAutoKey(updates!, 'torn' as unknown as ArrayBuffer);
        });
      },
      async damageMeta(room, value) {
        await withRoomDb(`baton:${room}`, (db) => {
          const [custom] = idb.transact(db, ['custom']);
          return idb.put(custom!, value as string, 'meta');
        });
      },
      async unreadable(room) {
        await dropUpdates(`baton:${room}`);
      },
      async teardown() {
        await f.store.close();
      },
    };
    return f;
  };
}

/** The sealed store over IndexedDB, damaged through its stand-in rooms' databases. */
export function sealedIndexedDbFixture(fresh: () => Promise<void>): () => Promise<RoomStoreFixture> {
  return async () => {
    await Promise.all([fresh(), initSodium()]);
    const vault = new Vault(Vault.newDataKey());
    const open = () => new SealedStore(new IndexedDbStore(SEALED_DATABASES), vault);
    const name = (room: RoomName) => SEALED_DATABASES.prefix + (f.store as SealedStore).standIn(room);
    const f: RoomStoreFixture = {
      store: open(),
      async reopen() {
        await f.store.close();
        return open();
      },
      async damage(room) {
        await withRoomDb(name(room), (db) => {
          const [updates] = idb.transact(db, ['updates']);
          return idb.addAutoKey(updates!, 'torn' as unknown as ArrayBuffer);
        });
      },
      async damageMeta(room, value) {
        await (f.store as SealedStore).saveRawMeta(room, value);
      },
      async unreadable(room) {
        await dropUpdates(name(room));
      },
      async teardown() {
        await f.store.close();
      },
    };
    return f;
  };
}

/** A room's database upgraded by someone else with its updates store gone. */
async function dropUpdates(name: string): Promise<void> {
  const current = await idb.openDB(name, () => {});
  const version = current.version;
  current.close();
  await new Promise<void>((resolve, reject) => {
    const request = indexedDB.open(name, version + 1);
    request.onupgradeneeded = () => request.result.deleteObjectStore('updates');
    request.onsuccess = () => {
      request.result.close();
      resolve();
    };
    request.onerror = () => reject(request.error);
    request.onblocked = () => reject(new Error(`${name} is held open`));
  });
}
