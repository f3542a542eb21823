// Scenario 7: the censor throttles one user's link to a relay to a trickle (open
// connections too) instead of blocking it. Nothing times out or falls over: long posts
// still travel both ways over the same WebSocket, only slower.
import assert from 'node:assert/strict';
import { test } from 'vitest';
import { createBoard, createThread, listThreads, openThread, post, posts } from '#client-core/boards.ts';
import type { Space } from '#client-core/space.ts';
import { startRelay } from '#server/index.ts';
import { startCensorProxy } from './censor-proxy.ts';
import { reportScenario } from './figures.ts';
import { blobsOfSpace, converged, lostBlobs, newClient, relayBlobs, shownPosts, waitUntil, type RoomHoldings } from './fixtures.ts';

const BYTES_PER_SECOND = 3000;

test('scenario 7: a throttled link still carries everything, both ways', async () => {
  const relay = await startRelay({ host: '127.0.0.1', port: 0, log: () => {} });
  const aliceCensor = await startCensorProxy({ host: '127.0.0.1', port: relay.port });
  const bobCensor = await startCensorProxy({ host: '127.0.0.1', port: relay.port });
  const alice = newClient('alice', [aliceCensor.url]);
  const bob = newClient('bob', [bobCensor.url]);
  try {
    const { board, caps } = await createBoard(alice, { title: 'Slow lane', relays: [] });
    const { thread, id } = await createThread(alice, board, { title: 'Long reads', body: 'before the throttle' });
    const bobBoard = await bob.open(caps.write);
    await waitUntil(() => listThreads(bobBoard).length === 1, { timeoutMs: 10_000, what: 'bob to see the thread' });
    const bobThread = await openThread(bob, bobBoard, id);
    await waitUntil(() => posts(bobThread).length === 1, { timeoutMs: 10_000, what: 'bob to read the first post' });

    const t0 = Date.now();
    aliceCensor.setMode({ kind: 'throttle', bytesPerSecond: BYTES_PER_SECOND });
    const long = (who: string, n: number) => `${who} ${n}: ${'a long report from the ground. '.repeat(40)}`;
    for (let n = 1; n <= 3; n++) post(bob, bobThread, { body: long('bob', n) });
    post(alice, thread, { body: long('alice', 1) });
    const { thread: bobNew, id: newId } = await createThread(bob, bobBoard, { title: 'Opened on the slow day', body: 'short' });
    let aliceNew: Space | null = null;
    await waitUntil(
      async () => {
        if (!aliceNew && listThreads(board).some((t) => t.id === newId)) aliceNew = await openThread(alice, board, newId);
        return aliceNew !== null && converged([[board, bobBoard], [thread, bobThread], [aliceNew, bobNew]]);
      },
      { timeoutMs: 20_000, what: 'both users to hold every blob' },
    );
    const recoverMs = Date.now() - t0;
    const aliceThreadNew = aliceNew as Space | null as Space;
    const carried = aliceCensor.stats().fromRelay;

    assert.equal(thread.statuses()[0]!.transport, 'websocket', 'no fallback was needed');
    const expected = ['alice: before the throttle', `alice: ${long('alice', 1)}`, ...[1, 2, 3].map((n) => `bob: ${long('bob', n)}`)].sort();
    assert.deepEqual(shownPosts(thread), expected);
    assert.deepEqual(shownPosts(bobThread), expected);
    assert.deepEqual(shownPosts(aliceThreadNew), ['bob: short']);
    await waitUntil(() => [board, thread].every((s) => s.outbox().length === 0), { timeoutMs: 10_000, what: "receipts for alice's writes" });

    const holdings: RoomHoldings = {};
    for (const [a, b] of [[board, bobBoard], [thread, bobThread], [aliceThreadNew, bobNew]] as const) {
      holdings[a.room] = { alice: blobsOfSpace(a), bob: blobsOfSpace(b), relay: await relayBlobs(relay.url, a.room) };
    }
    const { lost, detail } = lostBlobs(holdings);
    reportScenario({
      id: '7',
      name: 'link throttled',
      event: `censor throttles one user's link to ${BYTES_PER_SECOND} bytes/s, open connections included (${carried} bytes reached them in all); long posts and a new thread meanwhile`,
      recoverMs,
      lost,
    });
    assert.equal(lost, 0, detail);
  } finally {
    await Promise.all([alice.close(), bob.close()]);
    await Promise.all([aliceCensor.close(), bobCensor.close()]);
    await relay.close();
  }
});
