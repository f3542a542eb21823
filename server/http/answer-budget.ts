// Room reads over HTTP (GET /v1/rooms/<room>) hold their answer in memory until the client
// has read it. The bytes held for all such answers at once are bounded, and an answer whose
// socket takes nothing for the stall time is dropped, so sockets that never read cannot
// make the relay hold room after room.
import type { ServerResponse } from 'node:http';
import type { Counters } from '../metrics/counters.ts';
import type { MemoryLedger } from '../memory-ledger.ts';

/** Answers this small are not counted: they cost less than the request that asked. */
export const SMALL_HTTP_ANSWER_BYTES = 64 * 1024;

export class HttpAnswerBudget {
  #held = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly stallMs: number,
    private readonly counters: Counters,
    /** The relay-wide budget an answer must also fit, unless it is the only one. */
    private readonly ledger: MemoryLedger | null = null,
  ) {}

  get heldBytes(): number {
    return this.#held;
  }

  /** Room for an answer of about `bytes`? One always fits. */
  fits(bytes: number): boolean {
    if (bytes <= SMALL_HTTP_ANSWER_BYTES || this.#held === 0) return true;
    return this.#held + bytes <= this.maxBytes && (this.ledger?.admits(bytes) ?? true);
  }

  /** Counts `bytes` until the response is sent or its socket goes; drops a socket that stops reading. */
  hold(outgoing: ServerResponse | undefined, bytes: number): void {
    if (bytes <= SMALL_HTTP_ANSWER_BYTES || !outgoing) return;
    this.#held += bytes;
    let released = false;
    let lastWritten = -1;
    const socket = outgoing.socket;
    const watchdog = setInterval(() => {
      const written = socket?.bytesWritten ?? 0;
      if (written === lastWritten && !outgoing.writableFinished) {
        this.counters.add('http.answer-stalled');
        socket?.destroy();
        release();
      }
      lastWritten = written;
    }, this.stallMs);
    watchdog.unref();
    const release = () => {
      if (released) return;
      released = true;
      clearInterval(watchdog);
      this.#held -= bytes;
    };
    outgoing.once('close', release);
  }
}
