// The browser room store: one IndexedDB database per room in y-indexeddb's layout (an
// auto-increment `updates` store and a `custom` store), read through lib0/indexeddb so the
// space validates every stored update on load instead of y-indexeddb applying it blindly.
// Ciphertext only; the plaintext doc is never stored.
import * as idb from 'lib0/indexeddb';
import { PREFERRED_TRIM_SIZE } from 'y-indexeddb';
import { parseRoomName, roomName, type RoomName, type SpaceId } from '#shared';
import { checkedMeta, type IdentityStore, type RoomMeta, type RoomStore, type StoredIdentity, type StoredRoom } from '#client-core/store.ts';
import { caught } from '#client-core/problems.ts';

/** Where a device's databases are: `baton` and `baton:<room>`, or for a locked device `baton-s` and `baton-s:<stand-in room>`. */
export interface DatabaseNames {
  index: string;
  prefix: string;
}

export const CLEAR_DATABASES: DatabaseNames = { index: 'baton', prefix: 'baton:' };
export const SEALED_DATABASES: DatabaseNames = { index: 'baton-s', prefix: 'baton-s:' };

function openRoomDb(names: DatabaseNames, room: RoomName): Promise<IDBDatabase> {
  return idb.openDB(names.prefix + room, (db) =>
    idb.createStores(db, [['updates', { autoIncrement: true }], ['custom']]),
  );
}

function openIndexDb(names: DatabaseNames = CLEAR_DATABASES): Promise<IDBDatabase> {
  return idb.openDB(names.index, (db) => idb.createStores(db, [['rooms'], ['identity']]));
}

/** Another tab (or a wipe) deleting or upgrading a database: let go of it at once, so it is not blocked. */
function closeOnVersionChange(db: IDBDatabase, forget: () => void): void {
  db.addEventListener('versionchange', () => {
    forget();
    db.close();
  });
}

export class IndexedDbStore implements RoomStore {
  constructor(private readonly names: DatabaseNames = CLEAR_DATABASES) {}

  private readonly dbs = new Map<RoomName, Promise<IDBDatabase>>();
  private index: Promise<IDBDatabase> | null = null;
  /** Writes under way: close() lets them finish rather than pull their connection away. */
  private readonly writing = new Set<Promise<unknown>>();

  private track(write: Promise<void>): Promise<void> {
    this.writing.add(write);
    const done = () => this.writing.delete(write);
    write.then(done, done);
    return write;
  }

  /**
   * Connections are kept open, but not once they are closed from elsewhere (another tab
   * upgraded or deleted the database) or failed to open: the next use opens them again.
   */
  private db(room: RoomName): Promise<IDBDatabase> {
    let db = this.dbs.get(room);
    if (!db) {
      const opening = openRoomDb(this.names, room);
      this.dbs.set(room, (db = opening));
      const forget = () => {
        if (this.dbs.get(room) === opening) this.dbs.delete(room);
      };
      opening.then((d) => closeOnVersionChange(d, forget), forget);
    }
    return db;
  }

  private indexDb(): Promise<IDBDatabase> {
    if (!this.index) {
      const opening = openIndexDb(this.names);
      this.index = opening;
      const forget = () => {
        if (this.index === opening) this.index = null;
      };
      opening.then((d) => closeOnVersionChange(d, forget), forget);
    }
    return this.index;
  }

  async load(room: RoomName): Promise<StoredRoom> {
    try {
      const [updates] = idb.transact(await this.db(room), ['updates'], 'readonly');
      const values = (await idb.getAll(updates!)) as unknown[];
      const problems = values.some((v) => !(v instanceof Uint8Array)) ? [{ kind: 'store-damaged' as const }] : [];
      return { updates: values.filter((v): v is Uint8Array => v instanceof Uint8Array), problems };
    } catch (err) {
      return { updates: [], problems: [{ kind: 'store-unreadable' as const, ...caught(err) }] };
    }
  }

  append(room: RoomName, update: Uint8Array): Promise<void> {
    return this.track(this.appendNow(room, update));
  }

  private async appendNow(room: RoomName, update: Uint8Array): Promise<void> {
    const [updates] = idb.transact(await this.db(room), ['updates']);
    await idb.addAutoKey(updates!, update as unknown as ArrayBuffer); // lib0's types are narrower than IndexedDB
    const [rooms] = idb.transact(await this.indexDb(), ['rooms']);
    await idb.put(rooms!, true, room);
  }

  replace(room: RoomName, update: Uint8Array, keepOriginal = false): Promise<void> {
    return this.track(this.replaceNow(room, update, keepOriginal));
  }

  private async replaceNow(room: RoomName, update: Uint8Array, keepOriginal: boolean): Promise<void> {
    if (keepOriginal) return; // nowhere to set damaged records aside: keep them all
    const [updates] = idb.transact(await this.db(room), ['updates']);
    const count = await idb.count(updates!);
    if (count <= 1 && count < PREFERRED_TRIM_SIZE) return;
    const key = await idb.addAutoKey(updates!, update as unknown as ArrayBuffer); // lib0's types are narrower than IndexedDB
    await idb.del(updates!, idb.createIDBKeyRangeUpperBound(key as number, true));
  }

  async loadMeta(room: RoomName): Promise<RoomMeta> {
    const [custom] = idb.transact(await this.db(room), ['custom'], 'readonly');
    return checkedMeta(await idb.get(custom!, 'meta'));
  }

  saveMeta(room: RoomName, meta: RoomMeta): Promise<void> {
    return this.track(this.saveMetaNow(room, meta));
  }

  private async saveMetaNow(room: RoomName, meta: RoomMeta): Promise<void> {
    const [custom] = idb.transact(await this.db(room), ['custom']);
    await idb.put(custom!, meta as unknown as string, 'meta');
  }

  /** Kept in the `custom` store of the space's epoch 0 database, whichever epoch is current. */
  async loadPreview(spaceId: SpaceId): Promise<Uint8Array | null> {
    try {
      const [custom] = idb.transact(await this.db(roomName(spaceId, 0)), ['custom'], 'readonly');
      const record = (await idb.get(custom!, 'preview')) as unknown;
      return record instanceof Uint8Array ? record : null;
    } catch {
      return null;
    }
  }

  savePreview(spaceId: SpaceId, record: Uint8Array): Promise<void> {
    return this.track(this.savePreviewNow(spaceId, record));
  }

  private async savePreviewNow(spaceId: SpaceId, record: Uint8Array): Promise<void> {
    const [custom] = idb.transact(await this.db(roomName(spaceId, 0)), ['custom']);
    await idb.put(custom!, record as unknown as string, 'preview');
  }

  async rooms(): Promise<RoomName[]> {
    const [rooms] = idb.transact(await this.indexDb(), ['rooms'], 'readonly');
    const keys = (await idb.getAllKeys(rooms!)) as unknown[];
    return keys.filter((k): k is RoomName => typeof k === 'string' && parseRoomName(k) !== null).sort();
  }

  async close(): Promise<void> {
    while (this.writing.size > 0) await Promise.allSettled([...this.writing]);
    for (const db of this.dbs.values()) (await db.catch(() => null))?.close();
    this.dbs.clear();
    (await this.index?.catch(() => null))?.close();
    this.index = null;
  }
}

/** The device's identity, in the same index database. */
export class IndexedDbIdentityStore implements IdentityStore {
  constructor(private readonly names: DatabaseNames = CLEAR_DATABASES) {}

  async load(): Promise<StoredIdentity | null> {
    const db = await openIndexDb(this.names);
    try {
      const [store] = idb.transact(db, ['identity'], 'readonly');
      const value = (await idb.get(store!, 'identity')) as unknown as StoredIdentity | undefined;
      return value && typeof value.identity === 'string' && typeof value.name === 'string' ? value : null;
    } finally {
      db.close();
    }
  }

  async save(value: StoredIdentity): Promise<void> {
    const db = await openIndexDb(this.names);
    try {
      const [store] = idb.transact(db, ['identity']);
      await idb.put(store!, value as unknown as string, 'identity');
    } finally {
      db.close();
    }
  }
}
