// The room registry over a real SQLite file: loading and unloading, its room events, compaction
// and the retention of older epochs.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'vitest';
import * as Y from 'yjs';
import { BlobKind, createEnvelopeDoc, envelopeLog, initSodium, parseRoomName, sealUpdateBlob, type RoomAddress, type Sealer } from '#shared';
import { nameOf, openRegistry, writer, type RegistryParts } from '#test/support/relay-parts.ts';
import { plainUpdate, testIdentity, testLink, testRoom, testUpdate, type TestRoom } from '#test/support/rooms.ts';
import { waitUntil } from '#test/support/wait.ts';
import type { RelayOptions } from '../config.ts';
import type { RoomMember } from './room.ts';

await initSodium();
const author = testIdentity(3);
const thread = testRoom(1);
const addressOf = (r: TestRoom): RoomAddress => parseRoomName(nameOf(r))!;
const snapshot = (r: TestRoom): Sealer => (pos) => sealUpdateBlob(r.key, BlobKind.snapshot, author, plainUpdate('s', 'snapshot'), pos);

let open: RegistryParts[] = [];
async function registryWith(options: RelayOptions = {}, dir?: string): Promise<RegistryParts> {
  const parts = await openRegistry({ idleUnloadMs: 60_000, ...options }, dir);
  open.push(parts);
  return parts;
}
afterEach(async () => {
  for (const parts of open) await parts.close();
  open = [];
  writers.clear();
});

const writers = new Map<string, (sealers: Sealer[]) => Uint8Array>();
/** Writes blobs to a room, one update each, from that room's one writer, as an HTTP client would. */
async function write(parts: RegistryParts, r: TestRoom, sealers: Sealer[]): Promise<void> {
  const name = nameOf(r);
  if (!writers.has(name)) writers.set(name, writer());
  for (const sealer of sealers) {
    const update = writers.get(name)!([sealer]);
    const result = await parts.registry.with(addressOf(r), async (room) => {
      const accepted = await room.receiveVerified(update, null);
      await parts.registry.durable(room);
      return accepted;
    });
    assert.ok(result.ok, result.ok ? '' : result.reason);
  }
}

describe('loading and unloading', () => {
  it('a room that holds nothing is not kept; one that holds blobs stays until idle, then unloads', async () => {
    const parts = await registryWith({ idleUnloadMs: 1000 });
    const { registry } = parts;
    await registry.with(addressOf(testRoom(2)), (room) => assert.equal(room.blobCount, 0));
    assert.equal(registry.loadedCount, 0, 'an empty room is dropped on release');
    await write(parts, thread, [testUpdate(thread, author, 'a', '1')]);
    assert.ok(registry.isLoaded(nameOf(thread)));
    await registry.sweep(Date.now() + 10);
    assert.ok(registry.isLoaded(nameOf(thread)), 'not idle yet');
    await registry.sweep(Date.now() + 5000);
    assert.equal(registry.isLoaded(nameOf(thread)), false);
    // And it comes back from storage.
    await registry.with(addressOf(thread), (room) => assert.equal(room.blobCount, 1));
  });

  it('what was written survives a restart over the same file', async () => {
    const first = await registryWith();
    await write(first, thread, [testUpdate(thread, author, 'a', '1'), testUpdate(thread, author, 'b', '2')]);
    await first.close(true);
    const second = await registryWith({}, first.dir);
    assert.deepEqual(await second.registry.listRooms(), [nameOf(thread)]);
    await second.registry.with(addressOf(thread), (room) => {
      assert.equal(room.blobCount, 2);
      assert.equal(room.rows, 2, 'its stored rows are counted, though they were applied after the room was built');
    });
    await assert.rejects(async () => {
      await second.registry.close();
      await second.registry.acquire(addressOf(thread));
    }, /relay is closing/);
  });
});

describe('room events', () => {
  it('every listener hears changes and unloads; an unsubscribed one no longer does', async () => {
    const parts = await registryWith({ idleUnloadMs: 1000 });
    const heard: string[] = [];
    const stopA = parts.registry.events.on('changed', (room) => heard.push(`a:${room.name === nameOf(thread)}`));
    parts.registry.events.on('changed', (_room, origin) => heard.push(`b:${String(origin)}`));
    parts.registry.events.on('unloaded', (room) => heard.push(`unloaded:${room.blobCount}`));
    await write(parts, thread, [testUpdate(thread, author, 'a', '1')]);
    assert.deepEqual(heard, ['a:true', 'b:null']);
    stopA();
    await write(parts, thread, [testUpdate(thread, author, 'b', '2')]);
    assert.deepEqual(heard.slice(2), ['b:null']);
    await parts.registry.sweep(Date.now() + 5000);
    assert.deepEqual(heard.slice(3), ['unloaded:2']);
  });

  it('a listener that throws is logged; the others still hear, and the write stands', async () => {
    const parts = await registryWith();
    let heard = 0;
    parts.registry.events.on('changed', () => {
      throw new Error('listener broke');
    });
    parts.registry.events.on('changed', () => heard++);
    await write(parts, thread, [testUpdate(thread, author)]);
    assert.equal(heard, 1);
    assert.ok(parts.logs.some((line) => line === 'room: changed listener failed: listener broke'), parts.logs.join('\n'));
    assert.equal((await parts.storage.load(nameOf(thread))).updates.length, 1);
  });

  it('members joining and link blobs naming children are announced', async () => {
    const parts = await registryWith();
    const board = testRoom(4, 0, 'board');
    const joined: boolean[] = [];
    const linked: string[][] = [];
    parts.registry.events.on('joined', (_room, member) => joined.push(member.peer === true));
    parts.registry.events.on('linked', (_room, children) => linked.push(children));
    await parts.registry.with(addressOf(board), (room) => room.join({ send: () => {}, peer: true }));
    await write(parts, board, [testLink(board, thread.cap.writePub)]);
    assert.deepEqual(joined, [true]);
    assert.deepEqual(linked, [[thread.cap.spaceId]]);
  });
});

describe('compaction', () => {
  it('a room that gathered enough rows is merged into one', async () => {
    const parts = await registryWith({ compactAfterRows: 3 });
    await write(parts, thread, [testUpdate(thread, author, 'a', '1'), testUpdate(thread, author, 'b', '2')]);
    assert.equal((await parts.storage.load(nameOf(thread))).updates.length, 2, 'below the threshold');
    await write(parts, thread, [testUpdate(thread, author, 'c', '3')]);
    await waitUntil(async () => (await parts.storage.load(nameOf(thread))).updates.length === 1, { what: 'the room to be compacted' });
    await parts.registry.with(addressOf(thread), (room) => assert.equal(room.blobCount, 3));
    // The merged row (encoded from the loaded doc) holds every blob: a fresh doc reads them all back.
    const fresh = createEnvelopeDoc();
    for (const update of (await parts.storage.load(nameOf(thread))).updates) Y.applyUpdate(fresh, update);
    assert.equal(envelopeLog(fresh).length, 3);
  });

  it('a room merged as it unloads keeps every blob, and rows written after the merge follow it', async () => {
    const parts = await registryWith({ compactAfterRows: 1000, idleUnloadMs: 10 });
    await write(parts, thread, [testUpdate(thread, author, 'a', '1'), testUpdate(thread, author, 'b', '2'), testUpdate(thread, author, 'c', '3')]);
    assert.equal((await parts.storage.load(nameOf(thread))).updates.length, 3);
    await waitUntil(() => !parts.registry.isLoaded(nameOf(thread)), { what: 'the idle room to unload' });
    await waitUntil(async () => (await parts.storage.load(nameOf(thread))).updates.length === 1, { what: 'the merge on unload' });
    await write(parts, thread, [testUpdate(thread, author, 'd', '4')]);
    const stored = await parts.storage.load(nameOf(thread));
    assert.equal(stored.updates.length, 2);
    const fresh = createEnvelopeDoc();
    for (const update of stored.updates) Y.applyUpdate(fresh, update);
    assert.equal(envelopeLog(fresh).length, 4);
    assert.equal(fresh.store.pendingStructs, null);
  });
});

describe('epochs', () => {
  it('members of an older epoch hear of a newer one once, when its snapshot arrives', async () => {
    const parts = await registryWith();
    const heard: number[] = [];
    const member: RoomMember = { send: () => {}, newerEpoch: (epoch) => heard.push(epoch) };
    const older = await parts.registry.acquire(addressOf(thread));
    older.join(member);
    const next = testRoom(1, 1);
    assert.equal(parts.registry.newestSnapshotEpoch(thread.cap.spaceId), -1);
    await write(parts, next, [snapshot(next), (pos) => sealUpdateBlob(next.key, BlobKind.snapshot, author, plainUpdate('t', 'more'), pos)]);
    assert.deepEqual(heard, [1]);
    assert.equal(parts.registry.newestSnapshotEpoch(thread.cap.spaceId), 1);
    older.leave(member);
    parts.registry.release(older);
  });

  it('an older epoch is dropped once the newer one has held a snapshot for the retention period, not before, not while in use', async () => {
    const parts = await registryWith({ epochRetentionMs: 60_000 });
    const next = testRoom(1, 1);
    await write(parts, thread, [testUpdate(thread, author)]);
    await write(parts, next, [snapshot(next)]);
    const now = Date.now();
    assert.equal(parts.registry.isRetired(nameOf(thread), now), false);
    assert.deepEqual(await parts.registry.dropRetired(now), []);
    assert.equal(parts.registry.isRetired(nameOf(thread), now + 61_000), true);
    assert.equal(parts.registry.isRetired(nameOf(next), now + 61_000), false, 'the newest epoch stays');
    const inUse = await parts.registry.acquire(addressOf(thread));
    assert.deepEqual(await parts.registry.dropRetired(now + 61_000), [], 'a leased room waits');
    parts.registry.release(inUse);
    assert.deepEqual(await parts.registry.dropRetired(now + 61_000), [nameOf(thread)]);
    assert.deepEqual(await parts.storage.listRooms(), [nameOf(next)]);
    assert.deepEqual(await parts.registry.epochsOf(thread.cap.spaceId), [1]);
  });

  it('snapshot marks outlive a restart', async () => {
    const first = await registryWith({ epochRetentionMs: 60_000 });
    const next = testRoom(1, 1);
    await write(first, next, [snapshot(next)]);
    await waitUntil(async () => (await first.storage.listSnapshotMarks()).length === 1, { what: 'the snapshot mark to be stored' });
    await first.close(true);
    const second = await registryWith({ epochRetentionMs: 60_000 }, first.dir);
    await waitUntil(() => second.registry.newestSnapshotEpoch(thread.cap.spaceId) === 1, { what: 'the marks to be read back' });
    assert.equal(second.registry.isRetired(nameOf(thread), Date.now() + 61_000), true);
  });
});
