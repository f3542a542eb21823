// A stored room of many tiny blobs, as an attacker with a board's write key can build one: rows
// for a relay's storage without signatures (storage is trusted; only loading is measured).
import { randomBytes } from 'node:crypto';
import * as Y from 'yjs';
import { BLOB_VERSION, BlobKind } from '#shared/blob.ts';
import { LOG_ARRAY_NAME } from '#shared/envelope/validate.ts';
import { splitEnvelopeUpdate } from '#shared';
import { SqliteStorage } from '#server/storage/sqlite.ts';

/** One update appending `count` blobs of `size` bytes, from `clients` writers taking turns. */
export function tinyBlobRoom(count: number, size = 170, clients = 10): { update: Uint8Array; doc: Y.Doc } {
  const doc = new Y.Doc();
  const log = doc.getArray<Uint8Array>(LOG_ARRAY_NAME);
  const bytes = randomBytes(size * 64);
  for (let i = 0; i < count; i += 500) {
    doc.clientID = 1 + ((i / 500) % clients);
    const batch = Array.from({ length: Math.min(500, count - i) }, (_, k) => {
      const blob = new Uint8Array(bytes.buffer, bytes.byteOffset + ((i + k) % 63) * size, size).slice();
      blob[0] = BLOB_VERSION;
      blob[1] = BlobKind.link;
      return blob;
    });
    log.push(batch);
  }
  return { update: Y.encodeStateAsUpdate(doc), doc };
}

/** Stores one room of `count` tiny blobs under each name, as a relay stores a room: rows of at most 1 MiB. Returns the room's bytes. */
export async function storeTinyBlobRooms(dir: string, names: readonly string[], count: number): Promise<number> {
  const { update } = tinyBlobRoom(count);
  const storage = new SqliteStorage(dir);
  const rows = splitEnvelopeUpdate(update, 1024 * 1024);
  for (const name of names) for (const row of rows) await storage.append([{ room: name, update: row }]);
  await storage.close();
  return update.length;
}
