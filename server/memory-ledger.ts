// One budget for the memory that clients can make the relay hold. Loaded rooms, answers to sync
// step 1, HTTP room reads being sent, kept room reads and updates waiting for their checks each
// have a bound of their own, and those bounds add up to about 340 MiB: an attacker who filled
// them all at once would have the relay hold all of it. The ledger bounds their sum. A holder
// that keeps bytes only to save work later (a kept encoding of a room) gives them up first;
// past that, what asks for more waits or is refused, as it is when its own bound is reached.
// Honest writes to loaded rooms and each holder's "one always fits" rule are not refused here:
// a relay under pressure still takes a post and still answers one reader of a big room.
import type { Counters } from './metrics/counters.ts';

/** Something that holds memory clients asked for, as the ledger sees it. */
export interface MemoryHolder {
  /** Bytes it holds now. */
  readonly heldBytes: number;
  /** Gives up kept bytes nobody is using (a cache), about `need` of them; returns what it freed. */
  shed?(need: number): number;
}

export class MemoryLedger {
  readonly #holders: MemoryHolder[] = [];

  constructor(
    readonly limit: number,
    private readonly counters: Counters | null = null,
  ) {}

  /** Counts a holder's bytes from now on. Holders that can shed are asked in the order added. */
  add(holder: MemoryHolder): void {
    this.#holders.push(holder);
  }

  get used(): number {
    let sum = 0;
    for (const h of this.#holders) sum += h.heldBytes;
    return sum;
  }

  /**
   * How far `bytes` more would take the ledger past its limit once caches have shed what they
   * can (0: it fits). For a holder with other ways to make room (loaded rooms unload idle ones).
   */
  over(bytes: number): number {
    let over = this.used + bytes - this.limit;
    for (const h of this.#holders) {
      if (over <= 0) break;
      if (h.shed) over -= h.shed(over);
    }
    return Math.max(0, over);
  }

  /** Whether `bytes` more fit, caches shedding first; a refusal is counted. */
  admits(bytes: number): boolean {
    if (this.over(bytes) === 0) return true;
    this.refused();
    return false;
  }

  /** Counts a request refused or held back for the ledger (`memory.refused` in GET /v1/metrics). */
  refused(): void {
    this.counters?.add('memory.refused');
  }
}
