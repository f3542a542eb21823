// Public names: space ids and room names, as relays and mirrors see them.
import { fromBase64url, toBase64url } from './bytes.ts';

/** base64url (no padding) of a space's Ed25519 write public key: 43 characters. */
export type SpaceId = string & { readonly __brand: 'SpaceId' };
/** `<spaceId>.<epoch>`: one envelope doc. */
export type RoomName = string & { readonly __brand: 'RoomName' };

export const SPACE_ID_LENGTH = 43;
export const MAX_EPOCH = 0xffffffff;

export interface RoomAddress {
  room: RoomName;
  spaceId: SpaceId;
  writePub: Uint8Array;
  epoch: number;
}

export function spaceIdFromPublicKey(writePub: Uint8Array): SpaceId {
  if (writePub.length !== 32) throw new RangeError('a write public key is 32 bytes');
  return toBase64url(writePub) as SpaceId;
}

/** The 32 public-key bytes behind a space id, or null if it is not one. */
export function publicKeyFromSpaceId(spaceId: string): Uint8Array | null {
  if (spaceId.length !== SPACE_ID_LENGTH) return null;
  const bytes = fromBase64url(spaceId);
  return bytes && bytes.length === 32 ? bytes : null;
}

export function isSpaceId(value: unknown): value is SpaceId {
  return typeof value === 'string' && publicKeyFromSpaceId(value) !== null;
}

export function roomName(spaceId: SpaceId, epoch: number): RoomName {
  if (!Number.isInteger(epoch) || epoch < 0 || epoch > MAX_EPOCH) throw new RangeError(`bad epoch ${epoch}`);
  return `${spaceId}.${epoch}` as RoomName;
}

const EPOCH_PATTERN = /^(0|[1-9][0-9]{0,9})$/;

/** Parses `<spaceId>.<epoch>`; null for anything else (including non-canonical epochs like "01"). */
export function parseRoomName(name: string): RoomAddress | null {
  if (typeof name !== 'string' || name.length > SPACE_ID_LENGTH + 11) return null;
  const dot = name.indexOf('.');
  if (dot !== SPACE_ID_LENGTH) return null;
  const spaceId = name.slice(0, dot);
  const epochText = name.slice(dot + 1);
  if (!EPOCH_PATTERN.test(epochText)) return null;
  const epoch = Number(epochText);
  if (epoch > MAX_EPOCH) return null;
  const writePub = publicKeyFromSpaceId(spaceId);
  if (!writePub) return null;
  return { room: name as RoomName, spaceId: spaceId as SpaceId, writePub, epoch };
}
