// When a peer link's next catch-up round runs: one at a time, on its own timer, and soon
// after a kick (a local change no live link carried); a kick during a round runs another
// right after it.
export class RoundScheduler {
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;
  #again = false;
  #closed = false;

  constructor(
    /** One round; resolves with the wait before the next, or null to stop for good. */
    private readonly round: () => Promise<number | null>,
    /** How soon a kicked round runs. */
    private readonly kickMs: number,
    /** Kicks count only while this holds (an unreachable peer waits for its retry timer). */
    private readonly ready: () => boolean,
  ) {}

  start(): void {
    this.#schedule(0);
  }

  /** Runs a round soon (or right after the running one). */
  kick(): void {
    if (this.#closed || !this.ready()) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#schedule(this.kickMs);
  }

  /** Stops the timer; resolves once a running round has ended. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    await this.#running?.catch(() => {});
  }

  #schedule(ms: number): void {
    if (this.#closed) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#running = this.#run().finally(() => {
        this.#running = null;
      });
    }, ms);
    this.#timer.unref();
  }

  async #run(): Promise<void> {
    let next = await this.round();
    if (next === null || this.#closed) return;
    if (this.#again && this.ready()) {
      this.#again = false;
      next = this.kickMs;
    }
    this.#schedule(next);
  }
}
