// Retry delays for relays and clients alike: exponential from `baseMs` up to `maxMs`, each
// with ±50 % jitter so that many links to one relay that came back do not all retry in the
// same instant. Isomorphic: no Node or DOM APIs.

/** `ms` scattered over half to one and a half times itself. */
export function jitter(ms: number, random: () => number = Math.random): number {
  return Math.round(ms * (0.5 + random()));
}

export class Backoff {
  #attempt = 0;

  constructor(
    private readonly baseMs: number,
    private readonly maxMs: number,
    private readonly random: () => number = Math.random,
  ) {}

  /** The next delay; each call doubles the one after it, up to the maximum. */
  next(): number {
    const ceiling = Math.min(this.maxMs, this.baseMs * 2 ** Math.min(this.#attempt, 30));
    this.#attempt++;
    return jitter(ceiling, this.random);
  }

  reset(): void {
    this.#attempt = 0;
  }

  /** After a refusal (a lying or broken peer): wait the longest. */
  penalise(): void {
    this.#attempt = 30;
  }
}
