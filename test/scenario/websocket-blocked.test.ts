// Scenario 2: a censor starts blocking WebSocket upgrades for one user while plain HTTP
// passes. Their client falls back to HTTP polling and keeps syncing, both ways, with the
// others still on WebSockets.
import assert from 'node:assert/strict';
import { test } from 'vitest';
import { createBoard, createThread, listThreads, openThread, post, posts } from '#client-core/boards.ts';
import type { Space } from '#client-core/space.ts';
import { startRelay } from '#server/index.ts';
import { startCensorProxy } from './censor-proxy.ts';
import { reportScenario } from './figures.ts';
import { blobsOfSpace, converged, lostBlobs, newClient, relayBlobs, shownPosts, waitUntil, type RoomHoldings } from './fixtures.ts';

test('scenario 2: WebSockets blocked for one user, who carries on over HTTP', async () => {
  const relay = await startRelay({ host: '127.0.0.1', port: 0, log: () => {} });
  const aliceCensor = await startCensorProxy({ host: '127.0.0.1', port: relay.port });
  const bobCensor = await startCensorProxy({ host: '127.0.0.1', port: relay.port });
  const alice = newClient('alice', [aliceCensor.url]);
  const bob = newClient('bob', [bobCensor.url]);
  try {
    const { board, caps } = await createBoard(alice, { title: 'Behind the wall', relays: [] });
    const { thread, id } = await createThread(alice, board, { title: 'News', body: 'before the block' });
    const bobBoard = await bob.open(caps.write);
    await waitUntil(() => listThreads(bobBoard).length === 1, { timeoutMs: 10_000, what: 'bob to see the thread' });
    const bobThread = await openThread(bob, bobBoard, id);
    await waitUntil(() => posts(bobThread).length === 1, { timeoutMs: 10_000, what: 'bob to read the first post' });
    assert.equal(thread.statuses()[0]!.transport, 'websocket');

    // The censor acts: open sockets are cut, upgrades answered 403, HTTP still passes.
    const t0 = Date.now();
    aliceCensor.setMode({ kind: 'block-websocket' });
    post(alice, thread, { body: 'alice, during the block' });
    post(bob, bobThread, { body: 'bob, during the block' });
    const { thread: bobNew, id: newId } = await createThread(bob, bobBoard, { title: 'Opened during the block', body: 'a new room' });
    post(alice, thread, { body: 'alice again' });

    // Alice opens the new thread as soon as the board shows it (over HTTP).
    let aliceNew: Space | null = null;
    await waitUntil(
      async () => {
        if (!aliceNew && listThreads(board).some((t) => t.id === newId)) aliceNew = await openThread(alice, board, newId);
        if (!aliceNew) return false;
        return converged([[board, bobBoard], [thread, bobThread], [aliceNew, bobNew]]);
      },
      { timeoutMs: 20_000, what: 'both users to hold every blob' },
    );
    const recoverMs = Date.now() - t0;
    const aliceThreadNew = aliceNew as Space | null as Space;

    // Every write of Alice's reached the relay (an HTTP receipt covers it).
    await waitUntil(() => [board, thread, aliceThreadNew].every((s) => s.outbox().length === 0), { timeoutMs: 10_000, what: "receipts for alice's writes" });
    // Alice really is on HTTP (a poll that pulled may still be pushing: wait for it to finish).
    const onHttp = () => [board, thread, aliceThreadNew].every((s) => s.statuses()[0]!.transport === 'http' && s.statuses()[0]!.state === 'synced');
    await waitUntil(onHttp, { timeoutMs: 10_000, what: 'alice to be synced over HTTP in every room' });
    const expected = ['alice: before the block', 'alice: alice, during the block', 'bob: bob, during the block', 'alice: alice again'].sort();
    assert.deepEqual(shownPosts(thread), expected);
    assert.deepEqual(shownPosts(bobThread), expected);
    assert.deepEqual(shownPosts(aliceThreadNew), ['bob: a new room']);

    // The censor lifts: the client returns to WebSockets by itself, and polling stops.
    aliceCensor.setMode({ kind: 'pass' });
    const liftedAt = Date.now();
    const onWebSocket = () => [board, thread, aliceThreadNew].every((s) => s.statuses()[0]!.transport === 'websocket' && s.statuses()[0]!.state === 'synced');
    await waitUntil(onWebSocket, { timeoutMs: 15_000, what: 'alice back on WebSockets' });
    console.log(`scenario 2: back on WebSockets ${Date.now() - liftedAt} ms after the censor lifted`);
    post(bob, bobThread, { body: 'bob, after the block' });
    await waitUntil(() => posts(thread).length === 5, { timeoutMs: 10_000, what: "bob's next post over the WebSocket" });

    const holdings: RoomHoldings = {};
    for (const [a, b] of [[board, bobBoard], [thread, bobThread], [aliceThreadNew, bobNew]] as const) {
      holdings[a.room] = { alice: blobsOfSpace(a), bob: blobsOfSpace(b), relay: await relayBlobs(relay.url, a.room) };
    }
    const { lost, detail } = lostBlobs(holdings);
    reportScenario({ id: '2', name: 'WebSockets blocked', event: "censor answers one user's WebSocket upgrades 403, HTTP passes", recoverMs, lost });
    assert.equal(lost, 0, detail);
  } finally {
    await alice.close();
    await bob.close();
    await aliceCensor.close();
    await bobCensor.close();
    await relay.close();
  }
});
