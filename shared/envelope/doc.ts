// Envelope docs: a Y.Doc whose only content is the root Y.Array `log` of blobs (docs/PROTOCOL.md §3).
import * as Y from 'yjs';
import { LOG_ARRAY_NAME, validateEnvelopeUpdate, type EnvelopeVerdict, type NewBlob, type ValidateOptions } from './validate.ts';
import type { BlobPosition, RoomKey } from '../blob.ts';

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

/** Seals one blob for the log item at `pos` (a blob is valid at that Yjs id only). */
export type Sealer = (pos: BlobPosition) => Uint8Array;

/**
 * Appends blobs at the next ids of the doc's own client, each sealed for the id it lands at.
 * Positions are computed and the blobs pushed in one synchronous step, so nothing can take
 * those ids in between; the ids they landed at are then checked, since Yjs gives a doc a new
 * clientID after a remote transaction touches its own (a blob at the wrong id would be
 * refused by every receiver). Returns the blobs with their ids.
 */
export function appendSealed(doc: Y.Doc, sealers: Sealer[], origin: unknown = null): NewBlob[] {
  if (sealers.length === 0) return [];
  const client = doc.clientID;
  const start = Y.getState(doc.store, client);
  const placed = sealers.map((seal, i) => ({ client, clock: start + i, blob: seal({ client, clock: start + i }) }));
  doc.transact(() => envelopeLog(doc).push(placed.map((p) => p.blob)), origin);
  for (const p of placed) {
    const landed = blobAt(doc, p);
    if (!landed || !sameBytes(landed, p.blob)) throw new Error(`a sealed blob did not land at ${p.client}:${p.clock}, the id it was signed for`);
  }
  return placed;
}

/** The blob the doc holds at a Yjs id, if any. */
export function blobAt(doc: Y.Doc, pos: BlobPosition): Uint8Array | null {
  const structs = doc.store.clients.get(pos.client);
  if (!structs || pos.clock >= Y.getState(doc.store, pos.client)) return null;
  // Envelope items have length 1 and are never merged, so a binary search on clock finds it.
  let lo = 0;
  let hi = structs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const s = structs[mid]!;
    if (s.id.clock + s.length <= pos.clock) lo = mid + 1;
    else if (s.id.clock > pos.clock) hi = mid - 1;
    else {
      if (!(s instanceof Y.Item) || s.deleted) return null;
      const content = s.content.getContent()[pos.clock - s.id.clock];
      return content instanceof Uint8Array ? content : null;
    }
  }
  return null;
}

/**
 * Appends blobs exactly as given, at the doc's next ids, without sealing them. Only for blobs
 * already signed for those ids, or for tests and attack suites that build refused updates.
 */
export function appendBlobs(doc: Y.Doc, blobs: Uint8Array[], origin: unknown = null): void {
  if (blobs.length === 0) return;
  doc.transact(() => envelopeLog(doc).push(blobs), origin);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
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
  limits: Omit<ValidateOptions, 'clockOf' | 'heldBlob'> = {},
): EnvelopeVerdict {
  const verdict = validateEnvelopeUpdate(update, room, { ...limits, clockOf: clockOfDoc(doc), heldBlob: (pos) => blobAt(doc, pos) });
  if (verdict.ok && verdict.blobs.length > 0) Y.applyUpdate(doc, update, origin);
  return verdict;
}
