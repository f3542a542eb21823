// Scenario 5: the users' only relay starts to withhold a thread silently (it stores and
// confirms every write, and passes none of the thread's blobs on, not even on a reconnect). A writer adds a second relay to the board's
// relay list; the board still flows, every member's client connects to the new relay, and
// it fills the gap both ways: everyone ends with every blob, the withheld ones included.
import assert from 'node:assert/strict';
import { test } from 'vitest';
import { addRelay, createBoard, createThread, listThreads, openThread, post, posts } from '#client-core/boards.ts';
import type { Space } from '#client-core/space.ts';
import { startRelay } from '#server/index.ts';
import { startCensorProxy } from './censor-proxy.ts';
import { reportScenario } from './figures.ts';
import { blobsOfSpace, converged, isSuperset, lostBlobs, newClient, relayBlobs, shownPosts, union, waitUntil, type RoomHoldings } from './fixtures.ts';
import { startWithholdingRelay } from './withholding-relay.ts';

test('scenario 5: a relay withholds a thread; a second relay fills the gap', async () => {
  const backing = await startRelay({ host: '127.0.0.1', port: 0, log: () => {} });
  const second = await startRelay({ host: '127.0.0.1', port: 0, log: () => {} });
  let threadRoom = '';
  const withholding = await startWithholdingRelay({ host: '127.0.0.1', port: backing.port }, (room) => room === threadRoom);
  const aliceCensor = await startCensorProxy({ host: '127.0.0.1', port: withholding.port });
  const bobCensor = await startCensorProxy({ host: '127.0.0.1', port: withholding.port });
  const alice = newClient('alice', [aliceCensor.url]);
  const bob = newClient('bob', [bobCensor.url]);
  try {
    const { board, caps } = await createBoard(alice, { title: 'Quiet relay', relays: [] });
    const { thread, id } = await createThread(alice, board, { title: 'Withheld', body: 'before the silence' });
    threadRoom = thread.room;
    const bobBoard = await bob.open(caps.write);
    await waitUntil(() => listThreads(bobBoard).length === 1, { timeoutMs: 10_000, what: 'bob to see the thread' });
    const bobThread = await openThread(bob, bobBoard, id);
    await waitUntil(() => posts(bobThread).length === 1, { timeoutMs: 10_000, what: 'bob to read the first post' });

    // From now on the relay stores and confirms everything but passes none of the thread on.
    const t0 = Date.now();
    withholding.arm();
    post(alice, thread, { body: 'alice, withheld' });
    post(alice, thread, { body: 'alice, withheld again' });
    post(bob, bobThread, { body: 'bob, withheld' });
    await waitUntil(() => thread.outbox().length === 0 && bobThread.outbox().length === 0, { timeoutMs: 10_000, what: 'receipts from the withholding relay' });
    const written = union(blobsOfSpace(thread), blobsOfSpace(bobThread));
    await waitUntil(async () => isSuperset(await relayBlobs(backing.url, thread.room), written), { timeoutMs: 10_000, what: 'the withholding relay to store every write' });
    assert.ok(withholding.dropped() > 0, 'the relay withheld updates');
    assert.equal(posts(bobThread).length, 2, 'bob has only his own new post');
    assert.equal(posts(thread).length, 3, "alice lacks bob's post");
    assert.ok(bobThread.statuses().every((s) => s.state === 'synced'), 'the withholding relay looks healthy');

    // A writer announces a second relay in the board; members' clients pick it up.
    const t1 = Date.now();
    addRelay(board, second.url);
    const pairs: Array<[Space, Space]> = [[board, bobBoard], [thread, bobThread]];
    await waitUntil(() => converged(pairs) && posts(bobThread).length === 4 && posts(thread).length === 4, { timeoutMs: 15_000, what: 'both users to hold every blob' });
    const recoverMs = Date.now() - t1;
    assert.ok(bobThread.relays().includes(second.url), "bob's thread syncs with the announced relay");

    const expected = ['alice: before the silence', 'alice: alice, withheld', 'alice: alice, withheld again', 'bob: bob, withheld'].sort();
    assert.deepEqual(shownPosts(thread), expected);
    assert.deepEqual(shownPosts(bobThread), expected);

    const holdings: RoomHoldings = {};
    for (const [a, b] of pairs) {
      const all = union(blobsOfSpace(a), blobsOfSpace(b));
      await waitUntil(async () => isSuperset(await relayBlobs(second.url, a.room), all), { timeoutMs: 10_000, what: 'the second relay to hold every blob' });
      holdings[a.room] = { alice: blobsOfSpace(a), bob: blobsOfSpace(b), withholding: await relayBlobs(backing.url, a.room), second: await relayBlobs(second.url, a.room) };
    }
    const { lost, detail } = lostBlobs(holdings);
    reportScenario({
      id: '5',
      name: 'relay withholds',
      event: `the only relay stops passing on a thread's updates (gap shown ${t1 - t0} ms later); clock from when a writer adds a second relay to the board`,
      recoverMs,
      lost,
    });
    assert.equal(lost, 0, detail);
  } finally {
    await Promise.all([alice.close(), bob.close()]);
    await Promise.all([aliceCensor.close(), bobCensor.close(), withholding.close()]);
    await Promise.all([backing.close(), second.close()]);
  }
});
