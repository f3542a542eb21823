// A hostile relay sends the client one WebSocket message over the per-message cap. The client
// must refuse it without handing it to y-websocket or the validator, drop the connection,
// and still sync from the next one.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import * as Y from 'yjs';
import WebSocket, { WebSocketServer } from 'ws';
import { createEnvelopeDoc, createSpace, envelopeLog, generateIdentity, initSodium, MAX_RECEIVED_MESSAGE_BYTES, writeSyncStep2 } from '#shared';
import { Space } from '#client-core/space.ts';
import { MemoryStore } from '#client-core/store.ts';
import { holdsWithin } from '../support/wait.ts';

await initSodium();

const MiB = 1024 * 1024;

/** Waits for `done` at most 10 s; what follows asserts on the outcome. */
const until = (done: () => boolean): Promise<boolean> => holdsWithin(done, { timeoutMs: 10_000 });

test('Node client: a frame announcing 1 GiB is refused from its header; the relay gets nowhere near the cap out', async () => {
  // A relay that accepts the upgrade by hand, then starts one binary frame of 1 GiB (a sync
  // step 2 that never ends) and writes for as long as the socket takes it.
  const written: number[] = [];
  const hungUp: boolean[] = [];
  const relay = createServer((_req, res) => res.writeHead(404).end());
  relay.on('upgrade', (req, socket: Socket) => {
    const accept = createHash('sha1').update(`${req.headers['sec-websocket-key']}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    const header = Buffer.alloc(10);
    header[0] = 0x82; // final frame, binary
    header[1] = 127; // 64-bit length follows
    header.writeBigUInt64BE(1n << 30n, 2);
    const at = written.push(0) - 1;
    hungUp.push(false);
    socket.on('error', () => {});
    socket.on('close', () => (hungUp[at] = true));
    socket.write(Buffer.concat([header, Buffer.from([0, 1, 0x80, 0x80, 0x80, 0x80, 0x04])]));
    const chunk = new Uint8Array(64 * 1024);
    const pump = () => {
      while (!socket.destroyed && socket.write(chunk)) written[at]! += chunk.length;
    };
    socket.on('drain', pump);
    pump();
  });
  relay.listen(0, '127.0.0.1');
  await once(relay, 'listening');
  const space = await Space.open(createSpace('thread'), {
    store: new MemoryStore(),
    identity: generateIdentity(),
    connection: { WebSocket: WebSocket as unknown as typeof globalThis.WebSocket, maxBackoffMs: 5000 },
  });
  try {
    space.connect([`http://127.0.0.1:${(relay.address() as AddressInfo).port}`]);
    await until(() => space.statuses()[0]!.rejected >= 1 && hungUp[0] === true);
    const status = space.statuses()[0]!;
    console.log(`a 1 GiB frame: refused after the relay wrote ${(written[0]! / MiB).toFixed(2)} MiB`);
    assert.ok(status.rejected >= 1, 'the message was refused');
    assert.equal(hungUp[0], true, 'the client dropped the connection');
    assert.ok(written[0]! < MAX_RECEIVED_MESSAGE_BYTES, `the relay got ${(written[0]! / MiB).toFixed(1)} MiB out`);
    assert.equal(envelopeLog(space.envelope).length, 0);
  } finally {
    await space.close();
    relay.closeAllConnections();
    relay.close();
  }
});

/** A WebSocket that ignores options, as a browser's does: it hands over whole messages of any size. */
class BrowserLikeWebSocket extends WebSocket {
  constructor(url: string | URL, protocols?: string | string[]) {
    super(url, protocols, { maxPayload: 256 * MiB });
  }
}

test('browser-like client: a whole message one byte over the cap is refused unread; the next connection syncs', async () => {
  const huge = new Uint8Array(MAX_RECEIVED_MESSAGE_BYTES + 1);
  huge.set(writeSyncStep2(new Uint8Array(0)).subarray(0, 2)); // a sync step 2 by its first bytes
  const honest = Y.encodeStateAsUpdate(createEnvelopeDoc());
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload: 4 * MiB });
  await once(wss, 'listening');
  let connections = 0;
  wss.on('connection', (socket) => {
    socket.on('error', () => {});
    socket.send(++connections === 1 ? huge : writeSyncStep2(honest));
  });
  const space = await Space.open(createSpace('thread'), {
    store: new MemoryStore(),
    identity: generateIdentity(),
    connection: { WebSocket: BrowserLikeWebSocket as unknown as typeof globalThis.WebSocket, maxBackoffMs: 200 },
  });
  try {
    space.connect([`http://127.0.0.1:${(wss.address() as AddressInfo).port}`]);
    await until(() => space.statuses()[0]!.state === 'bad-data' && connections >= 2 && /sent invalid data/.test(space.statuses()[0]!.lastError ?? ''));
    const status = space.statuses()[0]!;
    assert.equal(status.rejected, 1);
    // Synced on the second connection, but shown as failing: it sent something refused.
    assert.equal(status.state, 'bad-data');
    assert.equal(status.lastError, `sent invalid data: a message over the cap (${huge.length} bytes)`);
    assert.equal(envelopeLog(space.envelope).length, 0);
  } finally {
    await space.close();
    for (const c of wss.clients) c.terminate();
    wss.close();
  }
});
