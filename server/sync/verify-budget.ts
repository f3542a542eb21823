// How many of one connection's updates wait for their signatures to be checked. Past a soft
// bound the socket is read more slowly until verification catches up (backpressure, no
// offence); past a hard bound the sender is told to come back later: it sends faster than
// the relay verifies (its rate limits allow bursts). The relay-wide backlog
// (server/verify/backlog.ts) bounds what all connections together have waiting.
import { BacklogSender, type VerifyBacklog } from '../verify/backlog.ts';
import type { ReadControl } from './read-gate.ts';

/** The hard bounds: updates and their bytes. */
const MAX_VERIFYING = 2048;
const MAX_VERIFYING_BYTES = 16 * 1024 * 1024;
/** The soft bounds, past which reading pauses. */
const SLOW_VERIFYING = 32;
const SLOW_VERIFYING_BYTES = 2 * 1024 * 1024;
/** The longest such a pause lasts without verification catching up. */
const VERIFY_WAIT_MS = 1000;


export class VerifyBudget {
  /** This connection's updates waiting, as one sender of the relay-wide backlog. */
  readonly #sender: BacklogSender;
  #bytes = 0;
  #paused = false;

  constructor(
    private readonly reads: ReadControl,
    private readonly backlog: VerifyBacklog,
    private readonly onPause: () => void,
  ) {
    this.#sender = new BacklogSender(backlog);
  }

  /** This connection's updates waiting for their checks. */
  get waiting(): number {
    return this.#sender.waiting;
  }

  /** Counts an update about to be verified; false (nothing counted) when over a hard bound. */
  start(bytes: number): boolean {
    if (this.#sender.waiting >= MAX_VERIFYING || this.#bytes + bytes > MAX_VERIFYING_BYTES) return false;
    if (!this.#sender.admit(bytes)) return false;
    this.#bytes += bytes;
    const own = this.#sender.waiting >= SLOW_VERIFYING || this.#bytes >= SLOW_VERIFYING_BYTES;
    // A sender with more than this update waiting, while the relay has much waiting.
    const relayWide = this.backlog.slow && this.#sender.waiting > 1;
    if (!this.#paused && (own || relayWide)) {
      this.#paused = true;
      this.onPause();
      this.reads.pauseReading(VERIFY_WAIT_MS);
      if (relayWide) this.backlog.whenDrained(this.#resumeIfCaughtUp);
    }
    return true;
  }

  /** An update's verification ended; reading resumes once half the backlog is gone. */
  done(bytes: number): void {
    this.#bytes -= bytes;
    this.#sender.release(bytes);
    this.#resumeIfCaughtUp();
  }

  /** The connection is gone: the relay-wide backlog no longer wakes it. */
  close(): void {
    this.backlog.forget(this.#resumeIfCaughtUp);
  }

  readonly #resumeIfCaughtUp = (): void => {
    if (!this.#paused || this.#sender.waiting > SLOW_VERIFYING / 2 || this.#bytes > SLOW_VERIFYING_BYTES / 2) return;
    if (this.backlog.slow && this.#sender.waiting > 0) {
      this.backlog.whenDrained(this.#resumeIfCaughtUp);
      return;
    }
    this.#paused = false;
    this.reads.resumeReading();
  };
}
