// The HTTP API through Hono's app.request(): no socket, a real registry over a real SQLite file.
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { afterEach, beforeEach, describe, it } from 'vitest';
import { BlobKind, NEWER_EPOCH_HEADER, PROTOCOL_VERSION, encodeBundle, envelopeLog, fromBase64url, initSodium, sealUpdateBlob, toBase64url, type RoomName, type Sealer } from '#shared';
import { nameOf, openRegistry, updateOf, writer, type RegistryParts } from '#test/support/relay-parts.ts';
import { plainUpdate, testIdentity, testRoom, testUpdate, type TestRoom } from '#test/support/rooms.ts';
import type { RelayOptions } from '../config.ts';
import { Counters } from '../metrics/counters.ts';
import type { MirrorStatus } from '../peering/peering.ts';
import { apiRoutes, type PeeringView } from './api.ts';

await initSodium();
const author = testIdentity(7);
const thread = testRoom(1);
const room = nameOf(thread);

let parts: RegistryParts;
let counters: Counters;
let api: ReturnType<typeof apiRoutes>;

async function setUp(options: RelayOptions = {}, peering?: () => PeeringView | null): Promise<void> {
  await parts?.close();
  parts = await openRegistry(options);
  counters = new Counters();
  api = apiRoutes(parts.config, parts.registry, counters, peering);
}

beforeEach(() => setUp());
afterEach(() => parts.close());

const post = (name: string, body: Uint8Array) => api.request(`/rooms/${name}`, { method: 'POST', body: body as Uint8Array<ArrayBuffer> });
const blobsIn = (update: Uint8Array): Uint8Array[] => {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  return envelopeLog(doc).toArray();
};
const snapshot = (r: TestRoom): Sealer => (pos) => sealUpdateBlob(r.key, BlobKind.snapshot, author, plainUpdate('s', 'snapshot'), pos);

describe('GET /info and /metrics', () => {
  it('publish the protocol, the limits clients need, and counters naming no client', async () => {
    const info = await (await api.request('/info')).json();
    assert.equal(info.protocol, PROTOCOL_VERSION);
    assert.equal(info.limits.maxUpdateBytes, parts.config.limits.maxUpdateBytes);
    assert.equal(info.limits.maxConnections, undefined, 'only the limits a client needs');
    counters.add('sync.closed.4400');
    const metrics = await api.request('/metrics');
    assert.equal(metrics.headers.get('Cache-Control'), 'no-store');
    const body = await metrics.json();
    assert.deepEqual(body.counters, { 'sync.closed.4400': 1 });
    assert.deepEqual(Object.keys(body).sort(), ['counters', 'memory', 'verify']);
    assert.equal(body.memory.limitBytes, parts.config.limits.memoryBytes);
    assert.ok(Number.isSafeInteger(body.memory.usedBytes) && body.memory.usedBytes >= 0);
    assert.ok(['libsodium', 'openssl'].includes(body.verify.library));
    assert.equal(body.verify.threads, parts.registry.verifier.threads);
  });
});

describe('rooms over HTTP', () => {
  it('a write is stored and receipted; a read returns it, and with the receipt\'s sv nothing more', async () => {
    const res = await post(room, updateOf([testUpdate(thread, author, 'a', '1'), testUpdate(thread, author, 'b', '2')]));
    assert.equal(res.status, 200);
    const receipt = await res.json();
    assert.equal(receipt.room, room);
    assert.equal(receipt.added, 2);
    assert.equal((await parts.storage.load(room)).updates.length, 1, 'durable before the receipt');
    const read = await api.request(`/rooms/${room}`);
    assert.equal(read.headers.get('Content-Type'), 'application/octet-stream');
    assert.equal(blobsIn(new Uint8Array(await read.arrayBuffer())).length, 2);
    const since = await api.request(`/rooms/${room}?sv=${receipt.sv}`);
    assert.equal(blobsIn(new Uint8Array(await since.arrayBuffer())).length, 0);
    const sv = fromBase64url(receipt.sv);
    assert.ok(sv && Y.decodeStateVector(sv).get(1) === 2);
  });

  it('a forged blob is refused with bad-update and nothing is stored', async () => {
    const forged: Sealer = (pos) => {
      const blob = testUpdate(thread, author)(pos).slice();
      blob[blob.length - 1]! ^= 1;
      return blob;
    };
    const res = await post(room, updateOf([forged]));
    assert.equal(res.status, 400);
    assert.equal((await res.json()).error, 'bad-update');
    assert.deepEqual(await parts.storage.listRooms(), []);
  });

  it('an update that does not follow what the room holds answers gap with the room\'s sv', async () => {
    const write = writer();
    write([testUpdate(thread, author, 'a', '1')]); // never sent
    const second = write([testUpdate(thread, author, 'b', '2')]);
    const res = await post(room, second);
    assert.equal(res.status, 409);
    const body = await res.json();
    assert.equal(body.error, 'gap');
    assert.equal(body.sv, toBase64url(new Uint8Array([0])));
  });

  it('bad names, bad state vectors and bodies over the limit are refused, each with its code', async () => {
    assert.equal((await (await post('not-a-room', new Uint8Array([0, 0]))).json()).error, 'bad-room');
    const badRead = await api.request('/rooms/x.0');
    assert.equal(badRead.status, 404);
    assert.equal((await api.request(`/rooms/${room}?sv=%%%`)).status, 400);
    assert.equal((await (await api.request(`/rooms/${room}?sv=${toBase64url(new Uint8Array([5, 1]))}`)).json()).error, 'bad-request');
    await setUp({ limits: { maxUpdateBytes: 1024 } });
    const big = await post(room, new Uint8Array(2048));
    assert.equal(big.status, 413);
    assert.equal(big.headers.get('Connection'), 'close');
  });

  it('writes that add nothing are limited apart, with Retry-After, and counted', async () => {
    await setUp({ limits: { httpNoopWritesPerSecond: 1, httpNoopWriteBurst: 2 } });
    const empty = updateOf([]);
    const answers: number[] = [];
    for (let i = 0; i < 4; i++) answers.push((await post(room, empty)).status);
    assert.deepEqual(answers, [200, 200, 429, 429]);
    assert.equal(counters.get('http.rate-limited.write'), 2);
    // The write bucket is untouched: a write that adds a blob still passes.
    assert.equal((await post(room, updateOf([testUpdate(thread, author)]))).status, 200);
    const limited = await post(room, empty);
    assert.equal(limited.headers.get('Retry-After'), '2');
  });

  it('a read of an older epoch names the newer epoch that holds a snapshot', async () => {
    const next = testRoom(1, 1);
    assert.equal((await post(nameOf(next), updateOf([snapshot(next)]))).status, 200);
    assert.equal((await post(room, updateOf([testUpdate(thread, author)]))).status, 200);
    assert.equal((await api.request(`/rooms/${room}`)).headers.get(NEWER_EPOCH_HEADER), '1');
    assert.equal((await api.request(`/rooms/${nameOf(next)}`)).headers.get(NEWER_EPOCH_HEADER), null);
    const epochs = await (await api.request(`/spaces/${thread.cap.spaceId}`)).json();
    assert.deepEqual(epochs, { spaceId: thread.cap.spaceId, epochs: [0, 1] });
    assert.equal((await api.request('/spaces/short')).status, 400);
  });
});

describe('the room list and mirror status', () => {
  it('list rooms, with marks that move when a room gains an update', async () => {
    const write = writer();
    await post(room, write([testUpdate(thread, author, 'a', '1')]));
    assert.deepEqual(await (await api.request('/rooms')).json(), { rooms: [room] });
    const first = await (await api.request('/rooms?marks=1')).json();
    assert.deepEqual(first.rooms, [room]);
    assert.equal((await (await post(room, write([testUpdate(thread, author, 'b', '2')]))).json()).added, 1);
    const second = await (await api.request('/rooms?marks=1')).json();
    assert.notEqual(second.marks[room], first.marks[room]);
  });

  it('answer disabled when the relay keeps its room list to itself', async () => {
    await setUp({ roomList: false });
    for (const path of ['/rooms', '/rooms?marks=1', '/mirror/status']) {
      const res = await api.request(path);
      assert.equal(res.status, 404, path);
      assert.equal((await res.json()).error, 'disabled', path);
    }
  });

  it('mirror status is computed once for everyone asking within a few seconds', async () => {
    let computed = 0;
    const status: MirrorStatus = { peers: [{ url: 'http://127.0.0.1:9', connected: false, roomList: null, lastSync: null, lastError: 'refused', liveLinks: 0 }], mirrors: [] };
    await setUp({}, () => ({ status: async () => (computed++, status) }));
    for (let i = 0; i < 5; i++) assert.deepEqual(await (await api.request('/mirror/status')).json(), status);
    assert.equal(computed, 1);
    assert.equal(counters.get('mirror-status.computed'), 1);
    await setUp();
    assert.deepEqual(await (await api.request('/mirror/status')).json(), { peers: [], mirrors: [] }, 'no peering yet');
  });
});

describe('bundles', () => {
  it('a body that is no bundle is refused and imports nothing', async () => {
    const res = await api.request('/bundles', { method: 'POST', body: new TextEncoder().encode('not a bundle') });
    assert.equal(res.status, 400);
    assert.equal((await res.json()).error, 'bad-request');
    assert.deepEqual(await parts.storage.listRooms(), []);
  });

  it('a bundle over a room the relay partly holds adds the rest, read again from its pieces when applied', async () => {
    // 3 blobs held, then 300 more: about 50 KiB, so the room is verified and applied in pieces.
    const write = writer(5);
    const held = write(Array.from({ length: 3 }, (_, i) => testUpdate(thread, author, `k${i}`, 'v')));
    assert.equal((await post(room, held)).status, 200);
    const rest = write(Array.from({ length: 300 }, (_, i) => testUpdate(thread, author, `n${i}`, 'x'.repeat(40))));
    const whole = Y.mergeUpdates([held, rest]);
    assert.ok(whole.length > 4 * 8192, `${whole.length} bytes: several pieces`);
    const bundle = encodeBundle(new Map([[room as RoomName, whole]]));
    const res = await api.request('/bundles', { method: 'POST', body: new TextEncoder().encode(bundle) });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { rooms: { [room]: 300 }, added: 300 });
    assert.equal(blobsIn(new Uint8Array(await (await api.request(`/rooms/${room}`)).arrayBuffer())).length, 303);
  });
});
