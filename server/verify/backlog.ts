// Bytes of updates waiting for their signatures, relay-wide. Each connection bounds its own
// (server/sync/verify-budget.ts), but an update refused only at its last blob is never
// stored, so its copies, sent over many sockets, each cost every check again and wait their
// turn: from 24 sockets into one room they grew a relay by 374 MiB before this bound. Past
// the slow mark, a connection that already has an update waiting is read no further until
// the backlog drains; past the full mark, only a connection with nothing waiting may add one
// (an honest writer sends one update and waits for it), and past the reserve nobody may.
//
// Every update is admitted through a BacklogSender, which knows whether its sender has one
// waiting. The senders differ in what they are and in what a refusal does to them:
// - a WebSocket client (server/sync/verify-budget.ts): one sender per connection; it is also
//   read no further while the backlog is slow, and a refusal closes it (1013);
// - a peer's live link (server/peering/live-link.ts): one sender per socket of the link, read
//   more slowly as a client is; a refused update is skipped and asked for again later;
// - an HTTP write (server/http/api.ts): requests are not tied to one another, so each is a
//   sender of its one update, with nothing else waiting; a refusal is a 429.

/** Past this, sockets with an update waiting stop being read. */
const SLOW_BYTES = 4 * 1024 * 1024;
/** Past this, only a sender with nothing waiting is admitted... */
export const FULL_BYTES = 12 * 1024 * 1024;
/** ...up to this. */
export const RESERVE_BYTES = 16 * 1024 * 1024;

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

  /** For the relay-wide memory ledger (server/memory-ledger.ts). */
  get heldBytes(): number {
    return this.#bytes;
  }

  /** Whether senders with an update already waiting should be read no further. */
  get slow(): boolean {
    return this.#bytes >= this.slowBytes;
  }

  /**
   * Counts an update about to wait for its checks; false (nothing counted) when there is no
   * room. `othersWaiting`: its sender has one waiting already (senders admit through BacklogSender).
   */
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

/** One sender's updates in the backlog: whether it has one waiting decides which mark it is held to. */
export class BacklogSender {
  #waiting = 0;

  constructor(readonly backlog: VerifyBacklog) {}

  /** This sender's updates waiting for their checks. */
  get waiting(): number {
    return this.#waiting;
  }

  /** Counts an update of this sender about to wait for its checks; false (nothing counted) when there is no room. */
  admit(bytes: number): boolean {
    if (!this.backlog.admit(bytes, this.#waiting > 0)) return false;
    this.#waiting++;
    return true;
  }

  /** One of this sender's updates was checked. */
  release(bytes: number): void {
    this.#waiting--;
    this.backlog.release(bytes);
  }
}
