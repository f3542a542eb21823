// Verification of an import's pieces, one batch at a time and awaited, so that it can move
// to worker threads without changing its callers. A piece is checked against the clocks
// the relay held when the import began plus the pieces before it: exactly what the room
// would hold if they were applied in order.
import { finishEnvelopeUpdate, prepareEnvelopeUpdate, type PreparedUpdate, type RoomAddress } from '#shared';
import type { RelayLimits } from '../config.ts';
import { InlineVerifier, type BlobVerifier } from '../verify/inline.ts';
import type { Slice } from '../slices.ts';

const onThisThread = new InlineVerifier();

export interface VerifiedPiece {
  update: Uint8Array;
  /** The blobs the piece adds beyond what it was checked against. */
  blobs: Uint8Array[];
}

export type BatchVerdict = { ok: true; pieces: VerifiedPiece[] } | { ok: false; index: number; reason: string };

/** Verifies `pieces` in order against `known` (client -> clock), which it advances past each accepted piece. */
export type VerifyBatch = (address: RoomAddress, pieces: Uint8Array[], known: Map<number, number>) => Promise<BatchVerdict>;

/** What a piece is checked against: the import's clocks so far, within the relay's limits. */
function pieceOptions(limits: RelayLimits, known: Map<number, number>) {
  return { clockOf: (client: number) => known.get(client) ?? 0, maxUpdateBytes: limits.maxUpdateBytes, maxBlobBytes: limits.maxBlobBytes };
}

/**
 * Moves `known` past an accepted piece, by the ends its structural pass found (decoding the
 * piece again with Yjs allocated some 600 bytes per blob, which a bundle of 150,000 tiny
 * blobs turned into tens of megabytes of garbage).
 */
function advance(known: Map<number, number>, ends: PreparedUpdate['ends']): void {
  for (const [client, clock] of ends) if (clock > (known.get(client) ?? 0)) known.set(client, clock);
}

/** The verifier on this thread: pauses between pieces when the slice is due. */
export function verifyOnLoop(limits: RelayLimits, slice: Slice): VerifyBatch {
  return async (address, pieces, known) => {
    const out: VerifiedPiece[] = [];
    for (let i = 0; i < pieces.length; i++) {
      const update = pieces[i]!;
      const p = prepareEnvelopeUpdate(update, address, pieceOptions(limits, known));
      if ('reason' in p) return { ok: false, index: i, reason: `${p.reason}: ${p.detail.slice(0, 120)}` };
      const verdict = finishEnvelopeUpdate(p, onThisThread.verifyNow(p.checks));
      if (!verdict.ok) return { ok: false, index: i, reason: `${verdict.reason}: ${verdict.detail.slice(0, 120)}` };
      advance(known, p.ends);
      out.push({ update, blobs: verdict.blobs.map((b) => b.blob) });
      await slice.check();
    }
    return { ok: true, pieces: out };
  };
}

/**
 * The verifier of a relay with worker threads: the structural pass of every piece on this
 * thread (each against the clocks the pieces before it leave), their signatures all at once in
 * the pool, which interleaves them with other rooms' writes.
 */
export function verifyInPool(limits: RelayLimits, verifier: BlobVerifier, slice: Slice): VerifyBatch {
  return async (address, pieces, known) => {
    const prepared: PreparedUpdate[] = [];
    for (let i = 0; i < pieces.length; i++) {
      const update = pieces[i]!;
      const p = prepareEnvelopeUpdate(update, address, pieceOptions(limits, known));
      if ('reason' in p) return { ok: false, index: i, reason: `${p.reason}: ${p.detail.slice(0, 120)}` };
      prepared.push(p);
      advance(known, p.ends);
      await slice.check();
    }
    let results: number[];
    try {
      results = await Promise.all(prepared.map((p) => verifier.verify(p.checks)));
    } catch (err) {
      return { ok: false, index: 0, reason: `not verified: ${(err as Error).message}` };
    }
    const out: VerifiedPiece[] = [];
    for (let i = 0; i < prepared.length; i++) {
      const verdict = finishEnvelopeUpdate(prepared[i]!, results[i]!);
      if (!verdict.ok) return { ok: false, index: i, reason: `${verdict.reason}: ${verdict.detail.slice(0, 120)}` };
      out.push({ update: pieces[i]!, blobs: verdict.blobs.map((b) => b.blob) });
    }
    return { ok: true, pieces: out };
  };
}
