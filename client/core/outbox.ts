// Writes queued on this device: rooms whose local writes no relay has confirmed yet.
// Delivering them needs no keys (blobs are ciphertext), only the room and its relays.
import { parseRoomName, type Capability } from '#shared';
import type { RoomStore } from './store.ts';

/** Mirror-level capabilities of every stored room with unconfirmed local writes. */
export async function queuedCapabilities(store: RoomStore): Promise<Capability[]> {
  const caps: Capability[] = [];
  for (const room of await store.rooms()) {
    const meta = await store.loadMeta(room);
    const address = parseRoomName(room);
    // Any epoch: opening the space loads whichever of its epochs hold queued writes.
    if (meta.pending === 0 || !address || caps.some((c) => c.spaceId === address.spaceId)) continue;
    // The relays it synced with first: a space dials at most 16 (client/core/relay-choice.ts).
    const relays = [...new Set([...meta.synced, ...meta.relays])];
    caps.push({ kind: 'thread', spaceId: address.spaceId, writePub: address.writePub, readKey: null, write: null, relays });
  }
  return caps;
}
