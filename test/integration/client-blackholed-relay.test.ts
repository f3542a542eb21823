import { test } from 'vitest';
import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import { once } from 'node:events';
import { generateIdentity, initSodium } from '#shared';
import { BatonClient } from '#client-core/client.ts';
import { MemoryStore } from '#client-core/store.ts';
import { capabilitiesOf, createBoard, createThread, posts } from '#client-core/boards.ts';
import { startRelay } from '#server/index.ts';
import { NodeWS, until } from './client-fixtures.ts';

await initSodium();

test('a fresh device does not wait for a black-holed relay before its first sync', async () => {
  const relay = await startRelay({ host: '127.0.0.1', port: 0, log: () => {} });
  // Accepts connections and never answers: what a censor's black hole looks like.
  const sockets = new Set<Socket>();
  const hole = createServer((s) => {
    sockets.add(s);
    s.on('error', () => {});
  });
  hole.listen(0, '127.0.0.1');
  await once(hole, 'listening');
  const blackHoled = `http://127.0.0.1:${(hole.address() as { port: number }).port}`;
  const writer = new BatonClient({ store: new MemoryStore(), identity: generateIdentity(), name: 'w', connection: { WebSocket: NodeWS } });
  const reader = new BatonClient({ store: new MemoryStore(), identity: generateIdentity(), name: 'r', connection: { WebSocket: NodeWS } });
  try {
    const { board } = await createBoard(writer, { title: 'Held', relays: [relay.url] });
    const { thread } = await createThread(writer, board, { title: 'T', body: 'here already' });
    assert.ok(await until(() => thread.outbox().length === 0));
    const cap = capabilitiesOf(thread, [blackHoled]).read;
    const t0 = Date.now();
    const opened = await reader.open(cap);
    assert.ok(opened.relays().includes(blackHoled));
    assert.ok(await until(() => posts(opened).length === 1, 5000));
    const ms = Date.now() - t0;
    assert.ok(ms < 2000, `first sync after ${ms} ms (the hold is 3 s)`);
    assert.equal(opened.statuses().find((s) => s.relay === relay.url)!.state, 'synced');
  } finally {
    await reader.close();
    await writer.close();
    for (const s of sockets) s.destroy();
    hole.close();
    await relay.close();
  }
});
