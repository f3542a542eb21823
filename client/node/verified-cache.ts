// Signature checks this device made on a room's stored blobs, kept beside the room so that a
// new process reopening the space need not redo them (the second open of a long thread).
//
// Why nobody but this device can write an entry it will trust: the file is authenticated
// with a keyed BLAKE2b MAC under crypto_generichash(32, "baton/verified-cache/v2",
// deviceSecret), where the device secret (client/node/device-secret.ts) is 32 random bytes
// made on this device and shared with no one; a read key would not do, since every reader of
// the board holds it. The MAC covers the room name, so a record vouches only for its own room,
// and its digests are trusted only while that room's stored updates are applied (not for any
// other room, nor for post signatures checked later). An entry is the SHA-256 of public key,
// signature and message of one check that passed. A file that does not parse, names another
// room, or whose MAC does not verify is ignored whole, and the checks are redone.
//   file = "BVC2" || count:u32be || count * 32-byte digests || mac:32
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { concatBytes, sodium, u32be, utf8, type RoomName } from '#shared';
import type { VerificationCache } from '#client-core/store.ts';
import { collectPassedChecks } from './ed25519.ts';
import { fileBase, writeAtomically } from './room-files.ts';

const MAGIC = utf8('BVC2');
const DIGEST_BYTES = 32;
const MAC_BYTES = 32;
const MAX_ENTRIES = 200_000;
const SUFFIX = '.verified';

export function cacheKey(deviceSecret: Uint8Array): Uint8Array {
  return sodium().crypto_generichash(32, utf8('baton/verified-cache/v2'), deviceSecret);
}

function mac(room: RoomName, body: Uint8Array, key: Uint8Array): Uint8Array {
  const name = utf8(room);
  return sodium().crypto_generichash(MAC_BYTES, concatBytes(u32be(name.length), name, body), key);
}

export class FileVerificationCache implements VerificationCache {
  private readonly key: Uint8Array;

  constructor(
    private readonly dir: string,
    deviceSecret: Uint8Array,
  ) {
    this.key = cacheKey(deviceSecret);
  }

  private path(room: RoomName): string {
    return join(this.dir, fileBase(room) + SUFFIX);
  }

  async restore(room: RoomName): Promise<string[]> {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(this.path(room));
    } catch {
      return [];
    }
    return decodeCache(room, bytes, this.key) ?? [];
  }

  collect(apply: () => void, trusted: ReadonlySet<string>): string[] {
    return collectPassedChecks(apply, trusted);
  }

  async save(room: RoomName, checks: string[]): Promise<void> {
    // A cache: torn or lost after a crash, it is ignored and the checks are redone.
    await writeAtomically(this.path(room), encodeCache(room, checks, this.key), { durable: false });
  }
}

export function encodeCache(room: RoomName, digests: string[], key: Uint8Array): Uint8Array {
  const kept = digests.slice(0, MAX_ENTRIES).map((d) => Buffer.from(d, 'base64')).filter((d) => d.length === DIGEST_BYTES);
  const body = concatBytes(MAGIC, u32be(kept.length), ...kept);
  return concatBytes(body, mac(room, body, key));
}

/** The digests of an authentic cache file for this room, or null (anything off: ignore it all). */
export function decodeCache(room: RoomName, bytes: Uint8Array, key: Uint8Array): string[] | null {
  if (bytes.length < MAGIC.length + 4 + MAC_BYTES) return null;
  const body = bytes.subarray(0, bytes.length - MAC_BYTES);
  if (!MAGIC.every((b, i) => body[i] === b)) return null;
  const count = new DataView(body.buffer, body.byteOffset + MAGIC.length, 4).getUint32(0, false);
  if (count > MAX_ENTRIES || body.length !== MAGIC.length + 4 + count * DIGEST_BYTES) return null;
  if (!sodium().memcmp(mac(room, body, key), bytes.subarray(bytes.length - MAC_BYTES))) return null;
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const at = MAGIC.length + 4 + i * DIGEST_BYTES;
    out.push(Buffer.from(body.subarray(at, at + DIGEST_BYTES)).toString('base64'));
  }
  return out;
}
