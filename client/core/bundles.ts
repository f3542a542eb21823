// Bundles (docs/PROTOCOL.md §5): spaces carried by hand as a file, ciphertext only. Import validates
// every room exactly as sync does, all rooms before any is stored.
import * as Y from 'yjs';
import {
  BundleError,
  createEnvelopeDoc,
  decodeBundle,
  encodeBundle,
  parseRoomName,
  type Bundle,
  type RoomName,
} from '#shared';
import { applyCheckedUpdateAsync } from './update-check.ts';
import { ClientError } from './errors.ts';
import { MAX_RECEIVED_UPDATE_BYTES } from './validating-sync.ts';
import type { Space } from './space.ts';
import type { RoomStore } from './store.ts';

/** A bundle of these spaces' envelope docs (a board and its threads, say). */
export function exportBundle(spaces: Space[]): string {
  const rooms: Bundle = new Map();
  for (const s of spaces) rooms.set(s.room, Y.encodeStateAsUpdate(s.envelope));
  return encodeBundle(rooms);
}

export interface ImportedRoom {
  room: RoomName;
  /** The room's whole update from the bundle, as validated. */
  update: Uint8Array;
  /** Blobs the bundle added to what the store already held. */
  added: number;
}

/**
 * Validates every room of a bundle against what the store holds, then stores them all.
 * Throws ClientError('corrupt-bundle') with nothing stored if any room fails.
 */
export async function importBundle(store: RoomStore, text: string): Promise<ImportedRoom[]> {
  let bundle: Bundle;
  try {
    bundle = decodeBundle(text);
  } catch (err) {
    if (err instanceof BundleError) throw new ClientError('corrupt-bundle', err.message);
    throw err;
  }
  return importRooms(store, bundle);
}

/**
 * Validates rooms' updates (a bundle's, or a room fetched whole before its space opened) against
 * what the store holds, then stores them all. Throws ClientError('corrupt-bundle') with nothing
 * stored if any room fails.
 */
export async function importRooms(store: RoomStore, rooms: ReadonlyMap<RoomName, Uint8Array>): Promise<ImportedRoom[]> {
  const checked: ImportedRoom[] = [];
  for (const [room, update] of rooms) {
    const address = parseRoomName(room);
    if (!address) throw new ClientError('corrupt-bundle', `not a room name: ${room.slice(0, 12)}…`);
    const doc = createEnvelopeDoc();
    try {
      // Validate against what is held already, so a bundle may extend a known room.
      const limits = { maxUpdateBytes: MAX_RECEIVED_UPDATE_BYTES };
      for (const held of (await store.load(room)).updates) await applyCheckedUpdateAsync(doc, held, address, null, limits.maxUpdateBytes);
      const verdict = await applyCheckedUpdateAsync(doc, update, address, null, limits.maxUpdateBytes);
      if (!verdict.ok) {
        throw new ClientError('corrupt-bundle', `bundle room ${room.slice(0, 12)}… is invalid: ${verdict.reason} (${verdict.detail})`);
      }
      checked.push({ room, update, added: verdict.blobs.length });
    } finally {
      doc.destroy();
    }
  }
  for (const r of checked) if (r.added > 0) await store.append(r.room, r.update);
  return checked;
}
