// One acceptance suite for every RelayStorage adapter (in the style of automerge-repo's
// runStorageAdapterTests): each adapter must pass all of it.
import assert from 'node:assert/strict';
import { describe, it } from 'vitest';
import type { RelayStorage } from './types.ts';

export interface StorageFixture {
  storage: RelayStorage;
  /** Closes the adapter and opens it again on the same data, if it is persistent. */
  reopen?: () => Promise<RelayStorage>;
  teardown: () => Promise<void>;
}

const A = 'A'.repeat(43) + '.0';
const A1 = 'A'.repeat(43) + '.1';
const B = 'B'.repeat(43) + '.0';
const bytes = (...values: number[]) => new Uint8Array(values);

export function runStorageAdapterTests(name: string, setup: () => Promise<StorageFixture>): void {
  describe(`storage adapter: ${name}`, () => {
    const withFixture = (fn: (f: StorageFixture) => Promise<void>) => async () => {
      const f = await setup();
      try {
        await fn(f);
      } finally {
        await f.teardown();
      }
    };

    it('loads an unknown room as empty', withFixture(async ({ storage }) => {
      assert.deepEqual(await storage.load(A), { updates: [], throughSeq: 0, bytes: 0 });
      assert.deepEqual(await storage.listRooms(), []);
    }));

    it('appends in order and keeps rooms apart', withFixture(async ({ storage }) => {
      await storage.append([{ room: A, update: bytes(1) }, { room: B, update: bytes(9, 9) }]);
      await storage.append([{ room: A, update: bytes(2, 2) }]);
      const a = await storage.load(A);
      assert.deepEqual(a.updates.map((u) => [...u]), [[1], [2, 2]]);
      assert.equal(a.bytes, 3);
      assert.ok(a.throughSeq > 0);
      assert.deepEqual((await storage.load(B)).updates.map((u) => [...u]), [[9, 9]]);
    }));

    it('stores a copy, not the caller\'s buffer', withFixture(async ({ storage }) => {
      const update = bytes(5, 6, 7);
      await storage.append([{ room: A, update }]);
      update[0] = 0;
      assert.deepEqual([...(await storage.load(A)).updates[0]!], [5, 6, 7]);
    }));

    it('lists held rooms and the epochs of a space', withFixture(async ({ storage }) => {
      await storage.append([{ room: B, update: bytes(1) }, { room: A1, update: bytes(1) }, { room: A, update: bytes(1) }]);
      assert.deepEqual(await storage.listRooms(), [A, A1, B]);
      assert.deepEqual(await storage.listRoomsWithPrefix('A'.repeat(43) + '.'), [A, A1]);
      assert.deepEqual(await storage.listRoomsWithPrefix('C'.repeat(43) + '.'), []);
    }));

    it('marks a room anew on every append, and not on compaction', withFixture(async ({ storage }) => {
      await storage.append([{ room: A, update: bytes(1) }, { room: B, update: bytes(2) }]);
      const first = new Map(await storage.listRoomMarks());
      assert.deepEqual([...first.keys()], [A, B]);
      await storage.append([{ room: A, update: bytes(3) }]);
      const second = new Map(await storage.listRoomMarks());
      assert.notEqual(second.get(A), first.get(A));
      assert.equal(second.get(B), first.get(B));
      await storage.compact(A, (await storage.load(A)).throughSeq, [bytes(1, 3)]);
      assert.deepEqual(new Map(await storage.listRoomMarks()), second);
    }));

    it('compacts the rows up to a sequence number and keeps later ones after them', withFixture(async ({ storage }) => {
      assert.equal(await storage.lastSeq(A), 0, 'an empty room');
      await storage.append([{ room: A, update: bytes(1) }, { room: A, update: bytes(2) }, { room: B, update: bytes(7) }]);
      const before = await storage.load(A);
      assert.equal(await storage.lastSeq(A), before.throughSeq);
      assert.ok((await storage.lastSeq(B)) > before.throughSeq, 'B was stored after A');
      await storage.append([{ room: A, update: bytes(3) }]);
      await storage.compact(A, before.throughSeq, [bytes(1, 2)]);
      const after = await storage.load(A);
      assert.deepEqual(after.updates.map((u) => [...u]), [[1, 2], [3]]);
      assert.deepEqual((await storage.load(B)).updates.map((u) => [...u]), [[7]]);
      await storage.compact(A, 0, [bytes(0)]); // nothing at or below 0: a no-op
      assert.deepEqual((await storage.load(A)).updates.map((u) => [...u]), [[1, 2], [3]]);
    }));

    it('compacts into several rows, kept in their order and before the rows appended later', withFixture(async ({ storage }) => {
      await storage.append([{ room: A, update: bytes(1) }, { room: B, update: bytes(7) }, { room: A, update: bytes(2) }]);
      await storage.compact(A, (await storage.load(A)).throughSeq, [bytes(1), bytes(2, 2), bytes(2, 3)]);
      await storage.append([{ room: A, update: bytes(4) }]);
      assert.deepEqual((await storage.load(A)).updates.map((u) => [...u]), [[1], [2, 2], [2, 3], [4]]);
      assert.equal(await storage.roomBytes(A), 6);
      assert.deepEqual((await storage.load(B)).updates.map((u) => [...u]), [[7]]);
    }));

    it('tells the bytes a room holds, as load counts them', withFixture(async ({ storage }) => {
      assert.equal(await storage.roomBytes(A), 0, 'an empty room');
      await storage.append([{ room: A, update: bytes(1, 2, 3) }, { room: B, update: bytes(7) }, { room: A, update: bytes(4) }]);
      assert.equal(await storage.roomBytes(A), 4);
      assert.equal(await storage.roomBytes(A), (await storage.load(A)).bytes);
      await storage.compact(A, (await storage.load(A)).throughSeq, [bytes(1, 2)]);
      assert.equal(await storage.roomBytes(A), 2);
      assert.equal(await storage.roomBytes(B), 1);
    }));

    it('keeps appended and compacted data across a reopen', withFixture(async (f) => {
      if (!f.reopen) return;
      await f.storage.append([{ room: A, update: bytes(1) }, { room: A, update: bytes(2) }]);
      const { throughSeq } = await f.storage.load(A);
      await f.storage.compact(A, throughSeq, [bytes(1, 2)]);
      await f.storage.append([{ room: A, update: bytes(3) }]);
      const reopened = await f.reopen();
      assert.deepEqual((await reopened.load(A)).updates.map((u) => [...u]), [[1, 2], [3]]);
      await reopened.append([{ room: A, update: bytes(4) }]);
      assert.deepEqual((await reopened.load(A)).updates.map((u) => [...u]), [[1, 2], [3], [4]]);
    }));
  });
}
