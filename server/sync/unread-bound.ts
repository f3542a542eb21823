// What all readers together have been sent and not yet read, relay-wide. Each connection may
// leave `--outbound-buffer-bytes` unread (4 MiB) before it is closed, but that bound is per
// connection: 300 sockets in one room that never read, sent the room's writes, held 1.2 GB of
// the host's TCP send buffers (and would have held the relay's own memory once the kernel's
// was full). Past the relay-wide bound, the readers furthest behind are cut until the rest fit:
// sockets that read nothing are far behind within seconds, while a reader that keeps reading,
// however slow its link, has at most an answer's window or a ping's worth of bytes unread.
// Each connection's Outflow reports what it sends and what its reader confirms reading.

/** A connection as the bound sees it. */
export interface BehindReader {
  /** Bytes sent to it that it has not confirmed reading. */
  readonly unread: number;
  /** Cuts it: the relay has too much unread and this reader is among the furthest behind. */
  cutForUnread(): void;
}

export class UnreadBound {
  #bytes = 0;
  #shedding = false;

  constructor(
    readonly limit: number,
    private readonly readers: Iterable<BehindReader>,
  ) {}

  /** All readers' unread bytes. */
  get bytes(): number {
    return this.#bytes;
  }

  /** A reader was sent bytes (positive) or confirmed reading them, or left (negative). */
  change(delta: number): void {
    this.#bytes += delta;
    if (this.#bytes <= this.limit || this.#shedding) return;
    // At the end of this turn: a broadcast reaches every member first, and is paid for once.
    this.#shedding = true;
    setImmediate(() => {
      this.#shedding = false;
      this.shed();
    });
  }

  /** Cuts the readers furthest behind until the rest fit; returns how many were cut. */
  shed(): number {
    if (this.#bytes <= this.limit) return 0;
    const behind = [...this.readers].filter((r) => r.unread > 0).sort((a, b) => b.unread - a.unread);
    let cut = 0;
    for (const reader of behind) {
      if (this.#bytes <= this.limit) break;
      reader.cutForUnread(); // its Outflow gives back its unread bytes as it closes
      cut++;
    }
    return cut;
  }
}
