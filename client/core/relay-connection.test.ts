import { test } from 'vitest';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { CloseCode, createSpace, generateIdentity, initSodium } from '#shared';
import { Space } from './space.ts';
import { MemoryStore } from './store.ts';

await initSodium();

const NodeWS = WebSocket as unknown as typeof globalThis.WebSocket;

async function settle(space: Space, done: (state: string) => boolean, ms = 5000): Promise<string> {
  const deadline = Date.now() + ms;
  while (!done(space.statuses()[0]!.state) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  return space.statuses()[0]!.state;
}

test('a relay that refuses us (4403) reads refused, and is not retried', async () => {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await once(wss, 'listening');
  let connections = 0;
  wss.on('connection', (socket) => {
    connections++;
    socket.close(CloseCode.forbidden, 'forbidden');
  });
  const space = await Space.open(createSpace('thread'), { store: new MemoryStore(), identity: generateIdentity(), connection: { WebSocket: NodeWS, maxBackoffMs: 50 } });
  space.connect([`http://127.0.0.1:${(wss.address() as { port: number }).port}`]);
  assert.equal(await settle(space, (s) => s === 'refused'), 'refused');
  assert.equal(space.statuses()[0]!.refused, 'connection');
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(connections, 1, 'no reconnect after a deliberate refusal');
  assert.match(space.statuses()[0]!.lastError!, /refused the connection \(4403\)/);
  await space.close();
  wss.close();
});

test('a relay that answers nothing, on any transport, goes from connecting to unreachable, with the time it stopped answering', async () => {
  // A port that accepts TCP and closes at once: WebSocket and HTTP both fail.
  const server = createServer((socket) => socket.destroy());
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const seen = new Set<string>();
  const space = await Space.open(createSpace('thread'), { store: new MemoryStore(), identity: generateIdentity(), connection: { WebSocket: NodeWS, maxBackoffMs: 40, pollMs: 40 } });
  space.subscribe(() => seen.add(space.statuses()[0]?.state ?? ''));
  const before = Date.now();
  space.connect([`http://127.0.0.1:${(server.address() as { port: number }).port}`]);
  assert.equal(await settle(space, (s) => s === 'unreachable'), 'unreachable');
  assert.ok(seen.has('connecting'), [...seen].join());
  const status = space.statuses()[0]!;
  assert.ok(status.failures >= 2 && status.since !== null && status.since >= before && status.since <= Date.now(), JSON.stringify(status));
  await space.close();
  server.close();
});

test('messages of unknown types are counted as refused, silently', async () => {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await once(wss, 'listening');
  wss.on('connection', (socket) => {
    socket.on('message', () => {});
    for (const type of [7, 99, 102, 300]) socket.send(new Uint8Array([...(type > 127 ? [0x80 | (type & 0x7f), type >> 7] : [type]), 1, 2, 3]));
  });
  const printed: unknown[] = [];
  const error = console.error;
  console.error = (...args: unknown[]) => void printed.push(args);
  const space = await Space.open(createSpace('thread'), { store: new MemoryStore(), identity: generateIdentity(), connection: { WebSocket: NodeWS } });
  try {
    space.connect([`http://127.0.0.1:${(wss.address() as { port: number }).port}`]);
    const deadline = Date.now() + 5000;
    while (space.statuses()[0]!.rejected < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(space.statuses()[0]!.rejected, 4);
    assert.deepEqual(printed, []);
  } finally {
    console.error = error;
    await space.close();
    for (const c of wss.clients) c.terminate();
    wss.close();
  }
});
