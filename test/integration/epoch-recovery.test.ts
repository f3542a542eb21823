// A device that missed more than MAX_EPOCH_JUMP compactions still catches up: when nothing in
// its window is left to try, it takes the lowest epoch above the window holding a valid
// snapshot (one holding none is skipped, one at 2^31 or above is never opened), then follows
// the window from there to the newest epoch.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { BlobKind, addPost, appendSealed, createEnvelopeDoc, generateIdentity, initSodium, parseCapability, roomName, sealUpdateBlob, signPost, type Capability, type SealedKind } from '#shared';
import { BatonClient } from '#client-core/client.ts';
import { MemoryStore } from '#client-core/store.ts';
import { createBoard, createThread, posts } from '#client-core/boards.ts';
import { pushRoom } from '#client-core/http-sync.ts';
import { MAX_EPOCH_JUMP, MAX_OPEN_EPOCH } from '#client-core/space.ts';
import { startRelay } from '#server/index.ts';
import { NodeWS, until } from './client-fixtures.ts';

await initSodium();

const client = (name: string, store = new MemoryStore()) =>
  new BatonClient({ store, identity: generateIdentity(), name, connection: { WebSocket: NodeWS, maxBackoffMs: 200 }, compactAfterBlobs: 10_000, compactJitterMs: 0, batchMs: 10, epochCheckMs: 500 });

/** One blob of `kind` sealed for `epoch`, holding the plaintext doc's state. */
async function publish(relay: string, cap: Capability, epoch: number, kind: SealedKind, plain: Y.Doc): Promise<void> {
  const key = { writePub: cap.writePub, epoch, readKey: cap.readKey!, writeSecret: cap.write!.secretKey };
  const author = generateIdentity();
  const env = createEnvelopeDoc();
  appendSealed(env, [(pos) => sealUpdateBlob(key, kind, author, Y.encodeStateAsUpdate(plain), pos)]);
  await pushRoom(fetch, relay, roomName(cap.spaceId, epoch), Y.encodeStateAsUpdate(env));
}

test('a device that missed more compactions than its window follows the space forward', async () => {
  const relay = await startRelay({ host: '127.0.0.1', port: 0, log: () => {} });
  const writer = client('writer');
  const readerStore = new MemoryStore();
  const opened: BatonClient[] = [writer];
  try {
    const { board } = await createBoard(writer, { title: 'b', relays: [relay.url] });
    const { thread, caps } = await createThread(writer, board, { title: 't', body: 'first' });
    assert.ok(await until(() => thread.outbox().length === 0));
    const first = client('reader', readerStore);
    opened.push(first);
    const seen = await first.open(caps.read);
    assert.ok(await until(() => seen.epoch === 0 && posts(seen).length === 1), 'the reader holds epoch 0');
    await first.close();

    // While the reader is away the space moves far ahead: the relay holds epochs past its window.
    const cap = parseCapability(caps.write);
    const plain = new Y.Doc();
    Y.applyUpdate(plain, Y.encodeStateAsUpdate(thread.plain!));
    const far = MAX_EPOCH_JUMP + 5;
    await publish(relay.url, cap, far - 2, BlobKind.update, plain); // no snapshot: skipped
    addPost(plain, signPost(generateIdentity(), { threadSpaceId: cap.spaceId, name: 'w', body: 'far ahead' }));
    await publish(relay.url, cap, far, BlobKind.snapshot, plain);
    addPost(plain, signPost(generateIdentity(), { threadSpaceId: cap.spaceId, name: 'w', body: 'newest' }));
    await publish(relay.url, cap, far + 40, BlobKind.snapshot, plain);
    await publish(relay.url, cap, 2 ** 31, BlobKind.snapshot, plain); // never opened

    const again = client('reader', readerStore);
    opened.push(again);
    const known = await again.open(caps.read);
    assert.equal(known.epoch, 0);
    await known.refreshEpochs();
    assert.ok(await until(() => known.epoch === far + 40, 15_000), `the reader reached the newest epoch (at ${known.epoch})`);
    assert.ok(posts(known).some((p) => p.body === 'newest'));
    assert.ok(known.epoch <= MAX_OPEN_EPOCH);
  } finally {
    for (const c of opened) await c.close();
    await relay.close();
  }
});
