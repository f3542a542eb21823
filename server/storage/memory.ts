// In-memory storage: for tests and for relays that should keep nothing on disk.
import type { AppendEntry, RelayStorage, StoredRoom } from './types.ts';

interface Row {
  seq: number;
  update: Uint8Array;
}

export class MemoryStorage implements RelayStorage {
  #rooms = new Map<string, Row[]>();
  #snapshots = new Map<string, number>();
  #seq = 0;
  #closed = false;

  async load(room: string): Promise<StoredRoom> {
    this.#check();
    const rows = this.#rooms.get(room) ?? [];
    let bytes = 0;
    for (const r of rows) bytes += r.update.length;
    return { updates: rows.map((r) => r.update.slice()), throughSeq: rows.at(-1)?.seq ?? 0, bytes };
  }

  async roomBytes(room: string): Promise<number> {
    this.#check();
    let bytes = 0;
    for (const r of this.#rooms.get(room) ?? []) bytes += r.update.length;
    return bytes;
  }

  async append(batch: readonly AppendEntry[]): Promise<void> {
    this.#check();
    for (const { room, update } of batch) {
      let rows = this.#rooms.get(room);
      if (!rows) this.#rooms.set(room, (rows = []));
      rows.push({ seq: ++this.#seq, update: update.slice() });
    }
  }

  async lastSeq(room: string): Promise<number> {
    this.#check();
    return this.#rooms.get(room)?.at(-1)?.seq ?? 0;
  }

  async compact(room: string, throughSeq: number, merged: readonly Uint8Array[]): Promise<void> {
    this.#check();
    const rows = this.#rooms.get(room);
    if (!rows) return;
    const kept = rows.filter((r) => r.seq > throughSeq);
    if (kept.length === rows.length) return;
    this.#rooms.set(room, [...merged.map((update) => ({ seq: throughSeq, update: update.slice() })), ...kept]);
  }

  async listRooms(): Promise<string[]> {
    this.#check();
    return [...this.#rooms.keys()].sort();
  }

  async listRoomMarks(): Promise<Array<[string, number]>> {
    this.#check();
    return [...this.#rooms].sort(([a], [b]) => (a < b ? -1 : 1)).map(([room, rows]) => [room, Math.max(...rows.map((r) => r.seq))]);
  }

  async listRoomsWithPrefix(prefix: string): Promise<string[]> {
    return (await this.listRooms()).filter((r) => r.startsWith(prefix));
  }

  async markSnapshot(room: string, at: number): Promise<void> {
    this.#check();
    if (!this.#snapshots.has(room)) this.#snapshots.set(room, at);
  }

  async listSnapshotMarks(): Promise<Array<[string, number]>> {
    this.#check();
    return [...this.#snapshots];
  }

  async dropRoom(room: string): Promise<void> {
    this.#check();
    this.#rooms.delete(room);
    this.#snapshots.delete(room);
  }

  async close(): Promise<void> {
    this.#closed = true;
  }

  #check(): void {
    if (this.#closed) throw new Error('storage is closed');
  }
}
