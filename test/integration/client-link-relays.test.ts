// A board link that names a relay the client did not know joins that relay to the board
// and to the board's threads already open, so a reader cut off from the old relay keeps
// reading every thread through the new one.
import assert from 'node:assert/strict';
import { test } from 'vitest';
import { formatCapability, generateIdentity, initSodium, parseCapability, withRelays } from '#shared';
import { BatonClient } from '#client-core/client.ts';
import { MemoryStore } from '#client-core/store.ts';
import { createBoard, createThread, listThreads, openThread, post, posts } from '#client-core/boards.ts';
import { startRelay } from '#server/index.ts';
import { NodeWS, until } from './client-fixtures.ts';

await initSodium();

test("a relay named by a board link is used by the board's open threads too", async () => {
  const old = await startRelay({ host: '127.0.0.1', port: 0, log: () => {} });
  const fresh = await startRelay({ host: '127.0.0.1', port: 0, log: () => {} });
  const writer = new BatonClient({ store: new MemoryStore(), identity: generateIdentity(), name: 'writer', relays: [old.url, fresh.url], connection: { WebSocket: NodeWS } });
  const reader = new BatonClient({ store: new MemoryStore(), identity: generateIdentity(), name: 'reader', connection: { WebSocket: NodeWS } });
  let oldClosed = false;
  try {
    const { board, caps } = await createBoard(writer, { title: 'Links', relays: [] });
    const { thread, id } = await createThread(writer, board, { title: 'Open already', body: 'one' });
    const onOld = formatCapability(withRelays(parseCapability(caps.read), [old.url]));
    const readerBoard = await reader.open(onOld);
    assert.ok(await until(() => listThreads(readerBoard).length === 1));
    const readerThread = await openThread(reader, readerBoard, id);
    assert.ok(await until(() => posts(readerThread).length === 1));
    assert.deepEqual(readerThread.relays(), [old.url]);

    // The old relay goes away; a link naming the new one arrives and is opened.
    await old.close();
    oldClosed = true;
    await reader.open(formatCapability(withRelays(parseCapability(caps.read), [fresh.url])));
    assert.ok(readerThread.relays().includes(fresh.url), 'the open thread syncs with the relay the link names');
    post(writer, thread, { body: 'two' });
    assert.ok(await until(() => posts(readerThread).length === 2), 'the post arrives through the new relay');
  } finally {
    await reader.close();
    await writer.close();
    if (!oldClosed) await old.close();
    await fresh.close();
  }
});
