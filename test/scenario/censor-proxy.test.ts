// The censor itself must do what the scenarios assume, against a real HTTP server.
import assert from 'node:assert/strict';
import http from 'node:http';
import { afterAll, beforeAll, test } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { startCensorProxy, type CensorProxy } from './censor-proxy.ts';

let server: http.Server;
let proxy: CensorProxy;

beforeAll(async () => {
  server = http.createServer((_req, res) => res.end('hello'));
  const wss = new WebSocketServer({ server });
  wss.on('connection', (ws) => ws.send('welcome'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  proxy = await startCensorProxy({ host: '127.0.0.1', port });
});

afterAll(async () => {
  await proxy.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const get = (url: string, ms = 1000) => fetch(url, { signal: AbortSignal.timeout(ms) }).then((r) => r.text());
const wsMessage = (url: string, ms = 1000) =>
  new Promise<string>((resolve, reject) => {
    const ws = new WebSocket(url.replace('http', 'ws'));
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error('timeout'));
    }, ms);
    ws.on('message', (data) => {
      clearTimeout(timer);
      ws.close();
      resolve(String(data));
    });
    ws.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });

test('pass lets HTTP and WebSockets through', async () => {
  proxy.setMode({ kind: 'pass' });
  assert.equal(await get(proxy.url), 'hello');
  assert.equal(await wsMessage(proxy.url), 'welcome');
});

test('refuse resets connections', async () => {
  proxy.setMode({ kind: 'refuse' });
  await assert.rejects(get(proxy.url));
});

test('blackhole never answers', async () => {
  proxy.setMode({ kind: 'blackhole' });
  await assert.rejects(get(proxy.url, 300), /abort|timeout/i);
});

test('block-websocket passes HTTP but refuses upgrades', async () => {
  proxy.setMode({ kind: 'block-websocket' });
  assert.equal(await get(proxy.url), 'hello');
  await assert.rejects(wsMessage(proxy.url), /403/);
});

test('throttle slows a transfer to its budget', async () => {
  proxy.setMode({ kind: 'throttle', bytesPerSecond: 2000 });
  const started = Date.now();
  // The request (~80 bytes) and response (~100 bytes) cost about 90 ms at 2000 B/s.
  assert.equal(await get(proxy.url, 3000), 'hello');
  assert.ok(Date.now() - started >= 60, `took ${Date.now() - started} ms`);
  proxy.setMode({ kind: 'pass' });
});
