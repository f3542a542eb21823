// Envelope docs: a Y.Doc whose only content is the root Y.Array `log` of blobs (docs/PROTOCOL.md §3).
import * as Y from 'yjs';
import { LOG_ARRAY_NAME, validateEnvelopeUpdate, type EnvelopeVerdict, type ValidateOptions } from './validate.ts';
import type { RoomKey } from '../blob.ts';

export { LOG_ARRAY_NAME };

export function createEnvelopeDoc(): Y.Doc {
  // gc stays on: nothing is ever deleted, so there is nothing to collect anyway.
  const doc = new Y.Doc();
  doc.getArray<Uint8Array>(LOG_ARRAY_NAME);
  return doc;
}

export function envelopeLog(doc: Y.Doc): Y.Array<Uint8Array> {
  return doc.getArray<Uint8Array>(LOG_ARRAY_NAME);
}

/** The receiver's clock for a client, as the validator asks for it. */
export function clockOfDoc(doc: Y.Doc): (client: number) => number {
  return (client) => Y.getState(doc.store, client);
}

/** Appends locally sealed blobs (already valid by construction) in one transaction. */
export function appendBlobs(doc: Y.Doc, blobs: Uint8Array[], origin: unknown = null): void {
  if (blobs.length === 0) return;
  doc.transact(() => envelopeLog(doc).push(blobs), origin);
}

/**
 * Validates a remote update against the doc and applies it only if every rule holds.
 * The single gate through which all foreign bytes reach an envelope doc.
 */
export function applyValidatedUpdate(
  doc: Y.Doc,
  update: Uint8Array,
  room: RoomKey,
  origin: unknown,
  limits: Omit<ValidateOptions, 'clockOf'> = {},
): EnvelopeVerdict {
  const verdict = validateEnvelopeUpdate(update, room, { ...limits, clockOf: clockOfDoc(doc) });
  if (verdict.ok && verdict.blobs.length > 0) Y.applyUpdate(doc, update, origin);
  return verdict;
}
