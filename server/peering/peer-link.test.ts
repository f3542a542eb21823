// One peer link between a registry over a real SQLite file and remotes on loopback ports: a
// real relay, a port nobody listens on, and a server that speaks another protocol.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, it } from 'vitest';
import { initSodium, parseRoomName } from '#shared';
import { blobsAt, writeBlobs } from '#test/integration/peer-fixtures.ts';
import { freePort } from '#test/support/ports.ts';
import { nameOf, openRegistry, writer, type RegistryParts } from '#test/support/relay-parts.ts';
import { testIdentity, testRoom, testUpdate } from '#test/support/rooms.ts';
import { waitUntil } from '#test/support/wait.ts';
import type { RelayOptions } from '../config.ts';
import { startRelay } from '../index.ts';
import { Counters } from '../metrics/counters.ts';
import { PeerLink } from './peer-link.ts';

await initSodium();
const author = testIdentity(5);
const thread = testRoom(30);
const room = nameOf(thread);

const cleanup: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const undo of cleanup.splice(0).reverse()) await undo();
});

async function localRegistry(options: RelayOptions = {}): Promise<RegistryParts> {
  const parts = await openRegistry({ peerSyncMs: 100, peerRetryMaxMs: 200, ...options });
  cleanup.push(() => parts.close());
  return parts;
}

function linkTo(url: string, parts: RegistryParts, counters = new Counters()): PeerLink {
  const link = new PeerLink(url, { kind: 'peer' }, parts.registry, parts.config, counters);
  cleanup.push(() => link.close());
  return link;
}

it('catches up both ways over HTTP: what the remote holds comes in, what was written here goes out', async () => {
  const remote = await startRelay({ host: '127.0.0.1', port: 0, verify: 'inline', log: () => {} });
  cleanup.push(() => remote.close());
  await writeBlobs(remote, room, [testUpdate(thread, author, 'there', '1')]);
  const parts = await localRegistry();
  const local = testRoom(31);
  const written = await parts.registry.with(parseRoomName(nameOf(local))!, async (r) => {
    const result = await r.receiveVerified(writer()([testUpdate(local, author, 'here', '1')]), null);
    await parts.registry.durable(r);
    return result;
  });
  assert.ok(written.ok);
  const link = linkTo(remote.url, parts);
  link.start();
  await waitUntil(async () => (await parts.registry.listRooms()).includes(room), { what: 'the remote room to arrive', timeoutMs: 10_000 });
  await waitUntil(async () => (await blobsAt(remote, nameOf(local))).length === 1, { what: 'the local room to reach the remote', timeoutMs: 10_000 });
  assert.ok(link.reachable);
  assert.equal(link.lastError, null);
  assert.equal(link.roomList, true);
  assert.ok(link.rooms.get(room)?.lastSyncAt, 'the room\'s state is kept for the status');
});

it('a remote that does not answer is marked unreachable', async () => {
  const parts = await localRegistry();
  const url = `http://127.0.0.1:${await freePort()}`;
  const link = linkTo(url, parts);
  link.start();
  await waitUntil(() => link.lastError !== null, { what: 'the first failure' });
  assert.equal(link.reachable, false);
});

it('a failing remote is retried with backoff, its error logged once however often it fails', async () => {
  const asked: number[] = [];
  const server: Server = createServer((_req, res) => {
    asked.push(Date.now());
    res.writeHead(503, { 'Content-Type': 'application/json' }).end('{"error":"internal","message":"down"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup.push(() => new Promise((resolve) => server.close(resolve)));
  const parts = await localRegistry();
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const link = linkTo(url, parts);
  link.start();
  await waitUntil(() => asked.length >= 4, { what: 'four attempts', timeoutMs: 10_000 });
  assert.equal(link.reachable, false);
  assert.equal(parts.logs.filter((line) => line.startsWith(`peer: ${url} unavailable`)).length, 1, parts.logs.join('\n'));
});

it('a remote of another protocol is not retried, and its live links are not opened', async () => {
  let requests = 0;
  const server: Server = createServer((_req, res) => {
    requests++;
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ software: 'baton', protocol: 1, limits: {} }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup.push(() => new Promise((resolve) => server.close(resolve)));
  const parts = await localRegistry();
  const link = linkTo(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, parts);
  link.start();
  await waitUntil(() => link.lastError !== null, { what: 'the protocol check' });
  assert.match(link.lastError!, /speaks protocol 1.*not retried/);
  const asked = requests;
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(requests, asked, 'no request after the refusal');
  const loaded = await parts.registry.acquire(parseRoomName(room)!);
  link.joined(loaded, { send: () => {} });
  assert.equal(link.live.size, 0);
  parts.registry.release(loaded);
});

it('refused updates from the remote are counted and stop nothing else', async () => {
  const remote = await startRelay({ host: '127.0.0.1', port: 0, verify: 'inline', log: () => {} });
  cleanup.push(() => remote.close());
  await writeBlobs(remote, room, [testUpdate(thread, author, 'a', '1')]);
  // The local relay takes smaller blobs than the remote holds: what it pulls is refused.
  const parts = await localRegistry({ limits: { maxBlobBytes: 64 } });
  const counters = new Counters();
  const link = linkTo(remote.url, parts, counters);
  link.start();
  await waitUntil(() => counters.get('peer.refused.catch-up') > 0, { what: 'a refusal', timeoutMs: 10_000 });
  assert.ok((link.rooms.get(room)?.refused ?? 0) > 0);
  assert.equal(link.reachable, true, 'a refusal is not an outage');
  assert.ok(parts.logs.some((line) => line.includes('that were refused')), parts.logs.join('\n'));
});
