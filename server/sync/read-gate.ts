// Reading one client's socket, paused and resumed: for its byte rate (inbound.ts) and while
// its updates wait for their checks (verify-budget.ts). A pause stops the socket's reads, but
// ws parses a whole read at once, so the rest of that read (up to 64 KiB, a hundred updates
// or more) still arrives after it. Taken at once, those went past the bounds the pause was
// for: under a saturating load the relay-wide backlog then refused them and closed 118 of 120
// writers whose only fault was sending fast. They are held here instead and handed on, in
// order, when reading resumes; reading itself resumes only once nothing is held.
import type { SocketLike } from './socket.ts';

/** What pauses a connection's reading: for `ms` at most, or until resumed. */
export interface ReadControl {
  pauseReading(ms: number): void;
  resumeReading(): void;
}

/**
 * Messages held at most: more than a connection's default burst of messages (200), so a
 * client that packs more into one read is over its message rate anyway. It is closed rather
 * than holding a message object each (about 100 bytes) while it waits: a paused connection
 * holds at most its last read (64 KiB) and 25 KiB of objects for it.
 */
export const MAX_HELD_MESSAGES = 256;

export class ReadGate implements ReadControl {
  #timer: NodeJS.Timeout | null = null;
  #held: Uint8Array[] = [];
  #releasing = false;
  #closed = false;

  constructor(
    private readonly socket: Pick<SocketLike, 'pauseReading' | 'resumeReading'>,
    /** Takes a message, now or once released. */
    private readonly take: (data: Uint8Array) => void,
    /** Called when a paused client sends more than MAX_HELD_MESSAGES. */
    private readonly overflow: () => void,
  ) {}

  get paused(): boolean {
    return this.#timer !== null;
  }

  /** Messages waiting for reading to resume. */
  get held(): number {
    return this.#held.length;
  }

  /** A message from the socket: taken now, or held while reading is paused or held messages wait. */
  offer(data: Uint8Array): void {
    if (this.#closed) return;
    if (!this.paused && this.#held.length === 0) {
      this.take(data);
      return;
    }
    if (this.#held.length >= MAX_HELD_MESSAGES) {
      this.close();
      this.overflow();
      return;
    }
    this.#held.push(data);
  }

  pauseReading(ms: number): void {
    if (this.#closed || this.#timer) return;
    this.#timer = setTimeout(() => this.resumeReading(), ms);
    this.#timer.unref();
    this.socket.pauseReading();
  }

  resumeReading(): void {
    if (!this.#timer) return;
    clearTimeout(this.#timer);
    this.#timer = null;
    this.#release();
  }

  /**
   * The connection is closing: nothing held is taken. A paused socket is read again, or ws
   * would not see the client's answer to its close and would hold the socket 30 s for it.
   */
  close(): void {
    this.#closed = true;
    this.#held = [];
    if (!this.#timer) return;
    clearTimeout(this.#timer);
    this.#timer = null;
    this.socket.resumeReading();
  }

  /** Hands on held messages in order until one pauses reading again; then, if none is left, reads again. */
  #release(): void {
    // A message taken here may resume reading itself (its checks ended at once): one loop releases.
    if (this.#releasing) return;
    this.#releasing = true;
    try {
      while (this.#held.length > 0 && !this.paused && !this.#closed) this.take(this.#held.shift()!);
    } finally {
      this.#releasing = false;
    }
    if (!this.paused && !this.#closed && this.#held.length === 0) this.socket.resumeReading();
  }
}
