// Scenario 3a: a relay peered with another is killed (-9) and its data deleted. Restarted
// empty with --peer, it gets every room back from its peer, writes made during the outage
// included, before any client comes back to it.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'vitest';
import { createBoard, createThread, listThreads, openThread, post, posts } from '#client-core/boards.ts';
import { startRelay } from '#server/index.ts';
import { startCensorProxy } from './censor-proxy.ts';
import { reportScenario } from './figures.ts';
import { blobsOfSpace, isSuperset, lostBlobs, newClient, relayBlobs, shownPosts, union, waitUntil, type RoomHoldings } from './fixtures.ts';
import { freePort } from '../support/ports.ts';
import { spawnRelay, type RelayProcess } from './relay-process.ts';

test('scenario 3a: a killed relay whose data is gone is restored from its peer', async () => {
  const root = mkdtempSync(join(tmpdir(), 'baton-restore-peer-'));
  const peer = await startRelay({ host: '127.0.0.1', port: 0, log: () => {} });
  const port = await freePort();
  let victim: RelayProcess | null = await spawnRelay(port, ['--data', join(root, 'data'), '--peer', peer.url]);
  const aliceCensor = await startCensorProxy({ host: '127.0.0.1', port });
  const bobCensor = await startCensorProxy({ host: '127.0.0.1', port: peer.port });
  const alice = newClient('alice', [aliceCensor.url]);
  const bob = newClient('bob', [bobCensor.url]);
  const dave = newClient('dave', [victim.url]);
  try {
    // Alice works on the relay that will die, Bob on its peer.
    const { board, caps } = await createBoard(alice, { title: 'Two relays', relays: [] });
    const { thread, id } = await createThread(alice, board, { title: 'Kept twice', body: 'written on the relay that dies' });
    const bobBoard = await bob.open(caps.write);
    await waitUntil(() => listThreads(bobBoard).length === 1, { timeoutMs: 15_000, what: 'bob to get the board through the peering' });
    const bobThread = await openThread(bob, bobBoard, id);
    post(bob, bobThread, { body: 'written on the peer' });
    await waitUntil(() => posts(thread).length === 2, { timeoutMs: 15_000, what: "alice to get bob's post through the peering" });
    const rooms = [board.room, thread.room];
    const before = new Map(rooms.map((room, i) => [room, union(blobsOfSpace([board, thread][i]!), blobsOfSpace([bobBoard, bobThread][i]!))]));
    for (const room of rooms) {
      await waitUntil(async () => isSuperset(await relayBlobs(victim!.url, room), before.get(room)!), { timeoutMs: 10_000, what: 'the doomed relay to hold everything' });
    }
    // Alice goes offline: only the peer can bring the relay back.
    const aliceHeld = new Map([[board.room, blobsOfSpace(board)], [thread.room, blobsOfSpace(thread)]]);
    await alice.close();

    const t0 = Date.now();
    await victim.kill();
    victim = null;
    rmSync(join(root, 'data'), { recursive: true, force: true });
    post(bob, bobThread, { body: 'written while the relay was dead' });
    await waitUntil(() => bobThread.outbox().length === 0, { timeoutMs: 10_000, what: "the peer's receipt" });
    const restartAt = Date.now();
    victim = await spawnRelay(port, ['--data', join(root, 'data'), '--peer', peer.url]);
    const restartMs = Date.now() - restartAt;
    const want = new Map(rooms.map((room, i) => [room, union(before.get(room)!, blobsOfSpace([bobBoard, bobThread][i]!))]));
    await waitUntil(
      async () => {
        for (const room of rooms) if (!isSuperset(await relayBlobs(victim!.url, room), want.get(room)!)) return false;
        return true;
      },
      { timeoutMs: 20_000, what: 'the restarted relay to hold every blob again' },
    );
    const recoverMs = Date.now() - t0;

    // A newcomer who reaches only the restored relay reads everything.
    const daveBoard = await dave.open(caps.read);
    await waitUntil(() => listThreads(daveBoard).length === 1, { timeoutMs: 10_000, what: 'dave to see the thread' });
    const daveThread = await openThread(dave, daveBoard, id);
    await waitUntil(() => posts(daveThread).length === 3, { timeoutMs: 10_000, what: 'dave to read every post' });
    assert.deepEqual(shownPosts(daveThread), ['alice: written on the relay that dies', 'bob: written on the peer', 'bob: written while the relay was dead'].sort());

    const holdings: RoomHoldings = {};
    for (const [room, bobSpace, daveSpace] of [[board.room, bobBoard, daveBoard], [thread.room, bobThread, daveThread]] as const) {
      holdings[room] = {
        bob: blobsOfSpace(bobSpace),
        dave: blobsOfSpace(daveSpace),
        peer: await relayBlobs(peer.url, room),
        restored: await relayBlobs(victim.url, room),
      };
    }
    // Alice left before the outage: what she wrote must be everywhere, she need not hold the rest.
    const { lost, detail } = lostBlobs(holdings, Object.fromEntries(aliceHeld));
    reportScenario({ id: '3a', name: 'relay wiped, restored from a peer', event: `a relay is killed (-9) and its data deleted, then restarted empty with --peer (the process takes ${restartMs} ms to answer); clock from the kill`, recoverMs, lost });
    assert.equal(lost, 0, detail);
  } finally {
    await Promise.all([alice.close(), bob.close(), dave.close()]);
    await Promise.all([aliceCensor.close(), bobCensor.close()]);
    await victim?.kill();
    await peer.close();
    rmSync(root, { recursive: true, force: true });
  }
});
