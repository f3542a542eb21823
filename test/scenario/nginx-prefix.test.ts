// Scenario 6: a relay behind Debian's nginx under the path prefix /baton/. One user syncs
// over WebSockets through nginx; another, whose censor blocks WebSocket upgrades, over
// HTTP through the same nginx. Both see everything, both ways.
import assert from 'node:assert/strict';
import { test } from 'vitest';
import { createBoard, createThread, listThreads, openThread, post, posts } from '#client-core/boards.ts';
import type { Space } from '#client-core/space.ts';
import { startRelay } from '#server/index.ts';
import { startCensorProxy } from './censor-proxy.ts';
import { reportScenario } from './figures.ts';
import { blobsOfSpace, converged, lostBlobs, newClient, relayBlobs, shownPosts, waitUntil, type RoomHoldings } from './fixtures.ts';
import { startNginx } from './nginx.ts';
import { hasSystemPackage } from '../support/system.ts';

// Skipped, with one line from the global setup, where nginx is missing.
const missing = !hasSystemPackage('nginx');

test.skipIf(missing)('scenario 6: sync through nginx under /baton, over WebSocket and over HTTP', async () => {
  const relay = await startRelay({ host: '127.0.0.1', port: 0, log: () => {} });
  const nginx = await startNginx(relay.port, 'baton').catch(async (err: Error) => {
    await relay.close();
    throw err;
  });
  // Bob's censor sits between him and nginx and lets only plain HTTP through.
  const bobCensor = await startCensorProxy({ host: '127.0.0.1', port: nginx.port });
  bobCensor.setMode({ kind: 'block-websocket' });
  const alice = newClient('alice', [nginx.url]);
  const bob = newClient('bob', [`${bobCensor.url}/baton`]);
  try {
    const t0 = Date.now();
    const { board, caps } = await createBoard(alice, { title: 'Behind nginx', relays: [] });
    const { thread, id } = await createThread(alice, board, { title: 'Prefix', body: 'over a WebSocket through nginx' });
    const bobBoard = await bob.open(caps.write);
    await waitUntil(() => listThreads(bobBoard).length === 1, { timeoutMs: 15_000, what: 'bob to see the thread over HTTP' });
    const bobThread = await openThread(bob, bobBoard, id);
    post(bob, bobThread, { body: 'over HTTP through nginx' });
    post(alice, thread, { body: 'and another over the WebSocket' });

    const pairs: Array<[Space, Space]> = [[board, bobBoard], [thread, bobThread]];
    await waitUntil(() => converged(pairs) && posts(thread).length === 3 && posts(bobThread).length === 3, { timeoutMs: 15_000, what: 'both users to hold every blob' });
    const recoverMs = Date.now() - t0;
    await waitUntil(() => [board, thread, bobBoard, bobThread].every((s) => s.outbox().length === 0), { timeoutMs: 10_000, what: 'receipts for every write' });

    assert.equal(thread.statuses()[0]!.transport, 'websocket');
    assert.equal(thread.statuses()[0]!.relay, nginx.url, 'the relay URL keeps its path');
    await waitUntil(() => bobThread.statuses()[0]!.transport === 'http', { timeoutMs: 10_000, what: "bob's thread on HTTP" });
    const expected = ['alice: over a WebSocket through nginx', 'alice: and another over the WebSocket', 'bob: over HTTP through nginx'].sort();
    assert.deepEqual(shownPosts(thread), expected);
    assert.deepEqual(shownPosts(bobThread), expected);

    const holdings: RoomHoldings = {};
    for (const [a, b] of pairs) {
      holdings[a.room] = { alice: blobsOfSpace(a), bob: blobsOfSpace(b), relay: await relayBlobs(relay.url, a.room), 'relay via nginx': await relayBlobs(nginx.url, a.room) };
    }
    const { lost, detail } = lostBlobs(holdings);
    reportScenario({ id: '6', name: 'nginx, path prefix', event: 'a new board through nginx at /baton: one user on WebSocket, one on HTTP; clock from board creation', recoverMs, lost });
    assert.equal(lost, 0, detail);
  } finally {
    await alice.close();
    await bob.close();
    await bobCensor.close();
    await nginx.close();
    await relay.close();
  }
});
