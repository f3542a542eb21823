// Protocol 1 is retired (docs/PROTOCOL.md §8): a relay that found protocol-1 rooms in its
// storage would serve blobs every protocol-2 party refuses, and refuse every write into those
// rooms as a gap or a bad blob. So it says so at start-up instead, with what to do.
import { BLOB_VERSION, RETIRED_BLOB_VERSION, firstEnvelopeBlob } from '#shared';
import type { RelayStorage } from './types.ts';
import { say, str } from '../l10n.ts';

/** Rooms sampled: a data directory holds one protocol, so a few rooms tell. */
const SAMPLE = 3;

/**
 * The version byte of the first blob of a stored row, read from its bytes up to that blob,
 * or null when the row does not start with one (or is damaged). Applying rows to a doc to
 * learn one byte took a relay over a data directory of three full rooms of small blobs to
 * 460 MiB before it listened.
 */
export function firstBlobVersion(row: Uint8Array): number | null {
  const blob = firstEnvelopeBlob(row);
  return blob && blob.length > 0 ? blob[0]! : null;
}

/** The first blob version a stored room holds, or null when none of its rows starts with a blob. */
async function roomVersion(storage: RelayStorage, room: string): Promise<number | null> {
  for (const row of (await storage.load(room)).updates) {
    const version = firstBlobVersion(row);
    if (version !== null) return version;
  }
  return null;
}

/** Throws, naming a room and the way out, when the storage holds protocol-1 rooms. */
export async function refuseRetiredProtocol(storage: RelayStorage, where: string): Promise<void> {
  const rooms = await storage.listRooms();
  const picks = [...new Set([rooms[0], rooms[rooms.length >> 1], rooms[rooms.length - 1]])].filter((r): r is string => r !== undefined).slice(0, SAMPLE);
  for (const room of picks) {
    const version = await roomVersion(storage, room);
    if (version === null || version === BLOB_VERSION) continue;
    const protocol = BLOB_VERSION;
    const what =
      version === RETIRED_BLOB_VERSION ? say('protocol 1 rooms (retired)', { id: 'relay.retiredRooms' }) : say(str`rooms of an unknown blob version ${version}`, { id: 'relay.unknownRooms' });
    throw new Error(
      say(
        str`${where} holds ${what}, e.g. ${room}; this relay speaks protocol ${protocol} only. Stop here, move the data aside (for example \`mv data data.protocol1\`) and start on an empty data directory; writers re-publish their boards into it.`,
        { id: 'relay.retiredProtocol' },
      ),
    );
  }
}
