// Delivery as the client core says it: a post returns the blobs it sealed, whenDelivered and
// whenSynced resolve from receipts and relay states (or give up on time, on abort, or when no
// relay can be reached), and with persistFirst a relay never confirms what the store does not hold.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateIdentity, initSodium, type RoomName } from '#shared';
import { BatonClient, ClientError, MemoryStore, TrackedStore, boards } from '#client-core';
import { FileStore } from '#client-node/file-store.ts';
import { openNodeClient } from '#client-node';
import { startRelay } from '#server/index.ts';
import { NodeWS } from './client-fixtures.ts';

await initSodium();

/** A store whose appends land only after a while. */
class SlowStore extends MemoryStore {
  override async append(room: RoomName, update: Uint8Array): Promise<void> {
    await new Promise((r) => setTimeout(r, 300));
    await super.append(room, update);
  }
  async holds(room: RoomName): Promise<number> {
    return (await this.load(room)).updates.length;
  }
}

const isCode = (code: string) => (e: unknown) => e instanceof ClientError && e.code === code;

test('a post says which blobs it sealed; whenDelivered resolves once a receipt covers them, never before the store holds them', async () => {
  const relay = await startRelay({ host: '127.0.0.1', port: 0, log: () => {} });
  const store = new SlowStore();
  const client = new BatonClient({ store, identity: generateIdentity(), name: 'w', connection: { WebSocket: NodeWS, maxBackoffMs: 200 }, persistFirst: true });
  try {
    const { board } = await boards.createBoard(client, { title: 'Delivery', relays: [relay.url] });
    const { thread } = await boards.createThread(client, board, { title: 'T' });
    assert.deepEqual(await thread.whenSynced({ timeoutMs: 8000 }), [relay.url]);
    const { id, written } = boards.post(client, thread, { body: 'sealed, stored, then sent' });
    assert.match(id, /^[\w-]{22}$/);
    assert.equal(written.room, thread.room);
    assert.equal(written.blobs.length, 1);
    const blob = written.blobs[0]!;
    assert.deepEqual(thread.localWrites().at(-1), { ...blob, relays: [] }, 'the write is the newest local one, not yet confirmed');
    const stored = await store.holds(thread.room);
    assert.deepEqual(await thread.whenDelivered(written, { timeoutMs: 8000 }), [relay.url]);
    // The slow store's append takes 300 ms; the receipt on loopback would come in a few without persistFirst.
    assert.ok((await store.holds(thread.room)) > stored, 'the store held the post before the relay confirmed it');
    assert.deepEqual(thread.confirmedBy(written), [relay.url]);
    assert.deepEqual(thread.confirmedBy(blob), [relay.url], 'a bare blob id is looked up in the current epoch');
    assert.deepEqual(await thread.whenDelivered(undefined, { timeoutMs: 8000 }), [relay.url], 'the outbox is empty');
    assert.deepEqual(await thread.whenDelivered(thread.flush(), { timeoutMs: 100 }), [relay.url], 'a flush that sealed nothing has nothing to wait for');
    assert.equal(thread.outbox().length, 0);
  } finally {
    await client.close();
    await relay.close();
  }
});

test('waits give up on time, on abort, or once no relay can be reached', async () => {
  const dead = 'http://127.0.0.1:9'; // nothing listens on the discard port
  const client = new BatonClient({
    store: new MemoryStore(),
    identity: generateIdentity(),
    name: 'w',
    connection: { WebSocket: NodeWS, maxBackoffMs: 100, wsFailuresBeforeHttp: 1 },
  });
  try {
    const { board } = await boards.createBoard(client, { title: 'Nowhere', relays: [dead] });
    const { thread } = await boards.createThread(client, board, { title: 'T' });
    const { written } = boards.post(client, thread, { body: 'queued' });
    await assert.rejects(thread.whenDelivered(written, { timeoutMs: 100 }), isCode('timeout'));
    const abort = new AbortController();
    const waiting = thread.whenDelivered(written, { signal: abort.signal });
    abort.abort();
    await assert.rejects(waiting, isCode('aborted'));
    await assert.rejects(thread.whenSynced({ signal: abort.signal }), isCode('aborted'), 'an aborted signal ends a wait before it starts');
    assert.deepEqual(await thread.whenDelivered(written, { timeoutMs: 20_000, untilUnreachable: true }), [], 'no relay could be reached');
    assert.deepEqual(await thread.whenSynced({ timeoutMs: 20_000 }), []);
    assert.deepEqual(thread.confirmedBy(written), []);
    assert.equal(thread.outbox().length > 0, true, 'the post stays queued');
  } finally {
    await client.close();
  }
});

test('a Node client sends only what its files hold, and keeps its record of signature checks', async () => {
  const relay = await startRelay({ host: '127.0.0.1', port: 0, log: () => {} });
  const dataDir = mkdtempSync(join(tmpdir(), 'baton-delivery-'));
  try {
    const client = await openNodeClient({ dataDir, name: 'n', onProblem: () => {} });
    try {
      assert.ok(client.store instanceof TrackedStore, 'persist-first is on in Node');
      assert.ok(client.store.verification, "the file store's verification cache is still used through it");
      const { board } = await boards.createBoard(client, { title: 'On disk', relays: [relay.url] });
      const { thread } = await boards.createThread(client, board, { title: 'T' });
      const { written } = boards.post(client, thread, { body: 'in the file first' });
      assert.deepEqual(await thread.whenDelivered(written, { timeoutMs: 8000 }), [relay.url]);
      const onDisk = await new FileStore(dataDir).load(thread.room);
      assert.ok(onDisk.updates.length > 0, 'what a relay confirmed is in the room file');
    } finally {
      await client.close();
    }
  } finally {
    await relay.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
