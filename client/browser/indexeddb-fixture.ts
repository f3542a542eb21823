// The IndexedDB store as a fixture of the store acceptance suite (client/core/store-
// acceptance.ts), for fake-indexeddb in Node and for a real browser alike. Damage goes in
// through the store's own database layout: an entry that is not an update, bookkeeping of
// any shape, a database without its updates store.
import * as idb from 'lib0/indexeddb';
import type { RoomName } from '#shared/ids.ts';
import type { RoomStoreFixture } from '#client-core/store-acceptance.ts';
import { IndexedDbStore } from './indexeddb-store.ts';

async function withRoomDb(room: RoomName, fn: (db: IDBDatabase) => Promise<unknown>): Promise<void> {
  const db = await idb.openDB(`baton:${room}`, (d) => idb.createStores(d, [['updates', { autoIncrement: true }], ['custom']]));
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
        await withRoomDb(room, (db) => {
          const [updates] = idb.transact(db, ['updates']);
          return idb.addAutoKey(updates!, 'torn' as unknown as ArrayBuffer);
        });
      },
      async damageMeta(room, value) {
        await withRoomDb(room, (db) => {
          const [custom] = idb.transact(db, ['custom']);
          return idb.put(custom!, value as string, 'meta');
        });
      },
      // The room's database upgraded by someone else with its updates store gone.
      async unreadable(room) {
        const name = `baton:${room}`;
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
      },
      async teardown() {
        await f.store.close();
      },
    };
    return f;
  };
}
