// What the envelope-doc validator answers (docs/PROTOCOL.md §3): a verdict with a reason
// code, never an exception.
import type { BlobRejection } from '../blob.ts';

export type EnvelopeRejection =
  | 'too-large' // rule 1: over the size limit
  | 'malformed' // rule 1: not a Yjs v1 update
  | 'has-deletes' // rule 2
  | 'bad-struct' // rule 3 (and dependency cycles, which Yjs would leave pending)
  | 'gap' // rule 4: the receiver lacks something this update builds on (and no other rule fails but 5, unchecked)
  | 'bad-blob'; // rule 5

/** A blob the update would add, with its Yjs id. */
export interface NewBlob {
  client: number;
  clock: number;
  blob: Uint8Array;
}

export type EnvelopeVerdict =
  /**
   * `conflicts`: ids the receiver holds with other bytes than the update carries (listed only
   * when some differ). `whole`: every struct of the update is new to the receiver, so applying
   * it adds exactly the update (a relay passes the bytes on as they came).
   */
  | { ok: true; blobs: NewBlob[]; conflicts?: NewBlob[]; whole?: boolean }
  | { ok: false; reason: EnvelopeRejection; detail: string; blobReason?: BlobRejection };

export function reject(reason: EnvelopeRejection, detail: string, blobReason?: BlobRejection): EnvelopeVerdict & { ok: false } {
  return blobReason ? { ok: false, reason, detail, blobReason } : { ok: false, reason, detail };
}
