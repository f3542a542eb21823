// A small typed event emitter: several listeners per event, each subscription undone by the
// function `on` returns. A listener that throws is reported and does not stop the others, nor
// the code that emitted (a room must not fail an update because one of its listeners did).

/** Event name to the arguments its listeners get. */
export type EventMap = Record<string, unknown[]>;

export type Listener<Args extends unknown[]> = (...args: Args) => void;

export class Emitter<Events extends EventMap> {
  readonly #listeners = new Map<keyof Events, Set<Listener<unknown[]>>>();

  constructor(private readonly onError: (err: unknown, event: keyof Events) => void = () => {}) {}

  /** Subscribes; the function returned unsubscribes (calling it twice is harmless). */
  on<K extends keyof Events>(event: K, listener: Listener<Events[K]>): () => void {
    let set = this.#listeners.get(event);
    if (!set) this.#listeners.set(event, (set = new Set()));
    // Wrapped, so the same function subscribed twice is two subscriptions, each undone once.
    const entry: Listener<unknown[]> = (...args) => listener(...(args as Events[K]));
    set.add(entry);
    return () => {
      set.delete(entry);
      if (set.size === 0 && this.#listeners.get(event) === set) this.#listeners.delete(event);
    };
  }

  emit<K extends keyof Events>(event: K, ...args: Events[K]): void {
    const set = this.#listeners.get(event);
    if (!set) return;
    // A Set may change while it is iterated: a listener that unsubscribes is skipped from then on.
    // No copy is made: rooms emit on every update.
    for (const listener of set) {
      try {
        listener(...args);
      } catch (err) {
        this.onError(err, event);
      }
    }
  }

  listenerCount(event: keyof Events): number {
    return this.#listeners.get(event)?.size ?? 0;
  }
}
