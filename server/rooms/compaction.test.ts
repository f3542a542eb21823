// A big room compacted from its doc is stored in rows of about 1 MiB, each an update that
// applies after the ones before it, and loads back as the same room, a page at a time.
import assert from 'node:assert/strict';
import { afterEach, it } from 'vitest';
import * as Y from 'yjs';
import { parseRoomName, roomName } from '#shared';
import { openRegistry, type RegistryParts } from '#test/support/relay-parts.ts';
import { testRoom } from '#test/support/rooms.ts';
import { tinyBlobRoom } from '#test/support/tiny-blobs.ts';

let open: RegistryParts[] = [];
afterEach(async () => {
  for (const parts of open) await parts.close();
  open = [];
});

it('stores a big room as rows of about 1 MiB that load back as the same room', async () => {
  const parts = await openRegistry({ idleUnloadMs: 1000 });
  open.push(parts);
  const { registry, storage } = parts;
  const name = roomName(testRoom(90).cap.spaceId, 0);
  const big = tinyBlobRoom(20_000, 170, 4); // about 3.5 MiB
  const more = tinyBlobRoom(100, 120, 1);
  more.doc.clientID = 50;
  const sv = Y.encodeStateVector(big.doc);
  Y.applyUpdate(more.doc, big.update);
  more.doc.getArray<Uint8Array>('log').push([new Uint8Array([2, 3, 9])]);
  await storage.append([{ room: name, update: big.update }, { room: name, update: Y.encodeStateAsUpdate(more.doc, sv) }]);
  const address = parseRoomName(name)!;
  const before = await registry.with(address, (room) => ({ sv: room.stateVector(), blobs: room.blobCount }));
  assert.equal(before.blobs, 20_001);

  await registry.sweep(Date.now() + 5000); // unloads it, and compacts it on the way out
  assert.equal(registry.isLoaded(name), false);
  const stored = await storage.load(name);
  assert.ok(stored.updates.length >= 3, `several rows (${stored.updates.length})`);
  for (const row of stored.updates) assert.ok(row.length <= 1024 * 1024 + 64 * 1024, `a row of ${row.length} bytes`);
  const fresh = new Y.Doc();
  for (const row of stored.updates) Y.applyUpdate(fresh, row);
  assert.equal(fresh.store.pendingStructs, null, 'each row applies after the ones before it');
  assert.deepEqual(Y.encodeStateVector(fresh), before.sv);

  const after = await registry.with(address, (room) => ({ sv: room.stateVector(), blobs: room.blobCount }));
  assert.deepEqual(after, before);
});
