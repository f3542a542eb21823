// Compaction (docs/PROTOCOL.md §3, epochs): a large thread moves to epoch 1 with a snapshot; a fresh device
// lands there and reads everything; an offline writer's posts follow; two writers compacting at
// once converge; peers and mirrors carry the new epoch room.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { BlobKind, formatCapability, generateIdentity, initSodium, roomName, type SpaceId } from '#shared';
import { BatonClient, type ClientOptions } from '#client-core/client.ts';
import { MemoryStore } from '#client-core/store.ts';
import { createBoard, createThread, openThread, post, posts } from '#client-core/boards.ts';
import type { Space } from '#client-core/space.ts';
import { startRelay, type Relay } from '#server/index.ts';
import { NodeWS, until } from './client-fixtures.ts';
import { blobsAt } from './peer-fixtures.ts';
import { holdsWithin } from '../support/wait.ts';

await initSodium();

const THRESHOLD = 12;
/** How long a relay has to catch up with another, polled gently (each check is an HTTP read). */
const CATCH_UP = { timeoutMs: 8000, intervalMs: 50 };

function client(name: string, o: Partial<ClientOptions> = {}): BatonClient {
  return new BatonClient({
    store: new MemoryStore(),
    identity: generateIdentity(),
    name,
    connection: { WebSocket: NodeWS, maxBackoffMs: 200 },
    compactAfterBlobs: THRESHOLD,
    compactJitterMs: 0,
    batchMs: 10,
    ...o,
  });
}

async function epochsAt(relay: Relay, spaceId: string): Promise<number[]> {
  const res = await fetch(`${relay.url}/v1/spaces/${spaceId}`);
  return ((await res.json()) as { epochs: number[] }).epochs;
}

function bodies(thread: Space): string[] {
  return posts(thread)
    .map((p) => p.body)
    .sort();
}

test('a large thread compacts; a fresh reader lands on the new epoch; an offline writer catches up', async () => {
  const relay = await startRelay({ host: '127.0.0.1', port: 0, log: () => {} });
  const writer = client('w');
  const offlineStore = new MemoryStore();
  const clients: BatonClient[] = [writer];
  try {
    const { board } = await createBoard(writer, { title: 'B', relays: [relay.url] });
    const { thread, caps } = await createThread(writer, board, { title: 'T', body: 'p0' });
    // A second writer syncs epoch 0, then writes while offline.
    const second = client('second', { store: offlineStore });
    const early = await second.open(caps.write);
    assert.ok(await until(() => posts(early).length === 1));
    await second.close();
    const offline = client('second', { store: offlineStore, online: false });
    const away = await offline.open(caps.write);
    post(offline, away, { body: 'offline-1' });
    post(offline, away, { body: 'offline-2' });
    await offline.close();

    for (let i = 1; i <= THRESHOLD + 2; i++) post(writer, thread, { body: `p${i}` });
    assert.ok(await until(() => thread.epoch === 1), 'the writer started epoch 1');
    assert.ok(await until(() => thread.outbox().length === 0), 'the snapshot reached the relay');
    assert.deepEqual(await epochsAt(relay, thread.spaceId), [0, 1]);
    const snapshot = await blobsAt(relay, roomName(thread.spaceId, 1));
    assert.ok(snapshot.some((b) => b[1] === BlobKind.snapshot), 'epoch 1 holds a snapshot blob');
    post(writer, thread, { body: 'after' });
    const expected = [...Array.from({ length: THRESHOLD + 3 }, (_, i) => `p${i}`), 'after'].sort();
    assert.ok(await until(() => bodies(thread).length === expected.length));

    // A fresh device with the read capability: epoch 1 only, every post verified.
    const readerStore = new MemoryStore();
    const reader = client('r', { store: readerStore });
    clients.push(reader);
    const fresh = await reader.open(caps.read);
    assert.ok(await until(() => fresh.epoch === 1 && bodies(fresh).length === expected.length), `reader has ${bodies(fresh).length}`);
    assert.deepEqual(bodies(fresh), expected);
    assert.ok(posts(fresh).every((p) => p.verified));
    assert.deepEqual(await readerStore.rooms(), [roomName(thread.spaceId, 1)], 'epoch 0 was never fetched');

    // The offline writer comes back: its posts reach epoch 1, where the fresh reader sees them.
    const back = client('second', { store: offlineStore });
    clients.push(back);
    const returning = await back.open(caps.write);
    assert.ok(await until(() => returning.epoch === 1), 'the returning writer follows to epoch 1 (and starts no epoch 2)');
    assert.ok(await until(() => bodies(fresh).includes('offline-1') && bodies(fresh).includes('offline-2')), 'its offline posts were re-published');
    assert.ok(await until(() => bodies(returning).length === expected.length + 2));
    assert.ok(await until(() => returning.outbox().length === 0));
    assert.deepEqual(await epochsAt(relay, thread.spaceId), [0, 1]);
    const stored = await offlineStore.loadMeta(roomName(thread.spaceId, 0));
    assert.equal(stored.pending, 0, 'the old epoch has nothing queued any more');
  } finally {
    for (const c of clients) await c.close();
    await relay.close();
  }
});

test('two writers compacting at once converge; peers and mirrors carry the new epoch', async () => {
  const a = await startRelay({ host: '127.0.0.1', port: 0, log: () => {} });
  const peer = await startRelay({ host: '127.0.0.1', port: 0, peers: [a.url], peerSyncMs: 200, log: () => {} });
  const clients: BatonClient[] = [];
  let mirror: Relay | null = null;
  let hidden: Relay | null = null;
  let blind: Relay | null = null;
  try {
    const one = client('one', { compactAfterBlobs: 10_000 });
    const two = client('two', { compactAfterBlobs: 10_000 });
    clients.push(one, two);
    const { board, caps: boardCaps } = await createBoard(one, { title: 'B', relays: [a.url] });
    const { thread: t1, id, caps } = await createThread(one, board, { title: 'T', body: 'first' });
    const t2 = await two.open(caps.write);
    for (let i = 0; i < 5; i++) post(one, t1, { body: `one-${i}` });
    for (let i = 0; i < 5; i++) post(two, t2, { body: `two-${i}` });
    assert.ok(await until(() => bodies(t1).length === 11 && bodies(t2).length === 11));
    const [e1, e2] = await Promise.all([t1.compact(), t2.compact()]);
    assert.deepEqual([e1, e2], [1, 1]);
    post(one, t1, { body: 'one-after' });
    post(two, t2, { body: 'two-after' });
    assert.ok(await until(() => bodies(t1).length === 13 && bodies(t2).length === 13), `${bodies(t1).length} ${bodies(t2).length}`);
    assert.deepEqual(bodies(t1), bodies(t2));

    // The board compacts too: its new epoch names the thread again for blind mirrors.
    assert.equal(await board.compact(), 1);
    assert.ok(await until(() => board.outbox().length === 0 && t1.outbox().length === 0 && t2.outbox().length === 0));
    const room1 = roomName(id as SpaceId, 1);
    assert.ok(await holdsWithin(async () => (await blobsAt(peer, room1)).length >= (await blobsAt(a, room1)).length, CATCH_UP), 'the peer holds the thread epoch 1 room');
    assert.ok(await holdsWithin(async () => (await epochsAt(peer, board.spaceId)).includes(1), CATCH_UP), 'and the board epoch 1 room');

    mirror = await startRelay({ host: '127.0.0.1', port: 0, mirrors: [{ capability: boardCaps.mirror, relay: a.url }], peerSyncMs: 200, log: () => {} });
    const boardRoom1 = roomName(board.spaceId, 1);
    const m = mirror;
    assert.ok(await holdsWithin(async () => (await blobsAt(m, boardRoom1)).some((b) => b[1] === BlobKind.link), CATCH_UP), 'the mirror carries the board epoch 1 with its link');
    assert.ok(await holdsWithin(async () => (await blobsAt(m, room1)).length >= (await blobsAt(a, room1)).length, CATCH_UP), 'and the thread epoch 1');

    // A mirror of a relay that publishes no room list learns the new epochs from /v1/spaces.
    hidden = await startRelay({ host: '127.0.0.1', port: 0, peers: [a.url], peerSyncMs: 200, roomList: false, log: () => {} });
    const h = hidden;
    assert.ok(await holdsWithin(async () => (await blobsAt(h, room1)).length >= (await blobsAt(a, room1)).length, CATCH_UP), 'the unlisted relay holds the thread epoch 1');
    blind = await startRelay({ host: '127.0.0.1', port: 0, mirrors: [{ capability: boardCaps.mirror, relay: hidden.url }], peerSyncMs: 200, log: () => {} });
    const b = blind;
    assert.ok(await holdsWithin(async () => (await blobsAt(b, boardRoom1)).some((x) => x[1] === BlobKind.link), CATCH_UP), 'a mirror without a room list carries the board epoch 1');
    assert.ok(await holdsWithin(async () => (await blobsAt(b, room1)).length >= (await blobsAt(a, room1)).length, CATCH_UP), 'and the thread epoch 1');

    // A reader through the mirror alone lands on epoch 1 of both and reads everything.
    const reader = client('r');
    clients.push(reader);
    const onlyMirror = formatCapability({ ...board.cap, relays: [mirror.url] }, 'read');
    const rb = await reader.open(onlyMirror);
    assert.ok(await until(() => rb.epoch === 1 && rb.children.has(id)));
    const rt = await openThread(reader, rb, id);
    assert.ok(await until(() => rt.epoch === 1 && bodies(rt).length === 13), `${rt.epoch} ${bodies(rt).length}`);
  } finally {
    for (const c of clients) await c.close();
    await mirror?.close();
    await blind?.close();
    await hidden?.close();
    await peer.close();
    await a.close();
  }
});

test('a relay that names epochs it has no snapshot for cannot strand a reader', async () => {
  const relay = await startRelay({ host: '127.0.0.1', port: 0, log: () => {} });
  const writer = client('w');
  // Every answer about epochs claims two more that hold nothing.
  const lying: typeof fetch = async (input, init) => {
    const res = await fetch(input, init);
    if (!String(input).includes('/v1/spaces/')) return res;
    const body = (await res.json()) as { spaceId: string; epochs: number[] };
    return new Response(JSON.stringify({ ...body, epochs: [...body.epochs, 5, 9] }), { status: 200, headers: { 'content-type': 'application/json' } });
  };
  const reader = client('r', { connection: { WebSocket: NodeWS, maxBackoffMs: 200, fetch: lying } });
  try {
    const { board } = await createBoard(writer, { title: 'B', relays: [relay.url] });
    const { thread, caps } = await createThread(writer, board, { title: 'T', body: 'one' });
    post(writer, thread, { body: 'two' });
    assert.ok(await until(() => thread.outbox().length === 0));
    const fresh = await reader.open(caps.read);
    assert.ok(await until(() => bodies(fresh).length === 2 && fresh.statuses()[0]?.state === 'synced'), `${bodies(fresh).length} ${fresh.statuses()[0]?.state}`);
    assert.equal(fresh.epoch, 0);
    assert.deepEqual(bodies(fresh), ['one', 'two']);
  } finally {
    await reader.close();
    await writer.close();
    await relay.close();
  }
});
