// How far behind a reader is: bytes sent to it that it has not yet read. Neither the
// socket's own buffer nor a write callback says so (the kernel takes megabytes of a socket
// that never reads), but a WebSocket ping does: the client answers it only after reading
// everything sent before it. So every so many bytes the relay sends a numbered ping, and
// each pong acknowledges what was sent before its ping.

/** First byte of the relay's numbered pings, so pongs to plain keepalive pings are told apart. */
const TAG = 0x62;
/** Pings awaiting their pong, at most: a reader that answers none costs no more. */
const MAX_OUTSTANDING = 16;

export class ReadTracker {
  #sent = 0;
  #acked = 0;
  #seq = 0;
  #probedAt = 0;
  #pings: Array<{ seq: number; at: number }> = [];

  constructor(
    private readonly ping: (payload: Uint8Array) => void,
    /** Bytes sent between numbered pings. */
    private readonly every = 256 * 1024,
  ) {}

  /** Bytes sent that the reader has not confirmed reading. */
  get unread(): number {
    return this.#sent - this.#acked;
  }

  /** Bytes the reader has confirmed reading, in all. */
  get acked(): number {
    return this.#acked;
  }

  /** Counts bytes sent, asking for a confirmation every so often. */
  sent(bytes: number): void {
    this.#sent += bytes;
    if (this.#sent - this.#probedAt >= this.every) this.probe();
  }

  /** Asks the reader to confirm everything sent so far (unless that is already asked). */
  probe(): void {
    if (this.#probedAt === this.#sent || this.#pings.length >= MAX_OUTSTANDING) return;
    const seq = ++this.#seq;
    this.#pings.push({ seq, at: this.#sent });
    this.#probedAt = this.#sent;
    const payload = new Uint8Array(5);
    payload[0] = TAG;
    new DataView(payload.buffer).setUint32(1, seq);
    this.ping(payload);
  }

  /** A pong's payload; true when it confirmed more bytes read. */
  pong(payload: Uint8Array): boolean {
    if (payload.length !== 5 || payload[0] !== TAG) return false;
    const seq = new DataView(payload.buffer, payload.byteOffset, 5).getUint32(1);
    let advanced = false;
    while (this.#pings.length > 0 && this.#pings[0]!.seq <= seq) {
      const { at } = this.#pings.shift()!;
      if (at > this.#acked) {
        this.#acked = at;
        advanced = true;
      }
    }
    return advanced;
  }
}
