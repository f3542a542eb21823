// A lying peer: a tiny fake relay that speaks the y-websocket protocol and the HTTP API but
// serves forged and malformed updates. The relay that peers with it refuses them all and
// keeps serving its own clients; nothing of the lie reaches its storage.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, it } from 'vitest';
import { WebSocketServer } from 'ws';
import * as Y from 'yjs';
import { createEnvelopeDoc, appendSealed, envelopeLog } from '#shared';
import { startRelay } from '#server/index.ts';
import { blobsOf, connectProvider, makeSpace, stopProvider, syncUpdateMessage, type TestSpace } from './relay-fixtures.ts';
import { blobsAt, sealText, writeBlobs } from './peer-fixtures.ts';
import { waitUntil } from '../support/wait.ts';

interface FakeRelay {
  url: string;
  server: Server;
  wss: WebSocketServer;
  requests: string[];
  sockets: number;
}

/** Forged updates: a blob sealed for another space, a delete, and bytes that are no update. */
function lies(room: TestSpace, other: TestSpace): Uint8Array[] {
  const forged = createEnvelopeDoc();
  appendSealed(forged, [sealText(other, 'forged for another space')]);
  const deleting = createEnvelopeDoc();
  appendSealed(deleting, [sealText(room, 'later deleted')]);
  const before = Y.encodeStateVector(deleting);
  envelopeLog(deleting).delete(0, 1);
  return [Y.encodeStateAsUpdate(forged), Y.encodeStateAsUpdate(deleting, before), new Uint8Array([7, 7, 7, 7, 200, 1, 3])];
}

async function fakeRelay(room: string, updates: Uint8Array[]): Promise<FakeRelay> {
  let mark = 0;
  let served = 0;
  const fake: FakeRelay = { url: '', server: null!, wss: null!, requests: [], sockets: 0 };
  fake.server = createServer((req, res) => {
    fake.requests.push(`${req.method} ${req.url}`);
    const path = (req.url ?? '').split('?')[0];
    if (path === '/v1/info') return void res.end(JSON.stringify({ software: 'baton', protocol: 2, limits: { maxUpdateBytes: 1 << 20 } }));
    if (path === '/v1/rooms') return void res.end(JSON.stringify({ rooms: [room, 'not a room', 42], marks: { [room]: ++mark } }));
    if (path === `/v1/rooms/${room}` && req.method === 'GET') return void res.end(updates[served++ % updates.length]);
    if (req.method === 'POST') {
      req.resume();
      return void req.on('end', () => res.end(JSON.stringify({ room, sv: 'AA', added: 0 })));
    }
    res.statusCode = 404;
    res.end('{}');
  });
  fake.wss = new WebSocketServer({ server: fake.server });
  fake.wss.on('connection', (ws) => {
    fake.sockets++;
    ws.on('error', () => {});
    for (const update of updates) ws.send(syncUpdateMessage(update));
    ws.send(new Uint8Array([0, 9, 9])); // an unknown sync step
  });
  await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
  return fake;
}

let cleanup: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
});

it('a lying peer is refused over WebSocket and HTTP and does not poison the relay', async () => {
  const space = await makeSpace();
  const other = await makeSpace();
  const fake = await fakeRelay(space.room, lies(space, other));
  cleanup.push(() => new Promise<void>((r) => { fake.wss.close(); fake.server.closeAllConnections(); fake.server.close(() => r()); }));
  const logs: string[] = [];
  const a = await startRelay({ port: 0, host: '127.0.0.1', log: (l) => logs.push(l), peers: [fake.url], peerSyncMs: 100, peerRetryMaxMs: 200 });
  cleanup.push(() => a.close());

  await writeBlobs(a, space.room, [sealText(space, 'honest')]);
  const doc = createEnvelopeDoc();
  const provider = await connectProvider(a.url, space.room, doc);
  cleanup.push(() => stopProvider(provider));
  // The relay's live link to the fake has been fed lies and HTTP rounds have pulled them.
  await waitUntil(() => fake.sockets >= 1 && fake.requests.filter((r) => r.startsWith('GET /v1/rooms/')).length >= 3, { timeoutMs: 5000, what: 'the fake to be asked' });
  const counted = (path: string) => a.counters.get(`peer.refused.${path}`);
  await waitUntil(() => counted('live') >= 1 && counted('catch-up') >= 1, { timeoutMs: 5000, what: 'refusals counted' });

  // Refusals are counted; the log sums them up in one line a minute, not one line each.
  assert.equal(logs.filter((l) => l.includes('refused')).length, 1, logs.join('\n'));
  assert.match(logs.find((l) => l.includes('refused'))!, /refused, e\.g\. .*\((live link|catch-up)\)/);
  const held = await blobsAt(a, space.room);
  assert.equal(held.length, 1, 'only the honest blob');
  assert.equal(blobsOf(doc).length, 1, 'the client saw nothing forged');
  // The relay still serves: a client's write goes through and is served back.
  appendSealed(doc, [sealText(space, 'still working')]);
  const fresh = createEnvelopeDoc();
  const second = await connectProvider(a.url, space.room, fresh);
  cleanup.push(() => stopProvider(second));
  await waitUntil(() => blobsOf(fresh).length === 2, { timeoutMs: 5000, what: 'the honest write' });
  const status = await a.peering.status();
  assert.equal(status.peers[0]?.url, fake.url);
  assert.ok(logs.every((l) => !/\b127\.0\.0\.1\b(?!:)/.test(l.replace(fake.url, ''))), 'no client addresses in logs');
});
