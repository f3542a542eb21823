// Bundles: spaces carried by hand as a file, ciphertext only (docs/PROTOCOL.md §5).
//   {"baton": "bundle", "version": 1, "rooms": {"<room>": "<base64url Yjs v1 update>"}}
import { fromBase64url, toBase64url } from './bytes.ts';
import { parseRoomName, type RoomName } from './ids.ts';

export const BUNDLE_VERSION = 1;
export const BUNDLE_EXTENSION = '.baton';
export const MAX_BUNDLE_ROOMS = 100_000;

export type Bundle = Map<RoomName, Uint8Array>;

export class BundleError extends Error {
  override name = 'BundleError';
}

export function encodeBundle(rooms: Bundle): string {
  const out: Record<string, string> = {};
  for (const [room, update] of [...rooms].sort(([a], [b]) => (a < b ? -1 : 1))) out[room] = toBase64url(update);
  return JSON.stringify({ baton: 'bundle', version: BUNDLE_VERSION, rooms: out });
}

/**
 * Parses a bundle's text. Checks only the container: each room's update must still pass
 * the envelope validator on import, exactly as sync does.
 */
export function decodeBundle(text: string): Bundle {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new BundleError('not a Baton bundle: the file is not JSON');
  }
  if (typeof json !== 'object' || json === null || (json as { baton?: unknown }).baton !== 'bundle') {
    throw new BundleError('not a Baton bundle (missing "baton": "bundle")');
  }
  const { version, rooms } = json as { version?: unknown; rooms?: unknown };
  if (version !== BUNDLE_VERSION) throw new BundleError(`unsupported bundle version ${String(version)} (this Baton reads ${BUNDLE_VERSION})`);
  if (typeof rooms !== 'object' || rooms === null || Array.isArray(rooms)) throw new BundleError('a bundle needs a "rooms" object');
  const entries = Object.entries(rooms);
  if (entries.length > MAX_BUNDLE_ROOMS) throw new BundleError(`a bundle holds at most ${MAX_BUNDLE_ROOMS} rooms`);
  const bundle: Bundle = new Map();
  for (const [room, value] of entries) {
    const address = parseRoomName(room);
    if (!address) throw new BundleError(`bad room name in bundle: ${room.slice(0, 60)}`);
    const update = typeof value === 'string' ? fromBase64url(value) : null;
    if (!update) throw new BundleError(`room ${room} is not base64url`);
    bundle.set(address.room, update);
  }
  return bundle;
}
