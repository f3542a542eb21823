// A thread's sealed first screen in a real data directory: written by the client while the
// thread is open and when it closes, read back by the next process before the thread loads,
// and never readable from the directory alone.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatCapability, generateIdentity, initSodium, parseCapability, withRelays } from '#shared';
import { BatonClient } from '#client-core/client.ts';
import { MemoryStore } from '#client-core/store.ts';
import { createBoard, createThread, newestPosts, post, posts } from '#client-core/boards.ts';
import { PREVIEW_POSTS } from '#client-core/preview.ts';
import { openNodeClient } from '#client-node';
import { startRelay } from '#server/index.ts';
import { NodeWS, until } from './client-fixtures.ts';

await initSodium();

function filesUnder(dir: string): Buffer[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => readFileSync(join(e.parentPath, e.name)));
}

test('a reopened thread shows its newest posts from the sealed preview before it loads', async () => {
  const relay = await startRelay({ host: '127.0.0.1', port: 0, log: () => {} });
  const dataDir = mkdtempSync(join(tmpdir(), 'baton-preview-'));
  const marker = `marker-${randomBytes(8).toString('hex')}`;
  const writer = new BatonClient({ store: new MemoryStore(), identity: generateIdentity(), name: 'Writer', connection: { WebSocket: NodeWS }, batchMs: 5 });
  const readers: BatonClient[] = [];
  /** A reader on the data directory; closing twice is harmless, so a failure still closes it. */
  const reader = async () => {
    const client = await openNodeClient({ dataDir, name: 'Reader' });
    readers.push(client);
    return client;
  };
  try {
    const { board, caps: boardCaps } = await createBoard(writer, { title: 'Relays', relays: [relay.url] });
    const { thread, caps } = await createThread(writer, board, { title: `Blocked hosts ${marker}` });
    for (let i = 0; i < 70; i++) post(writer, thread, { body: `${marker} post ${i}` });
    assert.ok(await until(() => thread.outbox().length === 0));

    const first = await reader();
    assert.equal(await first.preview(caps.read), null, 'nothing on this device yet');
    const reading = await first.open(caps.read);
    assert.ok(await until(() => posts(reading).length === 70));
    // Posts written in one loop share milliseconds; their order is by time, then id.
    const newest = newestPosts(reading, PREVIEW_POSTS);
    await first.close(); // writes the preview

    const second = await reader();
    const preview = await second.preview(caps.read);
    assert.ok(preview, 'the next process reads a preview');
    assert.equal(preview.title, `Blocked hosts ${marker}`);
    assert.deepEqual(preview.posts, newest);
    assert.ok(preview.posts.every((p) => p.verified && p.name === 'Writer'));
    assert.deepEqual(await second.preview(caps.write), preview, 'the write capability reads it too');
    assert.equal(await second.preview(boardCaps.read), null, 'a board has no preview');
    const mirror = formatCapability(withRelays(parseCapability(caps.read), []), 'mirror');
    assert.equal(await second.preview(mirror), null, 'a mirror capability cannot read one');

    // Open, it matches the loaded thread; a post arriving while open is in the next preview.
    const again = await second.open(caps.read);
    assert.deepEqual(preview.posts, newestPosts(again, PREVIEW_POSTS));
    post(writer, thread, { body: `${marker} late` });
    assert.ok(await until(() => newestPosts(again, 1)[0]?.body === `${marker} late`));
    await second.close();
    const third = await reader();
    assert.equal((await third.preview(caps.read))!.posts.at(-1)!.body, `${marker} late`);
    await third.close();

    for (const bytes of filesUnder(dataDir)) assert.equal(bytes.indexOf(marker), -1, 'no plaintext in the data directory');
  } finally {
    for (const r of readers) await r.close();
    await writer.close();
    await relay.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
