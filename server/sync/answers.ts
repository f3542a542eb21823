// Answers to sync step 1 ("send me what I lack"), held as pieces while they are sent. A
// room's answer for one state vector is computed once and shared by every connection that
// asks for the same thing at once (a crowd opening a board asks for the same whole room),
// and the bytes held for all connections together are bounded: past the bound a
// connection waits for its turn instead of making the relay hold one more copy.
//
// A large answer is cut from the whole room's pieces, which are kept a while after the
// last reader let go (within the same bound): encoding a room of tens of megabytes holds
// the event loop for a good part of a second, and clients that ask and leave, again and
// again, each with another state vector, must not make the relay encode it every time.
import * as Y from 'yjs';
import { splitEnvelopeUpdate } from '#shared';
import type { Counters } from '../metrics/counters.ts';
import type { Room } from '../rooms/room.ts';

export interface Answer {
  readonly pieces: readonly Uint8Array[];
  readonly bytes: number;
}

interface Entry extends Answer {
  key: string;
  refs: number;
  /** Per piece of a whole room: the clock it reaches for each client (skipped for a holder of as much). */
  reaches: Map<number, number>[] | null;
  /** performance.now() when the last reader released it, for a kept whole-room answer. */
  idleSince: number | null;
}

/** Answers this small are computed without waiting for room in the pool. */
const SMALL_ANSWER_BYTES = 256 * 1024;
/** How long a whole room's pieces are kept after their last reader, unless the room is needed. */
const KEEP_IDLE_MS = 10_000;

export class AnswerPool {
  readonly #entries = new Map<string, Entry>();
  /** Answers cut from a whole room's pieces, and the entry each one holds. */
  readonly #views = new WeakMap<Answer, Entry>();
  #held = 0;
  #waiters: Array<() => void> = [];
  #sweep: NodeJS.Timeout | null = null;

  constructor(
    private readonly maxBytes: number,
    /** Largest piece sent as one message. */
    readonly pieceBytes: number,
    private readonly counters: Counters | null = null,
    private readonly keepIdleMs = KEEP_IDLE_MS,
  ) {}

  get heldBytes(): number {
    return this.#held;
  }

  /**
   * The answer to `sv` (validated by the caller), shared with others asking the same; null
   * when the pool is full now (`whenFree` calls back once some is released). Pair with release.
   */
  take(room: Room, sv: Uint8Array): Answer | null {
    const { key, estimate } = lacking(room, sv);
    if (estimate > SMALL_ANSWER_BYTES) {
      const whole = this.#entry(room, `${room.name}|${room.version}|*`, room.bytes, true);
      if (!whole) return null;
      const view = cut(whole, sv);
      if (view) {
        this.#views.set(view, whole);
        return view;
      }
      this.release(whole); // the holder lacks less than the estimate said: answer it alone
    }
    return this.#entry(room, `${room.name}|${room.version}|${key}`, estimate, false, sv);
  }

  release(answer: Answer): void {
    const entry = this.#views.get(answer) ?? (answer as Entry);
    if (--entry.refs > 0) return;
    if (entry.reaches && this.#entries.get(entry.key) === entry) {
      entry.idleSince = performance.now();
      this.#sweep ??= setTimeout(() => this.#dropIdle(), this.keepIdleMs).unref();
    } else this.#drop(entry);
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }

  whenFree(wake: () => void): void {
    this.#waiters.push(wake);
  }

  /** Forgets a waiter that went away (a closed connection). */
  forget(wake: () => void): void {
    this.#waiters = this.#waiters.filter((w) => w !== wake);
  }

  /** The shared entry under `key`, computed if needed and the pool has room for it. */
  #entry(room: Room, key: string, estimate: number, whole: boolean, sv?: Uint8Array): Entry | null {
    const shared = this.#entries.get(key);
    if (shared) {
      shared.refs++;
      shared.idleSince = null;
      return shared;
    }
    // Pieces of an older version of this room, or of rooms nobody reads now, give way.
    const [thisRoom, thisVersion] = [`${room.name}|`, `${room.name}|${room.version}|`];
    for (const entry of this.#entries.values()) if (entry.idleSince !== null && entry.key.startsWith(thisRoom) && !entry.key.startsWith(thisVersion)) this.#drop(entry);
    this.#dropIdle(estimate);
    // One answer always fits, so a relay with one big room still answers.
    if (estimate > SMALL_ANSWER_BYTES && this.#held > 0 && this.#held + estimate > this.maxBytes) return null;
    this.counters?.add('sync.answer-computed');
    const pieces = splitEnvelopeUpdate(room.diff(whole ? undefined : sv), this.pieceBytes);
    let bytes = 0;
    for (const p of pieces) bytes += p.length;
    const reaches = whole ? pieces.map((p) => Y.parseUpdateMeta(p).to) : null;
    const entry: Entry = { key, pieces, bytes, refs: 1, reaches, idleSince: null };
    this.#entries.set(key, entry);
    this.#held += bytes;
    return entry;
  }

  /** Drops kept answers nobody reads: all that idled long enough, or as many as `room` bytes need. */
  #dropIdle(room?: number): void {
    if (this.#sweep && room === undefined) this.#sweep = null;
    const now = performance.now();
    let kept = false;
    for (const entry of [...this.#entries.values()].sort((a, b) => (a.idleSince ?? 0) - (b.idleSince ?? 0))) {
      if (entry.idleSince === null) continue;
      const needed = room !== undefined && this.#held + room > this.maxBytes;
      if (needed || now - entry.idleSince >= this.keepIdleMs) this.#drop(entry);
      else kept = true;
    }
    if (kept && room === undefined) this.#sweep = setTimeout(() => this.#dropIdle(), this.keepIdleMs).unref();
  }

  #drop(entry: Entry): void {
    if (this.#entries.get(entry.key) !== entry) return;
    this.#entries.delete(entry.key);
    this.#held -= entry.bytes;
  }
}

/** The pieces of a whole room that a holder of `sv` lacks something of; null if none. */
function cut(whole: Entry, sv: Uint8Array): Answer | null {
  const have = Y.decodeStateVector(sv);
  const pieces: Uint8Array[] = [];
  let bytes = 0;
  whole.pieces.forEach((piece, i) => {
    for (const [client, clock] of whole.reaches![i]!) {
      if ((have.get(client) ?? 0) >= clock) continue;
      pieces.push(piece);
      bytes += piece.length;
      return;
    }
  });
  return pieces.length > 0 ? { pieces, bytes } : null;
}

/**
 * What a holder of `sv` lacks of the room, as a key (equal keys get equal answers: clients
 * unknown to the room and clocks past the room's are ignored) and an estimate of its bytes.
 */
export function lacking(room: Room, sv: Uint8Array): { key: string; estimate: number } {
  const have = Y.decodeStateVector(sv);
  const parts: string[] = [];
  let missing = 0;
  for (const [client, clock] of Y.decodeStateVector(room.stateVector())) {
    const held = Math.min(have.get(client) ?? 0, clock);
    if (held >= clock) continue;
    parts.push(`${client}:${held}`);
    missing += clock - held;
  }
  parts.sort();
  const blobs = Math.max(1, room.blobCount);
  const estimate = Math.min(room.bytes, Math.ceil((missing * room.bytes) / blobs));
  return { key: parts.join(','), estimate };
}
