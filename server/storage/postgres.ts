// PostgreSQL storage (the `pg` client), for several relay nodes sharing one database.
//
// Durability: append() resolves after COMMIT, so a receipt means the server has the batch
// (with the server's default synchronous_commit=on, flushed to its WAL).
//
// Several nodes append to one room at once. Row ids come from one sequence, but a row with a
// smaller id can commit after one with a larger id; a node that loaded the later row and
// compacted through it would then delete a row it never merged. So every transaction that
// writes a room holds that room's advisory lock from before its ids are drawn until COMMIT:
// Room names sort bytewise (COLLATE "C"), as in the SQLite store, whatever the server locale.
// within a room ids become visible in order, and a load always sees a prefix of the room.
import pg from 'pg';
import type { AppendEntry, RelayStorage, StoredRoom } from './types.ts';
import { say, str } from '../l10n.ts';

const SCHEMA_VERSION = 1;
/** Held while the schema is created, so that nodes starting together do not race. */
const SCHEMA_LOCK = 0x6261746f6e; // "baton"
/** Rows per INSERT statement; a batch of more is split, still inside one transaction. */
const ROWS_PER_STATEMENT = 500;

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS baton_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS baton_updates (
    id BIGSERIAL PRIMARY KEY,
    room TEXT COLLATE "C" NOT NULL,
    data BYTEA NOT NULL
  );
  CREATE INDEX IF NOT EXISTS baton_updates_by_room ON baton_updates (room, id);
  CREATE TABLE IF NOT EXISTS baton_snapshots (room TEXT COLLATE "C" PRIMARY KEY, at BIGINT NOT NULL);
`;

export class PostgresStorage implements RelayStorage {
  readonly #pool: pg.Pool;
  #closed = false;

  private constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  /** Connects and creates the schema if it is missing; refuses a database of another schema. */
  static async open(url: string, options: { max?: number } = {}): Promise<PostgresStorage> {
    const pool = new pg.Pool({ connectionString: url, max: options.max ?? 8, connectionTimeoutMillis: 10_000 });
    // An idle client that loses its server must not become an uncaught error; the next query reconnects.
    pool.on('error', () => {});
    const storage = new PostgresStorage(pool);
    try {
      await storage.#transaction(async (c) => {
        await c.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK]);
        await c.query(SCHEMA);
        const found = await c.query<{ value: string }>("SELECT value FROM baton_meta WHERE key = 'schema'");
        if (found.rows.length === 0) await c.query("INSERT INTO baton_meta (key, value) VALUES ('schema', $1)", [String(SCHEMA_VERSION)]);
        else if (Number(found.rows[0]!.value) !== SCHEMA_VERSION) {
          const [schema, understood] = [found.rows[0]!.value, SCHEMA_VERSION];
          throw new Error(say(str`the relay database has schema ${schema}; this relay understands ${understood}`, { id: 'relay.schemaMismatch' }));
        }
      });
    } catch (err) {
      await pool.end().catch(() => {});
      throw new Error(`PostgreSQL: ${(err as Error).message}`);
    }
    return storage;
  }

  async load(room: string): Promise<StoredRoom> {
    const { rows } = await this.#query<{ id: string; data: Buffer }>('SELECT id, data FROM baton_updates WHERE room = $1 ORDER BY id', [room]);
    let bytes = 0;
    const updates = rows.map((r) => {
      bytes += r.data.length;
      return new Uint8Array(r.data.buffer, r.data.byteOffset, r.data.byteLength);
    });
    return { updates, throughSeq: rows.length > 0 ? Number(rows.at(-1)!.id) : 0, bytes };
  }

  async roomBytes(room: string): Promise<number> {
    const { rows } = await this.#query<{ bytes: string | null }>('SELECT SUM(octet_length(data)) AS bytes FROM baton_updates WHERE room = $1', [room]);
    return Number(rows[0]?.bytes ?? 0);
  }

  async append(batch: readonly AppendEntry[]): Promise<void> {
    if (batch.length === 0) return;
    await this.#transaction(async (c) => {
      await lockRooms(c, batch.map((e) => e.room));
      for (let start = 0; start < batch.length; start += ROWS_PER_STATEMENT) {
        const part = batch.slice(start, start + ROWS_PER_STATEMENT);
        const values = part.map((_, i) => `($${2 * i + 1}, $${2 * i + 2})`).join(', ');
        // VALUES rows draw their ids in order, so one room's updates load in append order.
        await c.query(`INSERT INTO baton_updates (room, data) VALUES ${values}`, part.flatMap((e) => [e.room, Buffer.from(e.update)]));
      }
    });
  }

  async lastSeq(room: string): Promise<number> {
    const { rows } = await this.#query<{ id: string | null }>('SELECT MAX(id) AS id FROM baton_updates WHERE room = $1', [room]);
    return Number(rows[0]?.id ?? 0);
  }

  async compact(room: string, throughSeq: number, merged: readonly Uint8Array[]): Promise<void> {
    await this.#transaction(async (c) => {
      await lockRooms(c, [room]);
      const removed = await c.query('DELETE FROM baton_updates WHERE room = $1 AND id <= $2', [room, throughSeq]);
      if ((removed.rowCount ?? 0) === 0) return;
      // One merged row takes the place of the last row it replaces, so load order is kept;
      // several go after the rows stored so far (a cluster merges into one: compaction.ts).
      if (merged.length === 1) await c.query('INSERT INTO baton_updates (id, room, data) VALUES ($1, $2, $3)', [throughSeq, room, Buffer.from(merged[0]!)]);
      else for (const update of merged) await c.query('INSERT INTO baton_updates (room, data) VALUES ($1, $2)', [room, Buffer.from(update)]);
    });
  }

  async listRooms(): Promise<string[]> {
    const { rows } = await this.#query<{ room: string }>('SELECT DISTINCT room FROM baton_updates ORDER BY room');
    return rows.map((r) => r.room);
  }

  async listRoomMarks(): Promise<Array<[string, number]>> {
    const { rows } = await this.#query<{ room: string; mark: string }>('SELECT room, MAX(id) AS mark FROM baton_updates GROUP BY room ORDER BY room');
    return rows.map((r) => [r.room, Number(r.mark)]);
  }

  async listRoomsWithPrefix(prefix: string): Promise<string[]> {
    // Every room name is ASCII, so the prefix range ends just below prefix + U+FFFF.
    const { rows } = await this.#query<{ room: string }>(
      'SELECT DISTINCT room FROM baton_updates WHERE room >= $1 AND room < $2 ORDER BY room',
      [prefix, prefix + '\uffff'],
    );
    return rows.map((r) => r.room);
  }

  async markSnapshot(room: string, at: number): Promise<void> {
    await this.#query('INSERT INTO baton_snapshots (room, at) VALUES ($1, $2) ON CONFLICT (room) DO NOTHING', [room, at]);
  }

  async listSnapshotMarks(): Promise<Array<[string, number]>> {
    const { rows } = await this.#query<{ room: string; at: string }>('SELECT room, at FROM baton_snapshots ORDER BY room');
    return rows.map((r) => [r.room, Number(r.at)]);
  }

  async dropRoom(room: string): Promise<void> {
    await this.#transaction(async (c) => {
      await lockRooms(c, [room]);
      await c.query('DELETE FROM baton_updates WHERE room = $1', [room]);
      await c.query('DELETE FROM baton_snapshots WHERE room = $1', [room]);
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#pool.end();
  }

  #query<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>> {
    if (this.#closed) return Promise.reject(new Error('storage is closed'));
    return this.#pool.query<R>(text, values);
  }

  async #transaction(fn: (client: pg.PoolClient) => Promise<void>): Promise<void> {
    if (this.#closed) throw new Error('storage is closed');
    const client = await this.#pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      await fn(client);
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => (broken = true));
      throw err;
    } finally {
      client.release(broken);
    }
  }
}

/** Takes the advisory locks of these rooms until COMMIT, in key order so that two batches never deadlock. */
async function lockRooms(client: pg.PoolClient, rooms: string[]): Promise<void> {
  await client.query(
    'SELECT pg_advisory_xact_lock(k) FROM (SELECT DISTINCT hashtextextended(r, 0) AS k FROM unnest($1::text[]) AS r ORDER BY k) AS keys',
    [[...new Set(rooms)]],
  );
}
