// Embedded SQLite storage (better-sqlite3), the relay's default.
//
// Durability: the database runs in WAL mode. With synchronous=NORMAL (the default here) a
// commit is written to the WAL file with write(2) before append() resolves, so it survives
// the relay process being killed (kill -9, a crash, an OOM kill): the operating system
// still holds the pages. It does NOT survive the machine itself losing power or the kernel
// crashing before the WAL is fsynced at the next checkpoint: the last transactions may be
// rolled back (never corrupted). durability 'full' (synchronous=FULL) fsyncs the WAL on
// every commit and survives power loss too, at the cost of one fsync per batch.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Durability } from '../config.ts';
import { nextTurn } from '../slices.ts';
import type { AppendEntry, RelayStorage, StoredRoom } from './types.ts';
import { say, str } from '../l10n.ts';

const SCHEMA_VERSION = 1;
/** Rows read at a time by load: a compacted room's rows are at most about 1 MiB each (compaction.ts). */
const PAGE_ROWS = 8;
export const DATABASE_FILE = 'baton-relay.sqlite';

export class SqliteStorage implements RelayStorage {
  readonly #db: Database.Database;
  readonly #insert: Database.Statement<[string, Buffer]>;
  readonly #insertAt: Database.Statement<[number, string, Buffer]>;
  readonly #page: Database.Statement<[string, number, number], { id: number; data: Buffer }>;
  readonly #deleteThrough: Database.Statement<[string, number]>;
  readonly #lastSeq: Database.Statement<[string], { id: number | null }>;
  readonly #roomBytes: Database.Statement<[string], { bytes: number }>;
  readonly #rooms: Database.Statement<[], { room: string }>;
  readonly #marks: Database.Statement<[], { room: string; mark: number }>;
  readonly #roomsBetween: Database.Statement<[string, string], { room: string }>;
  readonly #appendAll: (batch: readonly AppendEntry[]) => void;
  readonly #markSnapshot: Database.Statement<[string, number]>;
  readonly #snapshotMarks: Database.Statement<[], { room: string; at: number }>;
  readonly #dropRoom: (room: string) => void;
  readonly #compactRoom: (room: string, throughSeq: number, merged: readonly Uint8Array[]) => void;

  /** Opens (creating if needed) the database in dataDir, or a path ending in .sqlite, or ':memory:'. */
  constructor(dataDir: string, durability: Durability = 'normal') {
    let file = dataDir;
    if (dataDir !== ':memory:' && !dataDir.endsWith('.sqlite')) {
      mkdirSync(dataDir, { recursive: true, mode: 0o700 });
      file = join(dataDir, DATABASE_FILE);
    }
    const db = new Database(file);
    this.#db = db;
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${durability === 'full' ? 'FULL' : 'NORMAL'}`);
    db.pragma('busy_timeout = 5000');
    db.exec(`
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS updates (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        room TEXT NOT NULL,
        data BLOB NOT NULL
      );
      CREATE INDEX IF NOT EXISTS updates_by_room ON updates (room, id);
      CREATE TABLE IF NOT EXISTS snapshots (room TEXT PRIMARY KEY, at INTEGER NOT NULL);
    `);
    const version = db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'schema'").get();
    if (!version) db.prepare("INSERT INTO meta (key, value) VALUES ('schema', ?)").run(String(SCHEMA_VERSION));
    else if (Number(version.value) !== SCHEMA_VERSION) {
      db.close();
      const [schema, understood] = [version.value, SCHEMA_VERSION];
      throw new Error(say(str`the relay database has schema ${schema}; this relay understands ${understood}`, { id: 'relay.schemaMismatch' }));
    }
    this.#insert = db.prepare('INSERT INTO updates (room, data) VALUES (?, ?)');
    this.#insertAt = db.prepare('INSERT INTO updates (id, room, data) VALUES (?, ?, ?)');
    this.#page = db.prepare('SELECT id, data FROM updates WHERE room = ? AND id > ? ORDER BY id LIMIT ?');
    this.#deleteThrough = db.prepare('DELETE FROM updates WHERE room = ? AND id <= ?');
    this.#lastSeq = db.prepare('SELECT MAX(id) AS id FROM updates WHERE room = ?');
    this.#roomBytes = db.prepare('SELECT COALESCE(SUM(length(data)), 0) AS bytes FROM updates WHERE room = ?');
    this.#rooms = db.prepare('SELECT DISTINCT room FROM updates ORDER BY room');
    this.#marks = db.prepare('SELECT room, MAX(id) AS mark FROM updates GROUP BY room ORDER BY room');
    this.#roomsBetween = db.prepare('SELECT DISTINCT room FROM updates WHERE room >= ? AND room < ? ORDER BY room');
    this.#appendAll = db.transaction((batch: readonly AppendEntry[]) => {
      for (const { room, update } of batch) this.#insert.run(room, toBuffer(update));
    });
    this.#markSnapshot = db.prepare('INSERT OR IGNORE INTO snapshots (room, at) VALUES (?, ?)');
    this.#snapshotMarks = db.prepare('SELECT room, at FROM snapshots ORDER BY room');
    const deleteRoom = db.prepare('DELETE FROM updates WHERE room = ?');
    const deleteMark = db.prepare('DELETE FROM snapshots WHERE room = ?');
    this.#dropRoom = db.transaction((room: string) => {
      deleteRoom.run(room);
      deleteMark.run(room);
    });
    this.#compactRoom = db.transaction((room: string, throughSeq: number, merged: readonly Uint8Array[]) => {
      const removed = this.#deleteThrough.run(room, throughSeq).changes;
      if (removed === 0) return;
      // One merged row takes the place of the last row it replaces, so load order is kept;
      // several go after the rows stored so far.
      if (merged.length === 1) this.#insertAt.run(throughSeq, room, toBuffer(merged[0]!));
      else for (const update of merged) this.#insert.run(room, toBuffer(update));
    });
  }

  async load(room: string): Promise<StoredRoom> {
    // A page of rows at a time, with a turn of the event loop between pages: the rows of a
    // big room are read without holding the relay (a relay writes this room only once it is
    // loaded, so no row comes or goes meanwhile).
    const updates: Uint8Array[] = [];
    let bytes = 0;
    let after = 0;
    for (;;) {
      const rows = this.#page.all(room, after, PAGE_ROWS);
      for (const r of rows) {
        bytes += r.data.length;
        updates.push(new Uint8Array(r.data.buffer, r.data.byteOffset, r.data.byteLength));
      }
      if (rows.length > 0) after = rows.at(-1)!.id;
      if (rows.length < PAGE_ROWS) break;
      await nextTurn();
    }
    return { updates, throughSeq: after, bytes };
  }

  async roomBytes(room: string): Promise<number> {
    // length() of a blob is read from the row's header: the blob itself is not loaded.
    return this.#roomBytes.get(room)?.bytes ?? 0;
  }

  async append(batch: readonly AppendEntry[]): Promise<void> {
    if (batch.length > 0) this.#appendAll(batch);
  }

  async lastSeq(room: string): Promise<number> {
    return this.#lastSeq.get(room)?.id ?? 0;
  }

  async compact(room: string, throughSeq: number, merged: readonly Uint8Array[]): Promise<void> {
    // One row, or rows after throughSeq to keep behind the merge: one transaction. A room of
    // 64 MiB written in one SQLite call held the event loop for 300 ms and more.
    if (merged.length === 1 || (this.#lastSeq.get(room)?.id ?? 0) !== throughSeq) {
      this.#compactRoom(room, throughSeq, merged);
      return;
    }
    if (throughSeq <= 0) return;
    // Each piece in a transaction of its own, a turn apart; the replaced rows go last, so a
    // relay stopped midway holds everything twice, never less.
    for (const piece of merged) {
      this.#insert.run(room, toBuffer(piece));
      await nextTurn();
    }
    this.#deleteThrough.run(room, throughSeq);
  }

  async listRooms(): Promise<string[]> {
    return this.#rooms.all().map((r) => r.room);
  }

  async listRoomMarks(): Promise<Array<[string, number]>> {
    return this.#marks.all().map((r) => [r.room, r.mark]);
  }

  async listRoomsWithPrefix(prefix: string): Promise<string[]> {
    // Every room name is ASCII, so the prefix range ends just below prefix + U+FFFF.
    return this.#roomsBetween.all(prefix, prefix + '\uffff').map((r) => r.room);
  }

  async markSnapshot(room: string, at: number): Promise<void> {
    this.#markSnapshot.run(room, at);
  }

  async listSnapshotMarks(): Promise<Array<[string, number]>> {
    return this.#snapshotMarks.all().map((r) => [r.room, r.at]);
  }

  async dropRoom(room: string): Promise<void> {
    this.#dropRoom(room);
  }

  async close(): Promise<void> {
    if (!this.#db.open) return;
    try {
      this.#db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      this.#db.close();
    }
  }
}

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
