// Scenario 3b, with the CLI: a relay (a child process) is killed (-9) and its data deleted.
// A member exports the board from their device (`baton export`, offline); the operator
// restarts the relay with that bundle (`baton relay --import FILE`). The relay holds every
// blob again before any client reconnects, and a newcomer reads everything from it.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'vitest';
import * as Y from 'yjs';
import type { RoomName } from '#shared';
import { createEnvelopeDoc } from '#shared';
import { FileStore } from '#client-node/file-store.ts';
import { Device, json, type BoardCaps, type ReadJson } from '../integration/cli-harness.ts';
import { reportScenario } from './figures.ts';
import { blobsOfDoc, isSuperset, lostBlobs, relayBlobs, waitUntil, type RoomHoldings } from './fixtures.ts';
import { freePort } from '../support/ports.ts';
import { spawnRelay, type RelayProcess } from './relay-process.ts';

/** The blobs a CLI device stores for a room (read from its data directory). */
async function deviceBlobs(device: Device, room: RoomName): Promise<Set<string>> {
  const store = new FileStore(device.dir);
  const doc = createEnvelopeDoc();
  try {
    for (const update of (await store.load(room)).updates) Y.applyUpdate(doc, update);
    return blobsOfDoc(doc);
  } finally {
    doc.destroy();
    await store.close();
  }
}

test('scenario 3b: a killed relay whose data is gone is restored from a bundle a member exported', async () => {
  const root = mkdtempSync(join(tmpdir(), 'baton-restore-bundle-'));
  const data = join(root, 'relay-data');
  const bundle = join(root, 'board.baton');
  const port = await freePort();
  let relay: RelayProcess | null = await spawnRelay(port, ['--data', data]);
  const alice = new Device(join(root, 'alice'));
  const bob = new Device(join(root, 'bob'));
  const dave = new Device(join(root, 'dave'));
  try {
    const caps = json<BoardCaps>(await alice.run('board', 'create', '--relay', relay.url, '--title', 'Carried by hand', '--name', 'alice'));
    const thread = json<{ id: string }>(await alice.run('thread', 'create', caps.write, '--title', 'On paper', '--body', 'written before the raid'));
    // Bob's device syncs the board before posting, so it holds every blob.
    json(await bob.run('post', caps.write, '--thread', thread.id, '--body', 'bob, before the raid', '--name', 'bob'));

    // The relay is seized: killed without warning, its disk gone.
    const t0 = Date.now();
    await relay.kill();
    relay = null;
    rmSync(data, { recursive: true, force: true });
    const exported = json<{ rooms: RoomName[] }>(await bob.run('export', caps.write, '--out', bundle));
    const exportMs = Date.now() - t0;
    assert.equal(exported.rooms.length, 2, 'the board and its thread');
    const restartAt = Date.now();
    relay = await spawnRelay(port, ['--data', data, '--import', bundle]);
    const restartMs = Date.now() - restartAt;
    const want = new Map<RoomName, Set<string>>();
    for (const room of exported.rooms) want.set(room, await deviceBlobs(bob, room));
    await waitUntil(
      async () => {
        for (const [room, blobs] of want) if (!isSuperset(await relayBlobs(relay!.url, room), blobs)) return false;
        return true;
      },
      { timeoutMs: 10_000, what: 'the restored relay to hold every blob' },
    );
    const recoverMs = Date.now() - t0;

    // A newcomer with only the read capability and the restored relay reads everything.
    const read = json<ReadJson>(await dave.run('read', caps.read, '--json'));
    assert.equal(read.board?.title, 'Carried by hand');
    assert.deepEqual(read.threads[0]!.posts.map((p) => `${p.verified ? p.name : 'UNVERIFIED'}: ${p.body}`).sort(), ['alice: written before the raid', 'bob: bob, before the raid']);

    const holdings: RoomHoldings = {};
    const written: Record<string, Set<string>> = {};
    for (const room of exported.rooms) {
      holdings[room] = { bob: await deviceBlobs(bob, room), dave: await deviceBlobs(dave, room), relay: await relayBlobs(relay.url, room) };
      written[room] = await deviceBlobs(alice, room);
    }
    // Alice has not synced since Bob posted: what she wrote must be everywhere, not the reverse.
    const { lost, detail } = lostBlobs(holdings, written);
    reportScenario({ id: '3b', name: 'relay wiped, restored from a bundle', event: `a relay is killed (-9) and its data deleted; a member runs baton export (${exportMs} ms, offline), the relay restarts with --import (${restartMs} ms to answer); clock from the kill`, recoverMs, lost });
    assert.equal(lost, 0, detail);
  } finally {
    await relay?.kill();
    rmSync(root, { recursive: true, force: true });
  }
});
