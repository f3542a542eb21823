// Reads the blob version (byte 0) of the first blob in a stored Yjs v1 update, straight from
// its bytes: the start-up protocol check needs one byte, not the room's doc. Stored rows are
// input like any other: every read is bounds-checked and anything unexpected answers null.
import { LOG_ARRAY_NAME } from '#shared';
import { ByteReader } from '#shared/envelope/byte-reader.ts';

const CONTENT_BINARY = 3;
const BIT_ORIGIN = 0x80;
const BIT_RIGHT_ORIGIN = 0x40;
const BIT_PARENT_SUB = 0x20;
const LOG_NAME = new TextEncoder().encode(LOG_ARRAY_NAME);

/** Byte 0 of the first struct's blob, or null when the update does not start with a binary item in the log array. */
export function firstBlobVersion(update: Uint8Array): number | null {
  try {
    return readFirst(new ByteReader(update));
  } catch {
    return null; // damaged bytes: the room's own loader reports them
  }
}

function readFirst(r: ByteReader): number | null {
  if (r.readVarUint() === 0) return null; // no structs, a delete set at most
  const structCount = r.readVarUint();
  r.readVarUint(); // client
  r.readVarUint(); // clock
  if (structCount === 0) return null;
  const info = r.readByte();
  // GC (0), skip (10) and every content but binary say nothing about the blob version.
  if ((info & 0x1f) !== CONTENT_BINARY || (info & BIT_PARENT_SUB) !== 0) return null;
  const hasOrigin = (info & BIT_ORIGIN) !== 0;
  const hasRight = (info & BIT_RIGHT_ORIGIN) !== 0;
  for (let ids = (hasOrigin ? 1 : 0) + (hasRight ? 1 : 0); ids > 0; ids--) {
    r.readVarUint(); // client
    r.readVarUint(); // clock
  }
  if (!hasOrigin && !hasRight) {
    // The parent is written out: only the root array of an envelope doc counts.
    if (r.readVarUint() !== 1 || !sameBytes(r.readVarBytes(), LOG_NAME)) return null;
  }
  const blob = r.readVarBytes();
  return blob.length > 0 ? blob[0]! : null;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
