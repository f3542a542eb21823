// Scenario 4: one of the relays the users sync with lies: forged signatures, blobs of
// another space, deletes, forged blobs among real ones, random bytes, over WebSockets and
// HTTP, to clients, to a relay peered with it, and (pushed as a client) to an honest relay. Nobody keeps a forged blob,
// the plaintext stays right, and the users keep syncing through the honest relay.
import assert from 'node:assert/strict';
import { test } from 'vitest';
import { createBoard, createThread, listThreads, openThread, post, posts } from '#client-core/boards.ts';
import type { Space } from '#client-core/space.ts';
import { startRelay } from '#server/index.ts';
import { startCensorProxy } from './censor-proxy.ts';
import { reportScenario } from './figures.ts';
import { blobsOfSpace, converged, isSuperset, lostBlobs, newClient, relayBlobs, relayServesValid, shownPosts, union, waitUntil, type RoomHoldings } from './fixtures.ts';
import { startLyingRelay } from './lying-relay.ts';

test('scenario 4: a lying relay is refused by every client and relay; syncing goes on through an honest one', async () => {
  const honest = await startRelay({ host: '127.0.0.1', port: 0, log: () => {} });
  const liar = await startLyingRelay();
  const aliceCensor = await startCensorProxy({ host: '127.0.0.1', port: honest.port });
  const bobCensor = await startCensorProxy({ host: '127.0.0.1', port: honest.port });
  // The liar comes first in every list, so its answers are often the first a client sees.
  const alice = newClient('alice', [liar.url, aliceCensor.url]);
  const bob = newClient('bob', [liar.url, bobCensor.url]);
  // A relay peered with the liar and with the honest relay; Carol reaches only these two.
  const peerLog: string[] = [];
  const peered = await startRelay({ host: '127.0.0.1', port: 0, log: (line) => peerLog.push(line), peers: [liar.url, honest.url], peerSyncMs: 250 });
  const carol = newClient('carol', [liar.url, peered.url]);
  // Dave's censor blocks WebSockets to the liar: he hears its lies over the HTTP fallback.
  const daveLiarCensor = await startCensorProxy({ host: '127.0.0.1', port: liar.port });
  daveLiarCensor.setMode({ kind: 'block-websocket' });
  const dave = newClient('dave', [daveLiarCensor.url, honest.url]);
  try {
    const { board, caps } = await createBoard(alice, { title: 'Among liars', relays: [] });
    const { thread, id } = await createThread(alice, board, { title: 'Facts', body: 'the first fact' });
    const bobBoard = await bob.open(caps.write);
    await waitUntil(() => listThreads(bobBoard).length === 1, { timeoutMs: 10_000, what: 'bob to see the thread' });
    const bobThread = await openThread(bob, bobBoard, id);
    await waitUntil(() => posts(bobThread).length === 1, { timeoutMs: 10_000, what: 'bob to read the first post' });

    const t0 = Date.now();
    liar.setLying(true);
    post(alice, thread, { body: 'alice, while the relay lies' });
    post(bob, bobThread, { body: 'bob, while the relay lies' });
    // A newcomer with only the read capability, whose first answers come from the liar.
    const carolBoard = await carol.open(caps.read);
    await waitUntil(() => listThreads(carolBoard).length === 1, { timeoutMs: 10_000, what: 'carol to see the thread' });
    const carolThread = await openThread(carol, carolBoard, id);
    const daveBoard = await dave.open(caps.read);
    await waitUntil(() => listThreads(daveBoard).length === 1, { timeoutMs: 10_000, what: 'dave to see the thread' });
    const daveThread = await openThread(dave, daveBoard, id);
    post(alice, thread, { body: 'alice again' });

    const groups: Space[][] = [[board, bobBoard, carolBoard, daveBoard], [thread, bobThread, carolThread, daveThread]];
    await waitUntil(() => converged(groups) && [bobThread, carolThread, daveThread].every((s) => posts(s).length === 4), { timeoutMs: 15_000, what: 'everyone to hold every real blob' });
    const recoverMs = Date.now() - t0;

    // The liar pushes its lies into the honest relay as a peer would, and keeps lying to
    // the clients for at least a few full rounds.
    await liar.pushLiesTo(honest.url, thread.room);
    await waitUntil(() => liar.lies() >= 60, { timeoutMs: 10_000, what: 'the liar to tell enough lies' });
    const daveHearsLies = () => [daveBoard, daveThread].every((s) => s.statuses().some((st) => st.relay === daveLiarCensor.url && st.transport === 'http' && st.rejected > 0));
    await waitUntil(daveHearsLies, { timeoutMs: 15_000, what: "dave's HTTP polls of the liar to be refused" });
    await waitUntil(() => peerLog.some((line) => line.includes(liar.url) && /sent \d+ update\(s\) that were refused/.test(line)), { timeoutMs: 10_000, what: 'the peered relay to refuse the liar' });
    liar.setLying(false);

    assert.ok(liar.forged.size >= 10, `the liar forged ${liar.forged.size} blobs`);
    for (const s of [...groups.flat()]) {
      const held = blobsOfSpace(s);
      for (const f of liar.forged) assert.ok(!held.has(f), `${s.room} kept a forged blob`);
    }
    for (const s of [board, thread, bobThread, carolThread]) {
      assert.ok(s.statuses().find((st) => st.relay === liar.url)!.rejected > 0, `${s.room}: lies were seen and refused`);
    }
    for (const relay of [honest, peered]) {
      for (const room of [board.room, thread.room]) {
        const held = await relayBlobs(relay.url, room);
        for (const f of liar.forged) assert.ok(!held.has(f), `${relay.url} kept a forged blob`);
        assert.ok(await relayServesValid(relay.url, room), `${relay.url} serves only valid updates`);
      }
    }

    const expected = ['alice: the first fact', 'alice: alice, while the relay lies', 'bob: bob, while the relay lies', 'alice: alice again'].sort();
    for (const s of [thread, bobThread, carolThread, daveThread]) assert.deepEqual(shownPosts(s), expected);

    // Still syncing after all that.
    post(bob, bobThread, { body: 'bob, after the lies' });
    await waitUntil(() => [thread, carolThread, daveThread].every((s) => posts(s).length === 5), { timeoutMs: 10_000, what: 'a post after the lies' });

    const holdings: RoomHoldings = {};
    for (const group of groups) {
      const [a, b, c, d] = group as [Space, Space, Space, Space];
      await waitUntil(async () => isSuperset(await relayBlobs(honest.url, a.room), union(blobsOfSpace(a), blobsOfSpace(b))), { timeoutMs: 10_000, what: 'the honest relay to hold every blob' });
      await waitUntil(async () => isSuperset(await relayBlobs(peered.url, a.room), union(blobsOfSpace(a), blobsOfSpace(b))), { timeoutMs: 10_000, what: 'the peered relay to hold every blob' });
      holdings[a.room] = { alice: blobsOfSpace(a), bob: blobsOfSpace(b), carol: blobsOfSpace(c), dave: blobsOfSpace(d), honest: await relayBlobs(honest.url, a.room), peered: await relayBlobs(peered.url, a.room) };
    }
    const { lost, detail } = lostBlobs(holdings);
    reportScenario({ id: '4', name: 'lying relay', event: 'a relay every user syncs with (one of them over HTTP) starts sending forged, foreign, deleting and random updates, also to a relay peered with it; two readers join meanwhile', recoverMs, lost });
    assert.equal(lost, 0, detail);
  } finally {
    await Promise.all([alice.close(), bob.close(), carol.close(), dave.close()]);
    await Promise.all([aliceCensor.close(), bobCensor.close(), daveLiarCensor.close(), liar.close()]);
    await Promise.all([honest.close(), peered.close()]);
  }
});
