// A room's updates waiting for their signatures, verified in batches by the relay's verifier
// (worker threads) so that a big update never stalls other rooms, and applied in the order
// they arrived. Updates that arrive while a batch is being verified form the next batch;
// each is prepared against the room as the ones before it would leave it, and after a
// refusal the rest are prepared again against the room as it is.
import { finishEnvelopeUpdate, prepareEnvelopeUpdate, type EnvelopeVerdict, type RoomAddress, type SignatureVerifier, type ValidateOptions } from '#shared';
import type { BlobVerifier } from '../verify/pool.ts';
import type { Acceptance } from './room-types.ts';

interface Waiting {
  update: Uint8Array;
  from: unknown;
  resolve(result: Acceptance): void;
}

/** What the queue needs of its room. */
export interface VerifiedRoom {
  readonly address: RoomAddress;
  /** The validator's options against the room as it is now. */
  validateOptions(): ValidateOptions;
  /** Validates and applies on this thread (no worker threads), checking signatures with `verify`. */
  receive(update: Uint8Array, from: unknown, verify?: SignatureVerifier): Acceptance;
  /** Applies an update with its verdict. */
  accept(update: Uint8Array, from: unknown, verdict: EnvelopeVerdict): Acceptance;
}

/**
 * Updates of one room verified together at most, and their bytes (at least one update): a
 * bound on the work one batch holds, and on its prepared checks, which take about twice the
 * bytes of the updates they come from.
 */
const MAX_BATCH = 256;
const MAX_BATCH_BYTES = 2 * 1024 * 1024;
/**
 * An update this small (a post or two; at most about 18 of the smallest blobs, a millisecond
 * of checks) is checked at once on the event loop when nothing waits before it and the loop
 * has time: no batch, no promise round.
 */
const SMALL_UPDATE_BYTES = 2048;

export class VerifyQueue {
  readonly #waiting: Waiting[] = [];
  #draining = false;
  /** Updates waiting, and their bytes. */
  pending = 0;
  pendingBytes = 0;

  constructor(
    private readonly room: VerifiedRoom,
    private readonly verifier: BlobVerifier | null,
  ) {}

  /** Resolves with the update's acceptance once it and every update before it are done. Never rejects. */
  add(update: Uint8Array, from: unknown): Promise<Acceptance> {
    if (this.#waiting.length === 0 && !this.#draining) {
      const here = !this.verifier ? null : this.verifier.threads === 0 || update.length <= SMALL_UPDATE_BYTES ? this.verifier.here() : null;
      if (here || !this.verifier) return Promise.resolve(this.room.receive(update, from, here ?? undefined));
    }
    this.pending++;
    this.pendingBytes += update.length;
    return new Promise<Acceptance>((resolve) => {
      this.#waiting.push({ update, from, resolve });
      if (!this.#draining) void this.#drain();
    }).finally(() => {
      this.pending--;
      this.pendingBytes -= update.length;
    });
  }

  async #drain(): Promise<void> {
    this.#draining = true;
    try {
      while (this.#waiting.length > 0) {
        const batch = this.#waiting.splice(0, this.#batchLength());
        const rest = await this.#verifyBatch(batch);
        this.#waiting.unshift(...rest);
      }
    } finally {
      this.#draining = false;
    }
  }

  /** How many of the waiting updates the next batch takes. */
  #batchLength(): number {
    let bytes = 0;
    let n = 0;
    while (n < this.#waiting.length && n < MAX_BATCH && (n === 0 || bytes + this.#waiting[n]!.update.length <= MAX_BATCH_BYTES)) bytes += this.#waiting[n++]!.update.length;
    return n;
  }

  /** Verifies and applies a batch in order; returns the ones to check again (after a refusal). */
  async #verifyBatch(batch: Waiting[]): Promise<Waiting[]> {
    const verifier = this.verifier;
    if (!verifier || verifier.threads === 0) {
      for (const w of batch) w.resolve(this.room.receive(w.update, w.from));
      return [];
    }
    // Each update is prepared against the clocks the ones before it will leave.
    const ahead = new Map<number, number>();
    const base = this.room.validateOptions();
    const docClock = base.clockOf;
    const options = { ...base, clockOf: (client: number) => Math.max(docClock(client), ahead.get(client) ?? 0) };
    const prepared = batch.map((w) => {
      const p = prepareEnvelopeUpdate(w.update, this.room.address, options);
      if (!('reason' in p)) for (const [client, end] of p.ends) if (end > (ahead.get(client) ?? 0)) ahead.set(client, end);
      return p;
    });
    const outcomes = await Promise.all(
      prepared.map((p) => ('reason' in p || p.checks.length === 0 ? Promise.resolve(-1) : verifier.verify(p.checks).catch((err: Error) => err))),
    );
    for (let i = 0; i < batch.length; i++) {
      const w = batch[i]!;
      const p = prepared[i]!;
      const outcome = outcomes[i]!;
      let result: Acceptance;
      if ('reason' in p) result = this.room.accept(w.update, w.from, p);
      else if (outcome instanceof Error) result = { ok: false, code: 'busy', reason: 'unverified', detail: outcome.message };
      else result = this.room.accept(w.update, w.from, finishEnvelopeUpdate(p, outcome));
      w.resolve(result);
      // The updates after one that did not apply were prepared as if it had: check them again.
      if (!result.ok && !('reason' in p) && i + 1 < batch.length) return batch.slice(i + 1);
    }
    return [];
  }
}
