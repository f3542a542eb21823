// Bytes of updates waiting for their signatures, relay-wide. Each connection bounds its own
// (server/sync/verify-budget.ts), but an update refused only at its last blob is never
// stored, so its copies, sent over many sockets, each cost every check again and wait their
// turn: from 24 sockets into one room they grew a relay by 374 MiB before this bound. Past
// the slow mark, a connection that already has an update waiting is read no further until
// the backlog drains; past the full mark, only a connection with nothing waiting may add one
// (an honest writer sends one update and waits for it), and past the reserve nobody may.

/** Past this, sockets with an update waiting stop being read. */
const SLOW_BYTES = 4 * 1024 * 1024;
/** Past this, only a sender with nothing waiting is admitted... */
const FULL_BYTES = 12 * 1024 * 1024;
/** ...up to this. */
const RESERVE_BYTES = 16 * 1024 * 1024;

export class VerifyBacklog {
  #bytes = 0;
  readonly #waiting = new Set<() => void>();

  constructor(
    private readonly slowBytes = SLOW_BYTES,
    private readonly fullBytes = FULL_BYTES,
    private readonly reserveBytes = RESERVE_BYTES,
  ) {}

  get bytes(): number {
    return this.#bytes;
  }

  /** Whether senders with an update already waiting should be read no further. */
  get slow(): boolean {
    return this.#bytes >= this.slowBytes;
  }

  /** Counts an update about to wait for its checks; false (nothing counted) when there is no room. */
  admit(bytes: number, othersWaiting: boolean): boolean {
    const limit = othersWaiting ? this.fullBytes : this.reserveBytes;
    // An empty backlog admits any one update: the bound is on what waits, not on an update's size.
    if (this.#bytes > 0 && this.#bytes + bytes > limit) return false;
    this.#bytes += bytes;
    return true;
  }

  /** An update's checks ended; those waiting for the backlog to drain are told once it has. */
  release(bytes: number): void {
    this.#bytes -= bytes;
    if (this.#waiting.size === 0 || this.#bytes > this.slowBytes / 2) return;
    const waiting = [...this.#waiting];
    this.#waiting.clear();
    for (const drained of waiting) drained();
  }

  /** Calls `drained` once the backlog is back under half the slow mark. */
  whenDrained(drained: () => void): void {
    this.#waiting.add(drained);
  }

  forget(drained: () => void): void {
    this.#waiting.delete(drained);
  }
}
