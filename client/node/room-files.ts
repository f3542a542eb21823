// Where a room's files live and how they are replaced: shared by the room store and the
// verification cache beside it.
import { open, rename } from 'node:fs/promises';
import { parseRoomName, type RoomName } from '#shared';

/** File names in hex, so rooms stay apart on case-insensitive file systems. */
export function fileBase(room: RoomName): string {
  const address = parseRoomName(room);
  if (!address) throw new RangeError(`not a room name: ${room}`);
  return `${Buffer.from(address.writePub).toString('hex')}.${address.epoch}`;
}

/** Write, fsync (unless the file is only a cache), rename: off the event loop, so a large rewrite never stalls the client. */
export async function writeAtomically(path: string, bytes: Uint8Array, { durable = true } = {}): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const file = await open(tmp, 'w', 0o600);
  try {
    await file.write(bytes);
    if (durable) await file.sync();
  } finally {
    await file.close();
  }
  await rename(tmp, path);
}
