// What a room read over HTTP answers (GET /v1/rooms/<room>). Encoding a room of tens of
// megabytes holds the event loop for a good part of a second, so a client reading a big room
// again and again must not make the relay encode it each time: a read that lacks most of the
// room gets the whole room's one encoding, kept while the room is unchanged (applying what
// one holds is harmless, and it is at most twice what was lacking); other large reads are
// encoded within a relay-wide byte rate, and past it answered 429. The whole room is encoded
// a slice of event-loop time at a time (server/rooms/room-encoding.ts), in chunks sent as they are.
import type { Counters } from '../metrics/counters.ts';
import type { MemoryLedger } from '../memory-ledger.ts';
import { ENCODE_SLICE_MS, encodeWholeRoom } from '../rooms/room-encoding.ts';
import type { Room } from '../rooms/room.ts';
import { lacking } from '../sync/answers.ts';
import { TokenBucket } from '../sync/rate-limit.ts';
import { SMALL_HTTP_ANSWER_BYTES } from './answer-budget.ts';

/** How long a whole room's encoding is kept after its last read. */
const KEEP_IDLE_MS = 10_000;
/** Chunks of a whole room's encoding. */
const CHUNK_BYTES = 256 * 1024;
/** Bytes of partial reads encoded a second, relay-wide, and in a burst. */
const PARTIAL_BYTES_PER_SECOND = 32 * 1024 * 1024;

interface Kept {
  version: number;
  /** The encoding's chunks once built; their concatenation is the update. */
  chunks: Promise<Uint8Array[]>;
  bytes: number;
  usedAt: number;
}

export interface RoomReadsOptions {
  /** The relay-wide budget: kept encodings are the first thing it drops. */
  ledger?: MemoryLedger;
  /** How long a kept encoding nobody reads stays kept. */
  keepIdleMs?: number;
  /** Event-loop time a whole room's encoding takes at a time. */
  sliceMs?: number;
}

export class RoomReads {
  readonly #kept = new Map<string, Kept>();
  #keptBytes = 0;
  #sweep: NodeJS.Timeout | null = null;
  readonly #partial = new TokenBucket(PARTIAL_BYTES_PER_SECOND, PARTIAL_BYTES_PER_SECOND);

  private readonly ledger: MemoryLedger | null;
  private readonly keepIdleMs: number;
  private readonly sliceMs: number;

  constructor(
    /** Bytes of whole rooms kept at once (the newest is kept even past it). */
    private readonly maxKeptBytes: number,
    private readonly counters: Counters,
    options: RoomReadsOptions = {},
  ) {
    this.ledger = options.ledger ?? null;
    this.keepIdleMs = options.keepIdleMs ?? KEEP_IDLE_MS;
    this.sliceMs = options.sliceMs ?? ENCODE_SLICE_MS;
  }

  /** For the ledger: bytes of whole rooms kept. */
  get heldBytes(): number {
    return this.#keptBytes;
  }

  /** Forgets kept encodings, least recently read first, until about `need` bytes are freed (a reader being sent one keeps its chunks). */
  shed(need: number): number {
    const before = this.#keptBytes;
    this.#forgetOldest(() => before - this.#keptBytes >= need);
    return before - this.#keptBytes;
  }

  /**
   * The update answering `sv` (all of the room without one), as chunks to send one after
   * another, or null past the partial-read rate.
   */
  async read(room: Room, sv: Uint8Array | undefined): Promise<Uint8Array[] | null> {
    if (sv === undefined) return this.#whole(room);
    const { estimate } = lacking(room, sv);
    if (estimate <= SMALL_HTTP_ANSWER_BYTES) return [room.diff(sv)];
    if (estimate * 2 >= room.bytes) return this.#whole(room);
    if (!this.#partial.take(estimate)) return null;
    this.counters.add('http.read-computed');
    return [room.diff(sv)];
  }

  #whole(room: Room): Promise<Uint8Array[]> {
    const now = performance.now();
    const kept = this.#kept.get(room.name);
    if (kept?.version === room.version) {
      kept.usedAt = now;
      return kept.chunks;
    }
    this.counters.add('http.read-computed');
    if (room.bytes <= SMALL_HTTP_ANSWER_BYTES) return Promise.resolve([room.diff()]);
    // Readers that come while it is built share it. Counted at the room's size meanwhile.
    const entry: Kept = { version: room.version, chunks: encodeWholeRoom(room.doc, CHUNK_BYTES, this.sliceMs), bytes: room.bytes, usedAt: now };
    this.#forget(room.name);
    this.#kept.set(room.name, entry);
    this.#keptBytes += entry.bytes;
    void entry.chunks.then((chunks) => {
      if (this.#kept.get(room.name) !== entry) return;
      const bytes = chunks.reduce((n, c) => n + c.length, 0);
      this.#keptBytes += bytes - entry.bytes;
      entry.bytes = bytes;
    });
    // Least recently read first, while over the bound; the newest stays.
    this.#forgetOldest(() => this.#keptBytes <= this.maxKeptBytes, room.name);
    // Past the relay-wide budget, other kept copies (this one last) give way.
    this.ledger?.over(0);
    this.#sweep ??= setTimeout(() => this.#dropIdle(), this.keepIdleMs).unref();
    return entry.chunks;
  }

  /** Forgets kept encodings, least recently read first (all but `spare`), until `enough` says so. */
  #forgetOldest(enough: () => boolean, spare?: string): void {
    for (const [name] of [...this.#kept].sort(([, a], [, b]) => a.usedAt - b.usedAt)) {
      if (enough()) break;
      if (name !== spare) this.#forget(name);
    }
  }

  #dropIdle(): void {
    this.#sweep = null;
    const now = performance.now();
    for (const [name, kept] of this.#kept) if (now - kept.usedAt >= this.keepIdleMs) this.#forget(name);
    if (this.#kept.size > 0) this.#sweep = setTimeout(() => this.#dropIdle(), this.keepIdleMs).unref();
  }

  #forget(name: string): void {
    const kept = this.#kept.get(name);
    if (!kept) return;
    this.#kept.delete(name);
    this.#keptBytes -= kept.bytes;
  }
}
