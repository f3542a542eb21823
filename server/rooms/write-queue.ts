// Groups appends into storage transactions, and tells waiters the room's state vector once
// their batch is durable (what receipts carry). A batch is committed at the end of the
// event-loop turn. (Spacing commits a few milliseconds apart was measured and cost more CPU
// per delivery in the fan-out benchmark, besides delaying every receipt: docs/BENCHMARKS.md.)
import type { AppendEntry, RelayStorage } from '../storage/types.ts';
import { say, str } from '../l10n.ts';

interface Waiter {
  stateVector: () => Uint8Array;
  resolve: (sv: Uint8Array) => void;
  reject: (err: unknown) => void;
}

interface Batch {
  entries: AppendEntry[];
  waiters: Waiter[];
}

export class WriteQueue {
  #open: Batch | null = null;
  #scheduled = false;
  /** Every flush and maintenance task runs after the previous one: nothing interleaves. */
  #chain: Promise<void> = Promise.resolve();
  #onCommit: (rooms: Map<string, number>, entries: readonly AppendEntry[]) => void;

  constructor(
    private readonly storage: RelayStorage,
    private readonly log: (line: string) => void,
    onCommit: (rooms: Map<string, number>, entries: readonly AppendEntry[]) => void = () => {},
  ) {
    this.#onCommit = onCommit;
  }

  enqueue(room: string, update: Uint8Array): void {
    this.#batch().entries.push({ room, update });
  }

  /**
   * Resolves with the state vector of the room as of the commit of everything accepted so
   * far. The vector is read when the batch is taken, so it covers exactly what is durable.
   */
  durable(stateVector: () => Uint8Array): Promise<Uint8Array> {
    return new Promise((resolve, reject) => this.#batch().waiters.push({ stateVector, resolve, reject }));
  }

  /** Runs a task after every write queued so far has been committed, and before later ones. */
  run<T>(task: () => Promise<T>): Promise<T> {
    // The open batch goes first; the flush scheduled for it will find nothing left to do.
    if (this.#open) this.#chain = this.#chain.then(() => this.#flush());
    const result = this.#chain.then(task);
    this.#chain = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  /** Resolves once everything queued so far is committed (or has failed and been logged). */
  drain(): Promise<void> {
    return this.run(async () => {});
  }

  #batch(): Batch {
    if (!this.#open) this.#open = { entries: [], waiters: [] };
    this.#flushSoon();
    return this.#open;
  }

  #flushSoon(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.#chain = this.#chain.then(() => this.#flush());
    });
  }

  async #flush(): Promise<void> {
    const batch = this.#open;
    if (!batch) return;
    this.#open = null;
    const vectors = batch.waiters.map((w) => w.stateVector());
    try {
      await this.storage.append(batch.entries);
    } catch (err) {
      const count = batch.entries.length;
      const reason = (err as Error).message;
      this.log(`storage: ${say(str`write of ${count} updates failed: ${reason}`, { id: 'relay.log.writeFailed' })}`);
      for (const w of batch.waiters) w.reject(err);
      return;
    }
    batch.waiters.forEach((w, i) => w.resolve(vectors[i]!));
    const counts = new Map<string, number>();
    for (const { room } of batch.entries) counts.set(room, (counts.get(room) ?? 0) + 1);
    try {
      this.#onCommit(counts, batch.entries);
    } catch (err) {
      const reason = (err as Error).message;
      this.log(`storage: ${say(str`after-commit hook failed: ${reason}`, { id: 'relay.log.afterCommitFailed' })}`);
    }
  }
}
