// One acceptance suite for every RoomStore (memory, file, IndexedDB), as server/storage/
// acceptance.ts is for the relay's adapters. It holds what the core relies on: updates kept
// whole and in order, compaction to an equivalent update, bookkeeping and previews kept as
// copies, everything back after a reopen where the store is durable, and damaged stored data
// reported while the rest stays readable. Free of Node and of vitest, so the same cases also
// run inside a browser page against the real IndexedDB.
import * as Y from 'yjs';
import type { describe as Describe, it as It } from 'vitest';
import { roomName, spaceIdFromPublicKey, type RoomName, type SpaceId } from '#shared/ids.ts';
import type { StoreProblem } from './problems.ts';
import { emptyMeta, type RoomMeta, type RoomStore } from './store.ts';

export interface RoomStoreFixture {
  store: RoomStore;
  /** Closes the store and opens it again on the same data; only for a durable store. */
  reopen?: () => Promise<RoomStore>;
  /** Damages a room's stored updates after those already there, as a crash or a bad disk would. */
  damage?: (room: RoomName) => Promise<void>;
  /** Stores this raw value as a room's bookkeeping, as a damaged or hostile copy would hold it. */
  damageMeta?: (room: RoomName, value: unknown) => Promise<void>;
  /** Makes a room's stored copy unreadable as a whole. */
  unreadable?: (room: RoomName) => Promise<void>;
  teardown: () => Promise<void>;
}

type Hook = 'reopen' | 'damage' | 'damageMeta' | 'unreadable';

export interface RoomStoreCase {
  name: string;
  /** The fixture hook the case needs; a store without it does not run the case. */
  needs?: Hook;
  run: (f: RoomStoreFixture) => Promise<void>;
}

const space = (n: number): SpaceId => spaceIdFromPublicKey(new Uint8Array(32).fill(n));
const A = roomName(space(1), 0);
const A1 = roomName(space(1), 1);
const B = roomName(space(2), 0);

class Mismatch extends Error {}

function ok(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Mismatch(message);
}

const plain = (v: unknown): unknown =>
  v instanceof Uint8Array ? `bytes[${[...v].join(',')}]` : Array.isArray(v) ? v.map(plain) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => [k, plain(x)])) : v;

function same(actual: unknown, expected: unknown, message: string): void {
  const a = JSON.stringify(plain(actual));
  const e = JSON.stringify(plain(expected));
  ok(a === e, `${message}: expected ${e.slice(0, 300)}, got ${a.slice(0, 300)}`);
}

const STORE_KINDS: ReadonlySet<string> = new Set<StoreProblem['kind']>(['store-damaged', 'store-unreadable', 'store-not-set-aside', 'store-unopened']);

/** Damage reported as values the interfaces can word: a store problem of `kind`, and nothing but store problems. */
function reported(problems: StoreProblem[], kind: StoreProblem['kind'], message: string): void {
  const seen = JSON.stringify(problems).slice(0, 300);
  ok(problems.some((p) => p.kind === kind), `${message}: expected a ${kind} problem, got ${seen}`);
  ok(problems.every((p) => typeof p === 'object' && STORE_KINDS.has(p.kind)), `${message}: every problem is a store problem with its kind, got ${seen}`);
}

/** Bytes of every value, each update different in length and content. */
function bytesOf(seed: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (seed * 31 + i * 7) & 0xff;
  return out;
}

/** Real Yjs updates, one per item appended to a list, so compaction can be checked by content. */
function yUpdates(items: string[], doc = new Y.Doc()): Uint8Array[] {
  const updates: Uint8Array[] = [];
  const onUpdate = (u: Uint8Array) => updates.push(u);
  doc.on('update', onUpdate);
  for (const item of items) doc.getArray<string>('log').push([item]);
  doc.off('update', onUpdate);
  return updates;
}

function contents(updates: Uint8Array[]): string[] {
  const doc = new Y.Doc();
  for (const u of updates) Y.applyUpdate(doc, u);
  return doc.getArray<string>('log').toArray();
}

const sampleMeta = (n: number): RoomMeta => ({
  ownClients: [n, n + 1],
  receipts: { [`wss://relay-${n}.example.org`]: 'AQID' },
  relays: [`wss://relay-${n}.example.org`, 'wss://other.example.org'],
  pending: n,
  synced: [`wss://relay-${n}.example.org`],
});

function wellFormedMeta(m: RoomMeta, what: string): void {
  ok(m && typeof m === 'object', `${what}: bookkeeping is an object`);
  ok(Array.isArray(m.ownClients) && m.ownClients.every((c) => Number.isSafeInteger(c)), `${what}: ownClients are integers`);
  ok(m.receipts !== null && typeof m.receipts === 'object' && !Array.isArray(m.receipts), `${what}: receipts is a record`);
  ok(Object.values(m.receipts).every((v) => typeof v === 'string'), `${what}: receipts are strings`);
  ok(Array.isArray(m.relays) && m.relays.every((r) => typeof r === 'string'), `${what}: relays are strings`);
  ok(Array.isArray(m.synced) && m.synced.every((r) => typeof r === 'string'), `${what}: synced are strings`);
  ok(Number.isSafeInteger(m.pending) && m.pending >= 0, `${what}: pending is a count (${String(m.pending)})`);
}

/** The store in use: reopen replaces it. */
async function reopened(f: RoomStoreFixture): Promise<RoomStore> {
  f.store = await f.reopen!();
  return f.store;
}

export const ROOM_STORE_CASES: RoomStoreCase[] = [
  {
    name: 'an unknown room loads empty, with empty bookkeeping and no preview',
    async run({ store }) {
      same(await store.load(A), { updates: [], problems: [] }, 'load');
      same(await store.loadMeta(A), emptyMeta(), 'loadMeta');
      same(await store.rooms(), [], 'rooms');
      if (store.loadPreview) same(await store.loadPreview(space(1)), null, 'loadPreview');
    },
  },
  {
    name: 'appends keep their order, byte for byte, and rooms and epochs stay apart',
    async run({ store }) {
      const want = new Map<RoomName, Uint8Array[]>([[A, []], [A1, []], [B, []]]);
      for (let i = 0; i < 30; i++) {
        const room = [A, A1, B][i % 3]!;
        const update = bytesOf(i, 1 + ((i * 37) % 300));
        want.get(room)!.push(update.slice());
        await store.append(room, update);
      }
      for (const [room, updates] of want) same((await store.load(room)).updates, updates, `updates of ${room}`);
      same((await store.load(A)).problems, [], 'no problems');
    },
  },
  {
    name: 'stores a copy: changing the appended buffer, or a loaded one, changes nothing stored',
    async run({ store }) {
      const backing = bytesOf(9, 16);
      const view = backing.subarray(4, 9); // a view into a larger buffer: only its bytes are kept
      await store.append(A, view);
      const kept = view.slice();
      view.fill(0);
      const first = await store.load(A);
      same(first.updates, [kept], 'the view as appended');
      first.updates[0]!.fill(255);
      same((await store.load(A)).updates, [kept], 'a loaded update is the caller’s own');
    },
  },
  {
    name: 'an empty update never hides the updates after it',
    async run(f) {
      await f.store.append(A, bytesOf(1, 3));
      await f.store.append(A, new Uint8Array(0));
      await f.store.append(A, bytesOf(2, 3));
      const store = f.reopen ? await reopened(f) : f.store;
      const { updates, problems } = await store.load(A);
      same(updates.filter((u) => u.length > 0), [bytesOf(1, 3), bytesOf(2, 3)], 'the updates around it');
      same(problems, [], 'no damage reported');
    },
  },
  {
    name: 'lists every room written to, once each',
    async run({ store }) {
      for (const room of [B, A1, A, B, A]) await store.append(room, bytesOf(1, 3));
      same([...(await store.rooms())].sort(), [A, A1, B].sort(), 'rooms');
    },
  },
  {
    name: 'keeps a large update whole',
    async run({ store }) {
      const big = bytesOf(3, 2 * 1024 * 1024 + 3);
      await store.append(A, big);
      await store.append(A, bytesOf(4, 1));
      const { updates, problems } = await store.load(A);
      ok(updates.length === 2 && updates[0]!.length === big.length, `two updates, the first ${big.length} bytes`);
      ok(updates[0]!.every((b, i) => b === big[i]), 'the large update’s bytes');
      same(problems, [], 'no problems');
    },
  },
  {
    name: 'concurrent appends all land, each whole',
    async run({ store }) {
      const writes = Array.from({ length: 40 }, (_, i) => ({ room: [A, B][i % 2]!, update: bytesOf(100 + i, 10 + i * 13) }));
      await Promise.all(writes.map((w) => store.append(w.room, w.update)));
      for (const room of [A, B]) {
        const key = (u: Uint8Array) => [...u].join(',');
        const want = writes.filter((w) => w.room === room).map((w) => key(w.update)).sort();
        same((await store.load(room)).updates.map(key).sort(), want, `the writes to ${room}`);
      }
    },
  },
  {
    name: 'a load while appends are under way sees whole updates and no damage',
    async run({ store }) {
      const writes = Array.from({ length: 20 }, (_, i) => bytesOf(200 + i, 50_000 + i));
      const key = (u: Uint8Array) => `${u.length}:${u[0]}:${u[u.length - 1]}`;
      const wanted = new Set(writes.map(key));
      const loads: ReturnType<RoomStore['load']>[] = [];
      await Promise.all(writes.map((u, i) => {
        const write = store.append(A, u);
        if (i % 5 === 4) loads.push(store.load(A));
        return write;
      }));
      for (const seen of await Promise.all(loads)) {
        same(seen.problems, [], 'no damage while writing');
        ok(seen.updates.every((u) => wanted.has(key(u))), 'every update seen is one written, whole');
      }
      same((await store.load(A)).updates.length, writes.length, 'all of them in the end');
    },
  },
  {
    name: 'replace compacts a room to an equivalent update, and later appends follow it',
    async run({ store }) {
      const doc = new Y.Doc();
      const updates = yUpdates(['a', 'b', 'c', 'd'], doc);
      for (const u of updates) await store.append(A, u);
      await store.append(B, bytesOf(7, 5));
      await store.replace(A, Y.encodeStateAsUpdate(doc));
      const compacted = await store.load(A);
      ok(compacted.updates.length <= 1 || compacted.updates.length < updates.length, `compacted (${compacted.updates.length} records)`);
      same(contents(compacted.updates), ['a', 'b', 'c', 'd'], 'content after replace');
      for (const u of yUpdates(['e'], doc)) await store.append(A, u);
      same(contents((await store.load(A)).updates), ['a', 'b', 'c', 'd', 'e'], 'content after a later append');
      same((await store.load(B)).updates, [bytesOf(7, 5)], 'another room untouched');
    },
  },
  {
    name: 'replace that keeps the original still loads the replacement’s content',
    async run({ store }) {
      const doc = new Y.Doc();
      for (const u of yUpdates(['x', 'y'], doc)) await store.append(A, u);
      await store.replace(A, Y.encodeStateAsUpdate(doc), true);
      same(contents((await store.load(A)).updates), ['x', 'y'], 'content');
      same([...(await store.rooms())], [A], 'rooms');
    },
  },
  {
    name: 'bookkeeping round-trips per room, as a copy',
    async run({ store }) {
      const meta = sampleMeta(3);
      await store.saveMeta(A, meta);
      meta.ownClients.push(99);
      meta.receipts['wss://x.example.org'] = 'AA';
      same(await store.loadMeta(A), sampleMeta(3), 'what was saved, not the changed object');
      const loaded = await store.loadMeta(A);
      loaded.relays.length = 0;
      same(await store.loadMeta(A), sampleMeta(3), 'a loaded copy is the caller’s own');
      same(await store.loadMeta(B), emptyMeta(), 'another room');
      await store.saveMeta(A, sampleMeta(4));
      same(await store.loadMeta(A), sampleMeta(4), 'the newest save');
    },
  },
  {
    name: 'concurrent bookkeeping saves leave one whole version',
    async run({ store }) {
      const versions = Array.from({ length: 12 }, (_, i) => sampleMeta(i + 1));
      await Promise.all(versions.map((m) => store.saveMeta(A, m)));
      const got = JSON.stringify(plain(await store.loadMeta(A)));
      ok(versions.some((m) => JSON.stringify(plain(m)) === got), `one of the saved versions, got ${got}`);
    },
  },
  {
    name: 'a preview round-trips per space, as a copy, the newest kept',
    async run({ store }) {
      ok(store.loadPreview && store.savePreview, 'the store keeps previews');
      const record = bytesOf(5, 64);
      await store.savePreview!(space(1), record);
      record.fill(0);
      same(await store.loadPreview!(space(1)), bytesOf(5, 64), 'the saved record');
      same(await store.loadPreview!(space(2)), null, 'another space');
      await store.savePreview!(space(1), bytesOf(6, 10));
      same(await store.loadPreview!(space(1)), bytesOf(6, 10), 'the newest record');
      same(await store.rooms(), [], 'a preview is not a room');
    },
  },
  {
    name: 'close lets writes under way finish, and may be called twice',
    async run(f) {
      const writes = [f.store.append(A, bytesOf(1, 4)), f.store.saveMeta(A, sampleMeta(1)), f.store.append(B, bytesOf(2, 4))];
      await f.store.close();
      await Promise.all(writes);
      await f.store.close();
      if (!f.reopen) return;
      const store = await reopened(f);
      same((await store.load(A)).updates, [bytesOf(1, 4)], 'the append under way at close');
      same(await store.loadMeta(A), sampleMeta(1), 'the bookkeeping under way at close');
    },
  },
  {
    name: 'everything survives a reopen: updates in order, compaction, bookkeeping, preview, rooms',
    needs: 'reopen',
    async run(f) {
      const doc = new Y.Doc();
      for (const u of yUpdates(['one', 'two', 'three'], doc)) await f.store.append(A, u);
      await f.store.replace(A, Y.encodeStateAsUpdate(doc));
      for (const u of yUpdates(['four'], doc)) await f.store.append(A, u);
      const raw = Array.from({ length: 25 }, (_, i) => bytesOf(i, 1 + i * 11));
      for (const u of raw) await f.store.append(B, u);
      await f.store.saveMeta(A, sampleMeta(2));
      await f.store.savePreview?.(space(1), bytesOf(8, 40));
      const store = await reopened(f);
      same(contents((await store.load(A)).updates), ['one', 'two', 'three', 'four'], 'compacted and appended content');
      same(await store.load(B), { updates: raw, problems: [] }, 'appended updates in order');
      same(await store.loadMeta(A), sampleMeta(2), 'bookkeeping');
      if (store.loadPreview) same(await store.loadPreview(space(1)), bytesOf(8, 40), 'preview');
      same([...(await store.rooms())].sort(), [A, B].sort(), 'rooms');
      await store.append(B, bytesOf(99, 3));
      same((await store.load(B)).updates, [...raw, bytesOf(99, 3)], 'an append after the reopen comes last');
    },
  },
  {
    name: 'damaged stored updates are reported, the intact ones kept in order',
    needs: 'damage',
    async run(f) {
      const intact = [bytesOf(1, 9), bytesOf(2, 17)];
      for (const u of intact) await f.store.append(A, u);
      await f.damage!(A);
      const stored = await f.store.load(A);
      same(stored.updates.slice(0, 2), intact, 'the intact updates');
      reported(stored.problems, 'store-damaged', 'the damage is reported');
    },
  },
  {
    name: 'an update appended after damage is never lost behind it',
    needs: 'damage',
    async run(f) {
      await f.store.append(A, bytesOf(1, 9));
      await f.damage!(A);
      reported((await f.store.load(A)).problems, 'store-damaged', 'the damage is reported');
      await f.store.append(A, bytesOf(2, 5));
      const store = f.reopen ? await reopened(f) : f.store;
      const { updates } = await store.load(A);
      const keys = updates.map((u) => [...u].join(','));
      ok(keys.includes([...bytesOf(1, 9)].join(',')), 'the update before the damage');
      ok(keys.includes([...bytesOf(2, 5)].join(',')), 'the update after the damage');
    },
  },
  {
    name: 'appends racing the load of a damaged room are not lost',
    needs: 'damage',
    async run(f) {
      await f.store.append(A, bytesOf(1, 9));
      await f.damage!(A);
      const racing = Array.from({ length: 5 }, (_, i) => bytesOf(10 + i, 7));
      await Promise.all([f.store.load(A), ...racing.map((u) => f.store.append(A, u))]);
      const store = f.reopen ? await reopened(f) : f.store;
      const keys = (await store.load(A)).updates.map((u) => [...u].join(','));
      for (const u of [bytesOf(1, 9), ...racing]) ok(keys.includes([...u].join(',')), `update ${[...u].slice(0, 3).join(',')}… kept`);
    },
  },
  {
    name: 'compaction after damage leaves a clean room with every update',
    needs: 'damage',
    async run(f) {
      const doc = new Y.Doc();
      for (const u of yUpdates(['kept', 'also kept'], doc)) await f.store.append(A, u);
      await f.damage!(A);
      reported((await f.store.load(A)).problems, 'store-damaged', 'the damage is reported');
      await f.store.replace(A, Y.encodeStateAsUpdate(doc));
      for (const u of yUpdates(['after'], doc)) await f.store.append(A, u);
      const store = f.reopen ? await reopened(f) : f.store;
      const after = await store.load(A);
      same(after.problems, [], 'no problems once compacted');
      same(contents(after.updates), ['kept', 'also kept', 'after'], 'content');
    },
  },
  {
    name: 'damaged or hostile bookkeeping loads as well-formed bookkeeping',
    needs: 'damageMeta',
    async run(f) {
      const hostile: unknown[] = [
        null,
        'text',
        [1, 2, 3],
        42,
        { ownClients: 'x', receipts: 5, relays: null, pending: 'many', synced: {} },
        { ownClients: [1.5, 2, 'x', 2 ** 60], receipts: { r: 7, s: 'AQID', t: null }, relays: [1, 'wss://r.example.org'], pending: -3, synced: ['wss://r.example.org', {}] },
        { receipts: [], pending: Number.MAX_VALUE },
      ];
      for (const [i, value] of hostile.entries()) {
        await f.damageMeta!(A, value);
        const meta = await f.store.loadMeta(A);
        wellFormedMeta(meta, `hostile bookkeeping #${i}`);
      }
      await f.damageMeta!(A, { ownClients: [5, 'x'], receipts: { 'wss://r.example.org': 'AQID', bad: 3 }, relays: ['wss://r.example.org', 7], pending: 2, synced: [] });
      same(await f.store.loadMeta(A), { ownClients: [5], receipts: { 'wss://r.example.org': 'AQID' }, relays: ['wss://r.example.org'], pending: 2, synced: [] }, 'the well-formed parts are kept');
    },
  },
  {
    name: 'a room whose copy cannot be read reports it, never loading as silently empty',
    needs: 'unreadable',
    async run(f) {
      await f.store.append(A, bytesOf(1, 4));
      await f.unreadable!(A);
      const stored = await f.store.load(A);
      reported(stored.problems, 'store-unreadable', `a problem is reported (got ${stored.updates.length} updates)`);
      same((await f.store.load(B)).problems, [], 'other rooms read');
    },
  },
];

async function runCase(c: RoomStoreCase, setup: () => Promise<RoomStoreFixture>): Promise<'passed' | 'skipped'> {
  const f = await setup();
  try {
    if (c.needs && !f[c.needs]) return 'skipped';
    await c.run(f);
    return 'passed';
  } finally {
    await f.teardown();
  }
}

/** Registers every case as a vitest test (a case whose hook the store lacks is skipped). */
export function runRoomStoreTests(name: string, setup: () => Promise<RoomStoreFixture>, t: { describe: typeof Describe; it: typeof It }): void {
  t.describe(`room store: ${name}`, () => {
    for (const c of ROOM_STORE_CASES) {
      t.it(c.name, async (ctx) => {
        if ((await runCase(c, setup)) === 'skipped') ctx.skip(`${name} has no ${c.needs} hook`);
      });
    }
  });
}

export interface RoomStoreResult {
  name: string;
  outcome: 'passed' | 'skipped' | 'failed';
  error?: string;
}

/** Runs every case in turn without a test runner (inside a browser page) and says how each went. */
export async function runRoomStoreCases(setup: () => Promise<RoomStoreFixture>): Promise<RoomStoreResult[]> {
  const results: RoomStoreResult[] = [];
  for (const c of ROOM_STORE_CASES) {
    try {
      results.push({ name: c.name, outcome: await runCase(c, setup) });
    } catch (err) {
      results.push({ name: c.name, outcome: 'failed', error: err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err) });
    }
  }
  return results;
}
