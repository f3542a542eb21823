import { test } from 'vitest';
import assert from 'node:assert/strict';
import { generateIdentity, initSodium } from '#shared';
import { BatonClient } from '#client-core/client.ts';
import { MemoryStore } from '#client-core/store.ts';
import { createBoard, createThread, openThread, post, posts } from '#client-core/boards.ts';
import { startRelay } from '#server/index.ts';
import { startCensorProxy } from '../scenario/censor-proxy.ts';
import { NodeWS, until } from './client-fixtures.ts';

await initSodium();


test('where WebSockets are blocked and HTTP passes, a client syncs by polling', async () => {
  const relay = await startRelay({ host: '127.0.0.1', port: 0, log: () => {} });
  const proxy = await startCensorProxy({ host: '127.0.0.1', port: relay.port });
  proxy.setMode({ kind: 'block-websocket' });
    const censored = new BatonClient({ store: new MemoryStore(), identity: generateIdentity(), name: 'inside', connection: { WebSocket: NodeWS, maxBackoffMs: 100, pollMs: 150 } });
  const free = new BatonClient({ store: new MemoryStore(), identity: generateIdentity(), name: 'outside', connection: { WebSocket: NodeWS } });
  try {
    const { board, caps } = await createBoard(censored, { title: 'Behind the wall', relays: [proxy.url] });
    const { thread, id } = await createThread(censored, board, { title: 'News', body: 'posted over HTTP' });
    assert.ok(await until(() => board.outbox().length === 0 && thread.outbox().length === 0), 'HTTP receipts cover the writes');
    const [status] = thread.statuses();
    assert.equal(status!.transport, 'http');
    assert.equal(status!.state, 'synced');

    // The same board, read over a WebSocket straight to the relay.
    const outsideBoard = await free.open(caps.write.replace(/\?relays=.*/, `?relays=${encodeURIComponent(relay.url)}`));
    assert.ok(await until(() => outsideBoard.children.has(id)));
    const outsideThread = await openThread(free, outsideBoard, id);
    assert.ok(await until(() => posts(outsideThread).length === 1));
    post(free, outsideThread, { body: 'answered over WebSocket' });
    assert.ok(await until(() => posts(thread).length === 2), 'polling brings the answer in');
    assert.deepEqual(posts(thread).map((p) => [p.name, p.body, p.verified]), [
      ['inside', 'posted over HTTP', true],
      ['outside', 'answered over WebSocket', true],
    ]);
  } finally {
    await censored.close();
    await free.close();
    await proxy.close();
    await relay.close();
  }
});
