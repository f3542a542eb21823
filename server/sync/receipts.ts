// Receipts (message 100, for clients that asked with `?receipts=1`): one per storage commit,
// carrying the room's state vector as committed, and covering every update accepted before
// it was asked for. Updates accepted while one is pending get the next.
export class Receipts {
  #accepted = 0;
  #askedAt = -1;

  constructor(
    /** Resolves with the room's state vector once everything accepted so far is durable. */
    private readonly durable: () => Promise<Uint8Array>,
    private readonly send: (stateVector: Uint8Array) => void,
    private readonly open: () => boolean,
  ) {}

  /** An update of this connection was accepted. */
  accepted(): void {
    this.#accepted++;
    this.#request();
  }

  #request(): void {
    if (this.#askedAt >= 0) return;
    this.#askedAt = this.#accepted;
    this.durable().then(
      (sv) => {
        const coveredAll = this.#askedAt === this.#accepted;
        this.#askedAt = -1;
        this.send(sv);
        if (!coveredAll && this.open()) this.#request();
      },
      () => {
        this.#askedAt = -1;
      },
    );
  }
}
