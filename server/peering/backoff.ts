// Reconnect delays: exponential from `baseMs` up to `maxMs`, each with ±50 % jitter so that
// many links to one relay that came back do not all retry in the same instant.
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
    return Math.round(ceiling * (0.5 + this.random()));
  }

  reset(): void {
    this.#attempt = 0;
  }

  /** After a refusal (a lying or broken peer): wait the longest. */
  penalise(): void {
    this.#attempt = 30;
  }
}
