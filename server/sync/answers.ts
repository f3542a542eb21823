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
import { DEFAULT_LIMITS, splitEnvelopeUpdate } from '#shared';
import { Slice } from '../slices.ts';
import type { Counters } from '../metrics/counters.ts';
import type { MemoryLedger } from '../memory-ledger.ts';
import { ENCODE_SLICE_MS, encodeRoomPieces } from '../rooms/room-encoding.ts';
import type { Room } from '../rooms/room.ts';

/** An answer being sent: its pieces in order, the whole room's built while they are sent. */
export interface Answer {
  /** Piece `i`; undefined while it is not built yet (whenBuilt calls back), null past the last. */
  piece(i: number): Uint8Array | null | undefined;
  /** Calls `wake` once, when more of the answer is built. */
  whenBuilt(wake: () => void): void;
}

interface Entry {
  key: string;
  refs: number;
  pieces: Uint8Array[];
  /** Bytes counted for it in the pool: the room's size while it is built, then its pieces'. */
  bytes: number;
  built: boolean;
  /** Per piece of a whole room: the clock it reaches for each client (skipped for a holder of as much). */
  reaches: Map<number, number>[] | null;
  /** performance.now() when the last reader released it, for a kept whole-room answer. */
  idleSince: number | null;
  wakers: Array<() => void>;
}

/** Answers this small are computed without waiting for room in the pool. */
const SMALL_ANSWER_BYTES = 256 * 1024;
/** How long a whole room's pieces are kept after their last reader, unless the room is needed. */
const KEEP_IDLE_MS = 10_000;
/**
 * How soon the first of those waiting is woken to try again after the relay-wide ledger held
 * an answer back: what frees its memory (a room unloading, an HTTP answer sent) does not pass
 * through this pool, so its own releases alone would wake them too late. One at a time, in
 * turn: thousands of sockets waiting must not each ask again four times a second.
 */
const LEDGER_RETRY_MS = 250;
/**
 * The largest restored piece sent as it is: every receiver takes an update of the protocol's
 * limit (a peer's live link reads no bigger message), and compaction writes rows of about it.
 */
const RESTORED_PIECE_BYTES = DEFAULT_LIMITS.maxUpdateBytes;
/** What a holder of all of a room is sent: an update of nothing. */
const NOTHING = new Uint8Array([0, 0]);

export interface AnswerPoolOptions {
  counters?: Counters;
  /** The relay-wide budget a new answer must also fit, when this pool is not empty. */
  ledger?: MemoryLedger;
  /** How long an answer nobody is sent stays kept. */
  keepIdleMs?: number;
  /** Event-loop time a whole room's encoding takes at a time. */
  buildSliceMs?: number;
}

export class AnswerPool {
  readonly #entries = new Map<string, Entry>();
  #held = 0;
  #waiters: Array<() => void> = [];
  #sweep: NodeJS.Timeout | null = null;
  #retry: NodeJS.Timeout | null = null;

  private readonly counters: Counters | null;
  private readonly ledger: MemoryLedger | null;
  private readonly keepIdleMs: number;
  private readonly buildSliceMs: number;

  constructor(
    private readonly maxBytes: number,
    /** Largest piece sent as one message. */
    readonly pieceBytes: number,
    options: AnswerPoolOptions = {},
  ) {
    this.counters = options.counters ?? null;
    this.ledger = options.ledger ?? null;
    this.keepIdleMs = options.keepIdleMs ?? KEEP_IDLE_MS;
    this.buildSliceMs = options.buildSliceMs ?? ENCODE_SLICE_MS;
  }

  get heldBytes(): number {
    return this.#held;
  }

  /** Drops kept whole-room answers nobody reads, oldest first, until about `need` bytes are freed. */
  shed(need: number): number {
    const before = this.#held;
    for (const entry of this.#idleOldestFirst()) {
      if (before - this.#held >= need) break;
      this.#drop(entry);
    }
    return before - this.#held;
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
      const view = new View(whole, Y.decodeStateVector(sv));
      // Built already and nothing of it lacking after all: the holder is answered alone.
      if (!whole.built || view.piece(0) !== NOTHING) return view;
      this.#release(whole);
    }
    const entry = this.#entry(room, `${room.name}|${room.version}|${key}`, estimate, false, sv);
    return entry && new View(entry, null);
  }

  release(answer: Answer): void {
    if (answer instanceof View) this.#release(answer.entry);
  }

  #release(entry: Entry): void {
    if (--entry.refs > 0) return;
    if (entry.reaches && this.#entries.get(entry.key) === entry) {
      entry.idleSince = performance.now();
      this.#sweep ??= setTimeout(() => this.#dropIdle(), this.keepIdleMs).unref();
    } else this.#drop(entry);
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }

  /**
   * A room left memory: its kept encodings go now rather than after their idle time (a relay
   * unloading rooms to make way would otherwise hold both). Those still being read are kept
   * for their idle time once released, as before.
   */
  forgetRoom(name: string): void {
    for (const entry of this.#entries.values()) if (entry.idleSince !== null && entry.key.startsWith(`${name}|`)) this.#drop(entry);
  }

  whenFree(wake: () => void): void {
    this.#waiters.push(wake);
  }

  /** Forgets a waiter that went away (a closed connection). */
  forget(wake: () => void): void {
    this.#waiters = this.#waiters.filter((w) => w !== wake);
  }

  /** The shared entry under `key`, computed (or begun) if needed and the pool has room for it. */
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
    if (estimate > SMALL_ANSWER_BYTES && this.#held > 0 && !this.#fits(estimate)) return null;
    this.counters?.add('sync.answer-computed');
    const entry: Entry = { key, pieces: [], bytes: estimate, built: false, refs: 1, reaches: whole ? [] : null, idleSince: null, wakers: [] };
    this.#entries.set(key, entry);
    this.#held += estimate;
    if (whole) void this.#build(room, entry);
    else this.#built(entry, splitEnvelopeUpdate(room.diff(sv), this.pieceBytes));
    return entry;
  }

  /** Whether an answer of `estimate` fits this pool's bound and the relay-wide one. */
  #fits(estimate: number): boolean {
    if (this.#held + estimate > this.maxBytes) return false;
    if (!this.ledger || this.ledger.over(estimate) === 0) return true;
    // The pool's own kept answers may have gone to make room: an empty pool still answers one.
    if (this.#held === 0) return true;
    this.ledger.refused();
    this.#retry ??= setTimeout(() => {
      this.#retry = null;
      this.#waiters.shift()?.();
    }, LEDGER_RETRY_MS).unref();
    return false;
  }

  /**
   * Encodes the whole room a slice at a time (a room of 64 MiB held the event loop for 170 ms
   * and more in one call); readers send each piece as soon as it is built.
   */
  async #build(room: Room, entry: Entry): Promise<void> {
    const live = () => this.#entries.get(entry.key) === entry;
    const restored = room.version === 0 ? room.restoredPieces : null;
    if (restored) return this.#fromRestored(restored, entry, live);
    let complete = false;
    try {
      ({ complete } = await encodeRoomPieces(room.doc, this.pieceBytes, new Slice(this.buildSliceMs), (piece, reach) => {
        if (!live()) return false; // dropped: nobody will read it
        entry.pieces.push(piece);
        entry.reaches!.push(reach);
        this.#wake(entry);
        return true;
      }));
    } catch {
      // never for a store of envelope items; the rest is encoded below
    }
    if (!live()) return;
    // A store Yjs must encode itself (never the case for a room of validated updates): the rest in one call.
    const sent = new Map<number, number>();
    for (const reach of entry.reaches!) for (const [client, clock] of reach) sent.set(client, Math.max(clock, sent.get(client) ?? 0));
    const rest = complete ? [] : splitEnvelopeUpdate(room.diff(Y.encodeStateVector(sent)), this.pieceBytes);
    entry.reaches!.push(...rest.map((p) => Y.parseUpdateMeta(p).to));
    this.#built(entry, [...entry.pieces, ...rest]);
  }

  /**
   * A room as it was loaded: its whole answer is the pieces it was restored from, which its
   * blobs are views into already, rather than a second copy of every blob (for a room of 20 MiB
   * of the smallest blobs, 20 MiB more held while it is read, and the CPU to encode it). A
   * piece larger than a message may be is split (a copy of that piece alone).
   */
  async #fromRestored(restored: readonly Uint8Array[], entry: Entry, live: () => boolean): Promise<void> {
    const slice = new Slice(this.buildSliceMs);
    for (const stored of restored) {
      for (const piece of stored.length <= RESTORED_PIECE_BYTES ? [stored] : splitEnvelopeUpdate(stored, this.pieceBytes)) {
        if (!live()) return; // dropped: nobody will read it
        entry.pieces.push(piece);
        entry.reaches!.push(Y.parseUpdateMeta(piece).to);
        this.#wake(entry);
        await slice.check();
      }
    }
    if (live()) this.#built(entry, entry.pieces);
  }

  /** The entry's pieces are all there: its count in the pool becomes their bytes. */
  #built(entry: Entry, pieces: Uint8Array[]): void {
    let bytes = 0;
    for (const p of pieces) bytes += p.length;
    entry.pieces = pieces;
    entry.built = true;
    if (this.#entries.get(entry.key) === entry) this.#held += bytes - entry.bytes;
    entry.bytes = bytes;
    this.#wake(entry);
  }

  #wake(entry: Entry): void {
    if (entry.wakers.length === 0) return;
    const wakers = entry.wakers;
    entry.wakers = [];
    // After the build's current step: a reader's send must not run inside it.
    queueMicrotask(() => {
      for (const wake of wakers) wake();
    });
  }

  /** Drops kept answers nobody reads: all that idled long enough, or as many as `room` bytes need. */
  #dropIdle(room?: number): void {
    if (this.#sweep && room === undefined) this.#sweep = null;
    const now = performance.now();
    let kept = false;
    for (const entry of this.#idleOldestFirst()) {
      const needed = room !== undefined && this.#held + room > this.maxBytes;
      if (needed || now - entry.idleSince! >= this.keepIdleMs) this.#drop(entry);
      else kept = true;
    }
    if (kept && room === undefined) this.#sweep = setTimeout(() => this.#dropIdle(), this.keepIdleMs).unref();
  }

  /** Kept answers nobody reads, the longest idle first. */
  #idleOldestFirst(): Entry[] {
    return [...this.#entries.values()].filter((e) => e.idleSince !== null).sort((a, b) => a.idleSince! - b.idleSince!);
  }

  #drop(entry: Entry): void {
    if (this.#entries.get(entry.key) !== entry) return;
    this.#entries.delete(entry.key);
    this.#held -= entry.bytes;
  }
}

/**
 * One reader's answer: the entry's pieces, or of a whole room those the holder of `have`
 * lacks something of, picked as they are built. A holder that lacks nothing of them is sent
 * an update of nothing, so that it still gets its sync step 2.
 */
class View implements Answer {
  readonly #picked: number[] = [];
  #scanned = 0;

  constructor(
    readonly entry: Entry,
    private readonly have: Map<number, number> | null,
  ) {}

  piece(i: number): Uint8Array | null | undefined {
    const { entry } = this;
    if (!this.have) return i < entry.pieces.length ? entry.pieces[i]! : entry.built ? null : undefined;
    while (this.#picked.length <= i && this.#scanned < entry.pieces.length) {
      const at = this.#scanned++;
      for (const [client, clock] of entry.reaches![at]!) {
        if ((this.have.get(client) ?? 0) >= clock) continue;
        this.#picked.push(at);
        break;
      }
    }
    if (i < this.#picked.length) return entry.pieces[this.#picked[i]!]!;
    if (!entry.built) return undefined;
    return i === 0 && this.#picked.length === 0 ? NOTHING : null;
  }

  whenBuilt(wake: () => void): void {
    if (this.entry.built) queueMicrotask(wake);
    else this.entry.wakers.push(wake);
  }
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
