// The bound on what loaded rooms take in memory: a load that would pass it unloads idle rooms,
// least recently used first, and is refused when only rooms in use are left; a refused room is
// refused again without being read.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'vitest';
import { parseRoomName, roomName } from '#shared';
import { openRegistry, type RegistryParts } from '#test/support/relay-parts.ts';
import { testRoom } from '#test/support/rooms.ts';
import { tinyBlobRoom } from '#test/support/tiny-blobs.ts';
import { loadedRoomBytes, RoomMemoryFull } from './room-memory.ts';

let open: RegistryParts[] = [];
afterEach(async () => {
  for (const parts of open) await parts.close();
  open = [];
});

const BLOBS = 4_000;
const stored = tinyBlobRoom(BLOBS);
const need = loadedRoomBytes(stored.update.length, BLOBS);

/** A registry whose storage holds `count` rooms of tiny blobs, with room for two of them loaded. */
async function withRooms(count: number) {
  const parts = await openRegistry({ idleUnloadMs: 60_000, limits: { roomMemoryBytes: Math.floor(need * 2.5) } });
  open.push(parts);
  const names = Array.from({ length: count }, (_, k) => roomName(testRoom(40 + k).cap.spaceId, 0));
  for (const name of names) await parts.storage.append([{ room: name, update: stored.update }]);
  let reads = 0;
  const load = parts.storage.load.bind(parts.storage);
  parts.storage.load = (name) => {
    reads++;
    return load(name);
  };
  return { ...parts, addresses: names.map((n) => parseRoomName(n)!), reads: () => reads };
}

describe('the memory of loaded rooms', () => {
  it('unloads the least recently used idle room to load another', async () => {
    const { registry, addresses } = await withRooms(3);
    await registry.with(addresses[0]!, (room) => assert.equal(room.blobCount, BLOBS));
    await new Promise((r) => setTimeout(r, 5));
    await registry.with(addresses[1]!, () => {});
    assert.equal(registry.loadedCount, 2);
    assert.ok(registry.roomMemory <= 2 * need);
    await registry.with(addresses[2]!, (room) => assert.equal(room.blobCount, BLOBS));
    assert.equal(registry.loadedCount, 2);
    assert.equal(registry.isLoaded(addresses[0]!.room), false, 'the older idle room made way');
    assert.ok(registry.isLoaded(addresses[1]!.room));
  });

  it('refuses a load when the rooms in memory are in use, counts it, and does not read the room again', async () => {
    const { registry, addresses, reads, config } = await withRooms(3);
    const held = [await registry.acquire(addresses[0]!), await registry.acquire(addresses[1]!)];
    await assert.rejects(registry.acquire(addresses[2]!), RoomMemoryFull);
    assert.equal(registry.isLoaded(addresses[2]!.room), false);
    const readsAfterFirst = reads();
    await assert.rejects(registry.acquire(addresses[2]!), RoomMemoryFull);
    assert.equal(reads(), readsAfterFirst, 'a known refusal reads nothing');
    assert.ok(registry.roomMemory <= config.limits.roomMemoryBytes);
    // Once a room is let go, the refused one loads.
    registry.release(held[0]!);
    const room = await registry.acquire(addresses[2]!);
    assert.equal(room.blobCount, BLOBS);
    registry.release(room);
    registry.release(held[1]!);
  });
});
