// Relay-wide counters of refusals and limits hit, published at GET /v1/metrics. A hostile
// client can make a relay refuse thousands of things a second: each refusal is counted
// here instead of written as a log line. Counters name a kind of event, never a client,
// an address or a room.
export class Counters {
  readonly #counts = new Map<string, number>();

  add(name: string, by = 1): void {
    this.#counts.set(name, (this.#counts.get(name) ?? 0) + by);
  }

  get(name: string): number {
    return this.#counts.get(name) ?? 0;
  }

  /** Every counter, sorted by name. */
  snapshot(): Record<string, number> {
    return Object.fromEntries([...this.#counts].sort(([a], [b]) => (a < b ? -1 : 1)));
  }
}
