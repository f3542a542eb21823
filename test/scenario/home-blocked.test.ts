// Scenario 1: a board lives on its home relay; a mirror relay carries it (started with
// `mirrors: [{capability, relay}]`, as `baton relay --mirror <cap>@<home>` does). The censor
// black-holes (1) or refuses (1b) one user's connections to the home relay. That user
// carries on through the mirror, already in their list or (1c) named in a link they open
// after the block; the others, on the home relay only, see everything the blocked user
// writes, and the blocked user sees everything they write, a thread opened meanwhile included.
import assert from 'node:assert/strict';
import { test } from 'vitest';
import { createBoard, createThread, listThreads, openThread, post, posts } from '#client-core/boards.ts';
import type { Space } from '#client-core/space.ts';
import { formatCapability, parseCapability, withRelays } from '#shared';
import { startRelay } from '#server/index.ts';
import { startCensorProxy, type CensorMode } from './censor-proxy.ts';
import { reportScenario } from './figures.ts';
import { blobsOfSpace, converged, isSuperset, lostBlobs, newClient, relayBlobs, shownPosts, union, waitUntil, type RoomHoldings } from './fixtures.ts';

interface Case {
  id: string;
  block: CensorMode;
  /** When the blocked user learns of the mirror: in their relay list beforehand, or from a link sent after the block. */
  learns: 'before' | 'link';
}

const CASES: Case[] = [
  { id: '1', block: { kind: 'blackhole' }, learns: 'before' },
  { id: '1b', block: { kind: 'refuse' }, learns: 'before' },
  { id: '1c', block: { kind: 'blackhole' }, learns: 'link' },
];

for (const { id: caseId, block, learns } of CASES) {
  const blocked = block.kind === 'blackhole' ? 'black-holed' : 'refused';
  const how = learns === 'before' ? 'a mirror they already use' : 'a mirror named in a link sent to them after the block';
  test(`scenario ${caseId}: the home relay is ${blocked} for one user, who works through ${how}`, async () => {
    const home = await startRelay({ host: '127.0.0.1', port: 0, log: () => {} });
    const aliceCensor = await startCensorProxy({ host: '127.0.0.1', port: home.port });
    const carolCensor = await startCensorProxy({ host: '127.0.0.1', port: home.port });
    const bobHomeCensor = await startCensorProxy({ host: '127.0.0.1', port: home.port });
    const alice = newClient('alice', [aliceCensor.url]);
    const carol = newClient('carol', [carolCensor.url]);
    let mirror: Awaited<ReturnType<typeof startRelay>> | null = null;
    let bobMirrorCensor: Awaited<ReturnType<typeof startCensorProxy>> | null = null;
    let bob: ReturnType<typeof newClient> | null = null;
    try {
      const { board, caps } = await createBoard(alice, { title: 'Home and away', relays: [] });
      const { thread, id } = await createThread(alice, board, { title: 'Local news', body: 'from home' });
      await waitUntil(() => board.outbox().length === 0 && thread.outbox().length === 0, { timeoutMs: 10_000, what: 'the home relay to confirm the board' });

      // An operator elsewhere mirrors the board with its mirror capability (no keys).
      mirror = await startRelay({ host: '127.0.0.1', port: 0, log: () => {}, mirrors: [{ capability: caps.mirror, relay: home.url }] });
      bobMirrorCensor = await startCensorProxy({ host: '127.0.0.1', port: mirror.port });
      bob = newClient('bob', learns === 'before' ? [bobHomeCensor.url, bobMirrorCensor.url] : [bobHomeCensor.url]);
      const carolBoard = await carol.open(caps.write);
      const bobBoard = await bob.open(caps.write);
      await waitUntil(() => listThreads(bobBoard).length === 1 && listThreads(carolBoard).length === 1, { timeoutMs: 10_000, what: 'bob and carol to see the thread' });
      const bobThread = await openThread(bob, bobBoard, id);
      const carolThread = await openThread(carol, carolBoard, id);
      await waitUntil(() => posts(bobThread).length === 1 && posts(carolThread).length === 1, { timeoutMs: 10_000, what: 'the first post everywhere' });
      await waitUntil(async () => isSuperset(await relayBlobs(mirror!.url, thread.room), blobsOfSpace(thread)), { timeoutMs: 10_000, what: 'the mirror to carry the thread' });

      // The censor cuts Bob off from the home relay.
      let t0 = Date.now();
      bobHomeCensor.setMode(block);
      post(bob, bobThread, { body: 'bob, through the mirror' });
      if (learns === 'link') {
        // A friend sends Bob the board's link naming the mirror; he opens it.
        t0 = Date.now();
        await bob.open(formatCapability(withRelays(parseCapability(caps.write), [bobMirrorCensor.url])));
      }
      post(alice, thread, { body: 'alice, at home' });
      post(carol, carolThread, { body: 'carol, at home' });
      const { thread: newThread, id: newId } = await createThread(alice, board, { title: 'Opened while bob is cut off', body: 'a new room' });
      let bobNew: Space | null = null;
      let carolNew: Space | null = null;
      const groups = (): Space[][] => [
        [board, bobBoard, carolBoard],
        [thread, bobThread, carolThread],
        [newThread, ...(bobNew ? [bobNew] : []), ...(carolNew ? [carolNew] : [])],
      ];
      await waitUntil(
        async () => {
          if (!bobNew && listThreads(bobBoard).some((t) => t.id === newId)) bobNew = await openThread(bob!, bobBoard, newId);
          if (!carolNew && listThreads(carolBoard).some((t) => t.id === newId)) carolNew = await openThread(carol, carolBoard, newId);
          if (!bobNew || !carolNew) return false;
          return converged(groups());
        },
        { timeoutMs: 20_000, what: 'everyone to hold every blob' },
      );
      const recoverMs = Date.now() - t0;
      const [bobNewThread, carolNewThread] = [bobNew as Space | null, carolNew as Space | null] as [Space, Space];

      // Bob's writes were confirmed by the mirror, never by the home relay.
      await waitUntil(() => bobThread.outbox().length === 0, { timeoutMs: 10_000, what: "the mirror's receipt for bob's post" });
      const bobWrite = bobThread.localWrites().at(-1)!;
      assert.ok(bobWrite.relays.includes(bobMirrorCensor.url), 'the mirror confirmed it');
      assert.ok(!bobWrite.relays.includes(bobHomeCensor.url), 'the home relay is out of reach');
      assert.notEqual(bobThread.statuses().find((s) => s.relay === bobHomeCensor.url)!.state, 'synced');

      const expected = ['alice: from home', 'bob: bob, through the mirror', 'alice: alice, at home', 'carol: carol, at home'].sort();
      for (const s of [thread, bobThread, carolThread]) assert.deepEqual(shownPosts(s), expected);
      for (const s of [newThread, bobNewThread, carolNewThread]) assert.deepEqual(shownPosts(s), ['alice: a new room']);

      const holdings: RoomHoldings = {};
      for (const [a, b, c] of groups() as Array<[Space, Space, Space]>) {
        const all = union(blobsOfSpace(a), blobsOfSpace(b), blobsOfSpace(c));
        await waitUntil(async () => isSuperset(await relayBlobs(mirror!.url, a.room), all) && isSuperset(await relayBlobs(home.url, a.room), all), { timeoutMs: 10_000, what: 'both relays to hold every blob' });
        holdings[a.room] = { alice: blobsOfSpace(a), bob: blobsOfSpace(b), carol: blobsOfSpace(c), home: await relayBlobs(home.url, a.room), mirror: await relayBlobs(mirror.url, a.room) };
      }
      // The mirror's operator sees the board and both threads carried, each in full.
      const status = (await (await fetch(`${mirror.url}/v1/mirror/status`)).json()) as { mirrors: Array<{ spaceId: string; rooms: Array<{ room: string; role: string; blobs: number }> }> };
      assert.equal(status.mirrors[0]!.spaceId, board.spaceId);
      const carried = new Map(status.mirrors[0]!.rooms.map((r) => [r.room, r]));
      for (const [room, held] of Object.entries(holdings)) assert.equal(carried.get(room)?.blobs, held.mirror!.size, `mirror status of ${room}`);
      assert.deepEqual([board.room, thread.room, newThread.room].map((r) => carried.get(r)?.role), ['board', 'thread', 'thread']);
      const { lost, detail } = lostBlobs(holdings);
      const event =
        learns === 'before'
          ? `censor ${block.kind === 'blackhole' ? 'black-holes' : 'resets'} one user's connections to the home relay; their client already uses a mirror relay (--mirror) of the board; a new thread is opened meanwhile`
          : "as 1, but the user knew only the home relay: clock from when they open a link (capability with ?relays=) naming the mirror";
      reportScenario({
        id: caseId,
        name: `home relay ${blocked}${learns === 'link' ? ', mirror from a link' : ''}`,
        event,
        recoverMs,
        lost,
      });
      assert.equal(lost, 0, detail);
    } finally {
      await Promise.all([alice.close(), carol.close(), bob?.close()]);
      await Promise.all([aliceCensor.close(), carolCensor.close(), bobHomeCensor.close(), bobMirrorCensor?.close()]);
      await Promise.all([home.close(), mirror?.close()]);
    }
  });
}
