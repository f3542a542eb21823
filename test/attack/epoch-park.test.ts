// A writer tries to park a thread at epoch 0xFFFFFFFF (after which no one could compact it
// again) or far ahead of everyone: snapshots sealed for epochs 0xFFFFFFFF, 2^31 and the
// current epoch + 65. A device that holds the thread never opens the first two; with nothing
// newer in its window it recovers to the lowest epoch above it with a snapshot (+65, as it
// would for a space that really moved that far) and keeps compacting one epoch at a time from
// there. No device opens an epoch at or above 2^31.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { BlobKind, addPost, appendSealed, createEnvelopeDoc, generateIdentity, initSodium, parseCapability, roomName, sealUpdateBlob, signPost } from '#shared';
import { BatonClient } from '#client-core/client.ts';
import { MemoryStore } from '#client-core/store.ts';
import { createBoard, createThread, post, posts } from '#client-core/boards.ts';
import { pushRoom } from '#client-core/http-sync.ts';
import { MAX_EPOCH_JUMP, MAX_OPEN_EPOCH } from '#client-core/space.ts';
import { startRelay } from '#server/index.ts';
import { NodeWS, until } from '../integration/client-fixtures.ts';

await initSodium();

const client = (name: string, store = new MemoryStore()) =>
  new BatonClient({ store, identity: generateIdentity(), name, connection: { WebSocket: NodeWS, maxBackoffMs: 200 }, compactAfterBlobs: 10_000, compactJitterMs: 0, batchMs: 10, epochCheckMs: 500 });

test('no writer can move a space to an epoch it could never compact from', async () => {
  const relay = await startRelay({ host: '127.0.0.1', port: 0, log: () => {} });
  const writer = client('writer');
  const readerStore = new MemoryStore();
  const opened: BatonClient[] = [writer];
  try {
    const { board } = await createBoard(writer, { title: 'b', relays: [relay.url] });
    const { thread, caps } = await createThread(writer, board, { title: 't', body: 'first' });
    assert.equal(await thread.compact(), 1);
    assert.ok(await until(() => thread.outbox().length === 0));

    const first = client('reader', readerStore);
    opened.push(first);
    const seen = await first.open(caps.read);
    assert.ok(await until(() => seen.epoch === 1 && posts(seen).length === 1), 'a fresh reader opens epoch 1');
    await first.close();

    // The hostile writer's snapshots, each valid for its own epoch.
    const cap = parseCapability(caps.write);
    const plain = new Y.Doc();
    const mallory = generateIdentity();
    addPost(plain, signPost(mallory, { threadSpaceId: cap.spaceId, name: 'mallory', body: 'parked' }));
    const parked = [0xffffffff, 2 ** 31, 1 + MAX_EPOCH_JUMP + 1];
    for (const epoch of parked) {
      const env = createEnvelopeDoc();
      const key = { writePub: cap.writePub, epoch, readKey: cap.readKey!, writeSecret: cap.write!.secretKey };
      appendSealed(env, [(pos) => sealUpdateBlob(key, BlobKind.snapshot, mallory, Y.encodeStateAsUpdate(plain), pos)]);
      await pushRoom(fetch, relay.url, roomName(cap.spaceId, epoch), Y.encodeStateAsUpdate(env));
    }

    // The devices that hold the thread take the nearest epoch past their window, not the parked ones.
    const recovered = 1 + MAX_EPOCH_JUMP + 1;
    const again = client('reader', readerStore);
    opened.push(again);
    const known = await again.open(caps.read);
    await known.refreshEpochs();
    await thread.refreshEpochs();
    assert.ok(await until(() => known.epoch === recovered && thread.epoch === recovered, 10_000), `both recovered to ${recovered} (at ${known.epoch}, ${thread.epoch})`);
    await new Promise((r) => setTimeout(r, 1500)); // periodic checks run meanwhile
    assert.equal(known.epoch, recovered);
    assert.equal(await thread.compact(), recovered + 1, 'the next compaction is one epoch on');
    post(writer, thread, { body: 'after the attack' });
    assert.ok(await until(() => known.epoch === recovered + 1 && posts(known).some((p) => p.body === 'after the attack'), 10_000), 'the reader follows the honest epoch');

    // A device new to the thread takes the newest epoch with a snapshot, but never one at or above 2^31.
    const fresh = client('fresh');
    opened.push(fresh);
    const late = await fresh.open(caps.read);
    assert.ok(await until(() => late.epoch > 0, 10_000));
    await new Promise((r) => setTimeout(r, 1000));
    assert.ok(late.epoch <= MAX_OPEN_EPOCH, `fresh device at epoch ${late.epoch}`);
  } finally {
    for (const c of opened) await c.close();
    await relay.close();
  }
});
