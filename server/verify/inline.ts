// The verifier interface of the relay, and its simplest form: every check on the event loop.
import type { SignatureCheck, SignatureVerifier } from '#shared';
import { nativeVerifier } from './native.ts';

/** Verifies checks in order of index: resolves with the index of the first bad one, or -1. */
export interface BlobVerifier {
  verify(checks: SignatureCheck[]): Promise<number>;
  /** Worker threads in use (0: on the event loop). */
  readonly threads: number;
  /**
   * A check to make on the event loop now, for a small update, when the loop has time for
   * it (a round trip to a thread costs more than the check); null when the loop has not.
   */
  here(): SignatureVerifier | null;
  close(): Promise<void>;
}

/** Verification on the event loop (node:crypto): a one-core relay, or `--verify inline`. */
export class InlineVerifier implements BlobVerifier {
  readonly threads = 0;
  readonly #verify = nativeVerifier();
  verify(checks: SignatureCheck[]): Promise<number> {
    return Promise.resolve(this.verifyNow(checks));
  }
  here(): SignatureVerifier {
    return this.#verify;
  }
  verifyNow(checks: SignatureCheck[]): number {
    for (let i = 0; i < checks.length; i++) {
      const c = checks[i]!;
      if (!this.#verify(c.signature, c.message, c.publicKey)) return i;
    }
    return -1;
  }
  async close(): Promise<void> {}
}
