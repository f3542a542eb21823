// A hostile relay's message whose type number cannot even be read (an overflowing varint)
// is refused like any bad message: it must not escape the socket handler, where in Node it
// would be an uncaught exception ending the process. The client keeps syncing elsewhere.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'vitest';
import { WebSocketServer } from 'ws';
import { generateIdentity, initSodium } from '#shared';
import { BatonClient } from '#client-core/client.ts';
import { MemoryStore } from '#client-core/store.ts';
import { createBoard } from '#client-core/boards.ts';
import { startRelay } from '#server/index.ts';
import { NodeWS, until } from './client-fixtures.ts';

await initSodium();

test('an unreadable message from a relay is counted as refused, not thrown', async () => {
  const hostile = http.createServer((_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({ server: hostile });
  wss.on('connection', (ws) => {
    ws.on('error', () => {});
    ws.send(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]));
    ws.send(new Uint8Array([0x80]));
  });
  await new Promise<void>((resolve) => hostile.listen(0, '127.0.0.1', resolve));
  const hostileUrl = `http://127.0.0.1:${(hostile.address() as AddressInfo).port}`;
  const honest = await startRelay({ host: '127.0.0.1', port: 0, log: () => {} });
  const client = new BatonClient({ store: new MemoryStore(), identity: generateIdentity(), name: 'x', relays: [hostileUrl, honest.url], connection: { WebSocket: NodeWS } });
  try {
    const { board } = await createBoard(client, { title: 'Still here', relays: [] });
    const fromHostile = () => board.statuses().find((s) => s.relay === hostileUrl)!;
    assert.ok(await until(() => fromHostile().rejected >= 2), 'both unreadable messages were refused');
    assert.match(fromHostile().lastError ?? '', /^sent invalid data: an unreadable message/);
    assert.ok(await until(() => board.outbox().length === 0), 'the honest relay confirms the board');
  } finally {
    await client.close();
    await honest.close();
    for (const ws of wss.clients) ws.terminate();
    wss.close();
    await new Promise((resolve) => hostile.close(resolve));
  }
});
