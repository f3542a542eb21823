// Connections per source address and room, for relays that cap one source's share of a
// room's slots (off by default: behind Tor every client is 127.0.0.1). Held in memory only:
// addresses are never logged or stored.
export class SourceTally {
  readonly #counts = new Map<string, number>();

  count(room: string, source: string): number {
    return this.#counts.get(key(room, source)) ?? 0;
  }

  add(room: string, source: string): void {
    const k = key(room, source);
    this.#counts.set(k, (this.#counts.get(k) ?? 0) + 1);
  }

  remove(room: string, source: string): void {
    const k = key(room, source);
    const n = (this.#counts.get(k) ?? 0) - 1;
    if (n > 0) this.#counts.set(k, n);
    else this.#counts.delete(k);
  }

  get size(): number {
    return this.#counts.size;
  }
}

function key(room: string, source: string): string {
  return `${room}\n${source}`;
}
