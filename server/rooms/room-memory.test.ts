// The bound on what loaded rooms take in memory: a load that would pass it unloads idle rooms,
// least recently used first, and is refused when only rooms in use are left; a refused room is
// refused again without being read.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'vitest';
import { initSodium, parseRoomName, roomName, type Sealer } from '#shared';
import { nameOf, openRegistry, writer, type RegistryParts } from '#test/support/relay-parts.ts';
import { testIdentity, testRoom, testUpdate, type TestRoom } from '#test/support/rooms.ts';
import { tinyBlobRoom } from '#test/support/tiny-blobs.ts';
import { loadedRoomBytes, RoomMemoryFull } from './room-memory.ts';
import type { RoomRegistry } from './registry.ts';
import type { Acceptance, Room } from './room.ts';

await initSodium();
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

  it('refuses a load when the rooms in memory are in use, and does not read the room again', async () => {
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

describe('rooms growing in memory', () => {
  const author = testIdentity(5);
  /** Sends one post into a room: through the room when it is held, else leased for the call. */
  const post = (registry: RoomRegistry, room: TestRoom, send: (sealers: Sealer[]) => Uint8Array, i: number, held?: Room): Promise<Acceptance> => {
    const update = send([testUpdate(room, author, 'k', `post ${i}`)]);
    return held ? held.receiveVerified(update, null) : registry.with(parseRoomName(nameOf(room))!, (r) => r.receiveVerified(update, null));
  };

  it('refuses writes to loaded rooms past the bound (busy: try again), after idle rooms have made way', async () => {
    const parts = await openRegistry({ idleUnloadMs: 60_000, limits: { roomMemoryBytes: 96 * 1024 } });
    open.push(parts);
    const { registry } = parts;
    const [idle, busy] = [testRoom(70), testRoom(71)];
    const toIdle = writer(1);
    for (let i = 0; i < 20; i++) assert.ok((await post(registry, idle, toIdle, i)).ok);
    assert.ok(registry.isLoaded(nameOf(idle)));
    const held = await registry.acquire(parseRoomName(nameOf(busy))!);
    const toBusy = writer(2);
    let accepted = 0;
    let refusal: Acceptance | null = null;
    for (let i = 0; i < 200 && !refusal; i++) {
      const result = await post(registry, busy, toBusy, i, held);
      if (result.ok) accepted++;
      else refusal = result;
    }
    assert.equal(registry.isLoaded(nameOf(idle)), false, 'the idle room made way first');
    assert.ok(accepted > 20, `${accepted} writes were taken before the bound`);
    assert.ok(refusal && !refusal.ok && refusal.code === 'busy' && refusal.reason === 'memory-full', JSON.stringify(refusal));
    assert.ok(registry.roomMemory <= 96 * 1024);
    registry.release(held);
  });
});
