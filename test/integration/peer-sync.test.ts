// Two relays peered (A --peer B only): every room either holds reaches the other, live
// where clients use a room, by room list and by link blobs otherwise.
import assert from 'node:assert/strict';
import { afterAll, describe, it } from 'vitest';
import * as Y from 'yjs';
import { appendSealed, createEnvelopeDoc } from '#shared';
import { startRelay, type Relay, type RelayOptions } from '#server/index.ts';
import { blobsOf, connectProvider, makeSpace, stopProvider } from './relay-fixtures.ts';
import { freePort } from '../support/ports.ts';
import { blobsAt, boardSpace, countAt, makeBoard, makeThread, sealText, waitForCount, writeBlobs } from './peer-fixtures.ts';
import { waitUntil } from '../support/wait.ts';

const relays: Relay[] = [];

afterAll(async () => {
  await Promise.all(relays.map((r) => r.close()));
});

async function relay(options: RelayOptions = {}): Promise<Relay> {
  const started = await startRelay({ port: 0, host: '127.0.0.1', log: () => {}, peerSyncMs: 150, ...options });
  relays.push(started);
  return started;
}

describe('peered relays', () => {
  it('a blob written on either side reaches clients of the other, live', async () => {
    const b = await relay();
    const a = await relay({ peers: [b.url] });
    const space = await makeSpace();
    const docA = createEnvelopeDoc();
    const docB = createEnvelopeDoc();
    const onA = await connectProvider(a.url, space.room, docA);
    const onB = await connectProvider(b.url, space.room, docB);
    try {
      let start = Date.now();
      appendSealed(docA, [sealText(space, 'from a')]);
      await waitUntil(() => blobsOf(docB).length === 1, { timeoutMs: 5000, what: 'blob A -> B' });
      const aToB = Date.now() - start;
      start = Date.now();
      appendSealed(docB, [sealText(space, 'from b')]);
      await waitUntil(() => blobsOf(docA).length === 2, { timeoutMs: 5000, what: 'blob B -> A' });
      const bToA = Date.now() - start;
      assert.ok(aToB < 2000 && bToA < 2000, `live, not polled: ${aToB} ms and ${bToA} ms`);
      console.log(`# live: A -> B ${aToB} ms, B -> A ${bToA} ms`);
      // A room created on A by a client reaches B too, and a write on B flows back.
      assert.equal(await countAt(b, space.room), 2);
      assert.equal(await countAt(a, space.room), 2);
    } finally {
      stopProvider(onA);
      stopProvider(onB);
    }
  });

  it('a room B held before A started is pulled from B\'s room list; a room written on A over HTTP is pushed', async () => {
    const b = await relay();
    const old = await makeSpace();
    await writeBlobs(b, old.room, [sealText(old, 'one'), sealText(old, 'two')]);
    const a = await relay({ peers: [b.url] });
    await waitForCount(a, old.room, 2);
    const fresh = await makeSpace();
    const start = Date.now();
    await writeBlobs(a, fresh.room, [sealText(fresh, 'pushed')]);
    await waitForCount(b, fresh.room, 1);
    console.log(`# new room over HTTP on A reached B in ${Date.now() - start} ms`);
    // A write on B into a room no client of A uses comes over by the next poll.
    await writeBlobs(b, fresh.room, [sealText(fresh, 'polled')]);
    await waitForCount(a, fresh.room, 2);
  });

  it('with B\'s room list off, threads still travel through their board\'s link blob', async () => {
    const b = await relay({ roomList: false });
    const a = await relay({ peers: [b.url] });
    const board = makeBoard();
    const onlyOnB = makeThread(board);
    const onlyOnA = makeThread(board);
    // The thread on B is written there first; A cannot list B's rooms.
    await writeBlobs(b, onlyOnB.thread.room, [sealText(onlyOnB.thread, 'thread on b')]);
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(await countAt(a, onlyOnB.thread.room), 0, 'not learned without a link');
    await writeBlobs(a, onlyOnA.thread.room, [sealText(onlyOnA.thread, 'thread on a')]);
    await writeBlobs(a, board.room, [sealText(boardSpace(board), 'board'), onlyOnB.link, onlyOnA.link]);
    await waitForCount(a, onlyOnB.thread.room, 1);
    await waitForCount(b, onlyOnA.thread.room, 1);
    await waitForCount(b, board.room, 3);
  });

  it('a peer that was down catches up over HTTP with no blob lost', async () => {
    const dataDir = await import('node:fs/promises').then((fs) => fs.mkdtemp('/tmp/baton-peer-'));
    try {
      let b = await startRelay({ port: 0, host: '127.0.0.1', log: () => {}, dataDir });
      const port = b.port;
      const a = await relay({ peers: [b.url], peerRetryMaxMs: 300 });
      const spaces = await Promise.all([makeSpace(), makeSpace(), makeSpace()]);
      await writeBlobs(a, spaces[0]!.room, [sealText(spaces[0]!, 'before')]);
      await waitForCount(b, spaces[0]!.room, 1);
      await b.close();
      // While B is away: many writes on A, in several rooms, from several clients.
      const written = new Map<string, number>();
      for (const space of spaces) {
        for (let i = 0; i < 10; i++) await writeBlobs(a, space.room, Array.from({ length: 10 }, (_, j) => sealText(space, `w${i}.${j}`)));
        written.set(space.room, (await countAt(a, space.room)));
      }
      await new Promise((r) => setTimeout(r, 300));
      b = await startRelay({ port, host: '127.0.0.1', log: () => {}, dataDir });
      relays.push(b);
      const start = Date.now();
      for (const [room, count] of written) await waitForCount(b, room, count, 10_000);
      console.log(`# ${[...written.values()].reduce((x, y) => x + y)} blobs caught up ${Date.now() - start} ms after the peer returned`);
      for (const [room, count] of written) {
        const held = await blobsAt(b, room);
        assert.equal(held.length, count);
        assert.deepEqual(new Set(held.map((x) => Buffer.from(x).toString('hex'))), new Set((await blobsAt(a, room)).map((x) => Buffer.from(x).toString('hex'))));
      }
    } finally {
      await import('node:fs/promises').then((fs) => fs.rm(dataDir, { recursive: true, force: true }));
    }
  });

  it('relays peered both ways converge, and their rooms still unload when clients leave', async () => {
    // A and B name each other; C names both, and nobody names C.
    const portOfA = await freePort();
    const b = await relay({ idleUnloadMs: 200, peers: [`http://127.0.0.1:${portOfA}`] });
    const a = await relay({ idleUnloadMs: 200, port: portOfA, peers: [b.url] });
    const c = await relay({ idleUnloadMs: 200, peers: [a.url, b.url] });
    const space = await makeSpace();
    const docs = [createEnvelopeDoc(), createEnvelopeDoc(), createEnvelopeDoc()];
    const providers = await Promise.all([a, b, c].map((r, i) => connectProvider(r.url, space.room, docs[i]!)));
    try {
      appendSealed(docs[0]!, [sealText(space, 'on a')]);
      appendSealed(docs[1]!, [sealText(space, 'on b')]);
      appendSealed(docs[2]!, [sealText(space, 'on c')]);
      await waitUntil(() => docs.every((d) => blobsOf(d).length === 3), { timeoutMs: 5000, what: 'three relays to converge' });
    } finally {
      providers.forEach(stopProvider);
    }
    await waitUntil(() => [a, b, c].every((r) => r.registry.loadedCount === 0), { timeoutMs: 5000, what: 'rooms to unload' });
    for (const r of [a, b, c]) assert.equal(await countAt(r, space.room), 3);
  });

  it('catches up a few thousand blobs in bulk (figure)', async () => {
    const b = await relay();
    const space = await makeSpace();
    const total = 3000;
    const doc = createEnvelopeDoc();
    for (let i = 0; i < total; i += 500) {
      const before = Y.encodeStateVector(doc);
      appendSealed(doc, Array.from({ length: 500 }, (_, j) => sealText(space, `bulk ${i + j}`)));
      const res = await fetch(`${b.url}/v1/rooms/${space.room}`, { method: 'POST', body: Y.encodeStateAsUpdate(doc, before) as Uint8Array<ArrayBuffer> });
      assert.equal(res.status, 200);
    }
    const start = Date.now();
    const a = await relay({ peers: [b.url] });
    await waitForCount(a, space.room, total, 20_000);
    const ms = Date.now() - start;
    console.log(`# bulk catch-up: ${total} blobs in ${ms} ms (${Math.round((total / ms) * 1000)} blobs/s)`);
  });
});
