import { test } from 'vitest';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import WebSocket, { WebSocketServer } from 'ws';
import { guardedWebSocket } from './guarded-socket.ts';

/** A WebSocket that ignores options, as a browser's does: no cap of ours until a message is whole. */
class BrowserLikeWebSocket extends WebSocket {
  constructor(url: string | URL, protocols?: string | string[]) {
    super(url, protocols);
  }
}

const CAP = 1000;

/** Connects a guarded socket to a relay that sends these sizes, and records what passes. */
async function receive(WS: new (url: string, protocols?: string | string[]) => WebSocket, sizes: number[], handler?: (size: number) => void) {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await once(wss, 'listening');
  wss.on('connection', (socket) => {
    socket.on('error', () => {});
    for (const size of sizes) socket.send(new Uint8Array(size));
  });
  const tooLarge: Array<number | null> = [];
  const unreadable: unknown[] = [];
  const Guarded = guardedWebSocket(WS as unknown as typeof globalThis.WebSocket, { onTooLarge: (b) => tooLarge.push(b), onUnreadable: (e) => unreadable.push(e) }, CAP);
  const socket = new Guarded(`ws://127.0.0.1:${(wss.address() as { port: number }).port}`);
  socket.binaryType = 'arraybuffer';
  const passed: number[] = [];
  socket.onmessage = (event: MessageEvent) => {
    passed.push((event.data as ArrayBuffer).byteLength);
    handler?.((event.data as ArrayBuffer).byteLength);
  };
  const closed = new Promise<number>((resolve) => socket.addEventListener('close', (e) => resolve(e.code)));
  const timer = setTimeout(() => socket.close(), 3000); // in case nothing is refused
  await closed;
  clearTimeout(timer);
  wss.close();
  return { passed, tooLarge, unreadable };
}

test('Node (ws): a frame over the cap is refused from its header, and the socket dropped', async () => {
  const { passed, tooLarge } = await receive(WebSocket, [100, CAP, CAP + 1, 10]);
  assert.deepEqual(passed, [100, CAP]);
  assert.deepEqual(tooLarge, [null]);
});

test('a browser-like socket: a message over the cap is refused unread, and the socket dropped', async () => {
  const { passed, tooLarge } = await receive(BrowserLikeWebSocket, [100, CAP, CAP + 1, 10]);
  assert.deepEqual(passed, [100, CAP]);
  assert.deepEqual(tooLarge, [CAP + 1]);
});

test('a handler that throws on a message is reported, and the next message still arrives', async () => {
  const { passed, unreadable, tooLarge } = await receive(WebSocket, [1, 2, CAP + 1], (size) => {
    if (size === 1) throw new RangeError('unreadable');
  });
  assert.deepEqual(passed, [1, 2]);
  assert.equal(unreadable.length, 1);
  assert.deepEqual(tooLarge, [null]);
});
