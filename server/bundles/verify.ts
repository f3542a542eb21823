// Verification of an import's pieces, one batch at a time and awaited, so that it can move
// to worker threads without changing its callers. A piece is checked against the clocks
// the relay held when the import began plus the pieces before it: exactly what the room
// would hold if they were applied in order.
import * as Y from 'yjs';
import { validateEnvelopeUpdate, type RoomAddress } from '../../shared/index.ts';
import type { RelayLimits } from '../config.ts';
import type { Slice } from './slices.ts';

export interface VerifiedPiece {
  update: Uint8Array;
  /** The blobs the piece adds beyond what it was checked against. */
  blobs: Uint8Array[];
}

export type BatchVerdict = { ok: true; pieces: VerifiedPiece[] } | { ok: false; index: number; reason: string };

/** Verifies `pieces` in order against `known` (client -> clock), which it advances past each accepted piece. */
export type VerifyBatch = (address: RoomAddress, pieces: Uint8Array[], known: Map<number, number>) => Promise<BatchVerdict>;

/** The verifier on this thread: pauses between pieces when the slice is due. */
export function verifyOnLoop(limits: RelayLimits, slice: Slice): VerifyBatch {
  return async (address, pieces, known) => {
    const out: VerifiedPiece[] = [];
    for (let i = 0; i < pieces.length; i++) {
      const update = pieces[i]!;
      const verdict = validateEnvelopeUpdate(update, address, {
        clockOf: (client) => known.get(client) ?? 0,
        maxUpdateBytes: limits.maxUpdateBytes,
        maxBlobBytes: limits.maxBlobBytes,
      });
      if (!verdict.ok) return { ok: false, index: i, reason: `${verdict.reason}: ${verdict.detail.slice(0, 120)}` };
      for (const [client, clock] of Y.parseUpdateMeta(update).to) if (clock > (known.get(client) ?? 0)) known.set(client, clock);
      out.push({ update, blobs: verdict.blobs.map((b) => b.blob) });
      await slice.check();
    }
    return { ok: true, pieces: out };
  };
}
