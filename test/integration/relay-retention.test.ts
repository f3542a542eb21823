// Retention of older epochs (docs/PROTOCOL.md §3, epochs): a relay drops an epoch once a newer epoch of the same
// space has held a snapshot for the retention period, keeps everything else whatever its age,
// and does not fetch a dropped epoch back from a peer.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { BlobKind, createSpace, generateIdentity, initSodium, roomName, sealUpdateBlob, type Capability, type Sealer } from '#shared';
import { startRelay, type Relay } from '#server/index.ts';
import { writeBlobs } from './peer-fixtures.ts';
import { holdsWithin } from '../support/wait.ts';

await initSodium();
const author = generateIdentity();

function seal(cap: Capability, epoch: number, kind: typeof BlobKind.update | typeof BlobKind.snapshot, text: string): Sealer {
  const doc = new Y.Doc();
  doc.getMap('m').set('k', text);
  const update = Y.encodeStateAsUpdate(doc);
  return (pos) => sealUpdateBlob({ writePub: cap.writePub, epoch, readKey: cap.readKey!, writeSecret: cap.write!.secretKey }, kind, author, update, pos);
}

async function epochs(relay: Relay, cap: Capability): Promise<number[]> {
  const res = await fetch(`${relay.url}/v1/spaces/${cap.spaceId}`);
  return ((await res.json()) as { epochs: number[] }).epochs;
}

test('an older epoch is dropped once a newer one has held a snapshot for the retention period, and only then', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-retention-'));
  const options = { host: '127.0.0.1', port: 0, dataDir: dir, epochRetentionMs: 600, idleUnloadMs: 100, log: () => {} };
  let relay = await startRelay(options);
  let peer: Relay | null = null;
  try {
    const space = createSpace('thread');
    const lonely = createSpace('thread');
    await writeBlobs(relay, roomName(space.spaceId, 0), [seal(space, 0, BlobKind.update, 'old')]);
    await writeBlobs(relay, roomName(lonely.spaceId, 0), [seal(lonely, 0, BlobKind.update, 'only epoch')]);
    // A newer epoch without a snapshot changes nothing.
    await writeBlobs(relay, roomName(space.spaceId, 1), [seal(space, 1, BlobKind.update, 'no snapshot yet')]);
    await new Promise((r) => setTimeout(r, 900));
    assert.deepEqual(await epochs(relay, space), [0, 1]);
    // The snapshot starts the clock; the mark survives a restart.
    const started = Date.now();
    await writeBlobs(relay, roomName(space.spaceId, 1), [seal(space, 1, BlobKind.snapshot, 'snapshot')]);
    await relay.close();
    relay = await startRelay(options);
    assert.deepEqual(await epochs(relay, space), [0, 1], 'kept during the retention period');
    // A peer that still holds the old epoch does not bring it back.
    peer = await startRelay({ host: '127.0.0.1', port: 0, log: () => {} });
    await writeBlobs(peer, roomName(space.spaceId, 0), [seal(space, 0, BlobKind.update, 'elsewhere')]);
    const a = relay;
    assert.ok(await holdsWithin(async () => (await epochs(a, space)).join() === '1', { timeoutMs: 5000, intervalMs: 50 }), 'epoch 0 dropped');
    assert.ok(Date.now() - started >= 600, 'not before the retention period');
    await relay.close();
    relay = await startRelay({ ...options, peers: [peer.url], peerSyncMs: 100 });
    await new Promise((r) => setTimeout(r, 800));
    assert.deepEqual(await epochs(relay, space), [1], 'not fetched again from a peer');
    assert.deepEqual(await epochs(relay, lonely), [0], 'nothing is dropped for age alone');
  } finally {
    await peer?.close();
    await relay.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
