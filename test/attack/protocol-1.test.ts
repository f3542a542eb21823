// Protocol 1 met in the field (docs/PROTOCOL.md §8): it is retired, not spoken. A relay on a
// data directory of protocol-1 rooms refuses to start and says how to move the data aside; a
// protocol-1 client gets one clear refusal; a protocol-1 peer is named once and not retried.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, it } from 'vitest';
import * as Y from 'yjs';
import { appendBlobs, createEnvelopeDoc, createSpace, initSodium, roomName } from '#shared';
import { startRelay } from '#server/index.ts';
import { SqliteStorage } from '#server/storage/sqlite.ts';
import { sealProtocol1Link } from '../support/craft-blob.ts';
import { rawClient, syncUpdateMessage } from '../integration/relay-fixtures.ts';
import { diskRelay, postUpdate } from './support.ts';

await initSodium();

const cleanup: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
});

/** An envelope update holding one protocol-1 link blob, as a protocol-1 writer made it. */
function protocol1Update(): { room: string; update: Uint8Array } {
  const board = createSpace('board');
  const key = { writePub: board.writePub, epoch: 0, writeSecret: board.write!.secretKey };
  const doc = createEnvelopeDoc();
  appendBlobs(doc, [sealProtocol1Link(key, createSpace('thread').writePub, new Uint8Array(24).fill(4))]);
  return { room: roomName(board.spaceId, 0), update: Y.encodeStateAsUpdate(doc) };
}

it('a relay on a data directory of protocol-1 rooms refuses to start, and says how to move the data aside', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-protocol1-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  const storage = new SqliteStorage(dir);
  const { room, update } = protocol1Update();
  await storage.append([{ room, update }]);
  await storage.close();
  await assert.rejects(startRelay({ host: '127.0.0.1', port: 0, dataDir: dir, log: () => {} }), (err: Error) => {
    assert.match(err.message, /protocol 1 rooms/);
    assert.match(err.message, new RegExp(room.slice(0, 20)));
    assert.match(err.message, /move the data aside/);
    return true;
  });
  // The refusal changed nothing: the data is still there for the operator to move.
  const again = new SqliteStorage(dir);
  assert.deepEqual(await again.listRooms(), [room]);
  await again.close();
  // An empty directory, or one of protocol 2, starts.
  const fresh = await diskRelay();
  await fresh.stop();
});

it('a protocol-1 client gets one plain refusal, over WebSocket and HTTP, and nothing is stored', async () => {
  const { relay, stop } = await diskRelay();
  cleanup.push(stop);
  const { room, update } = protocol1Update();
  const client = await rawClient(relay.url, room);
  client.send(syncUpdateMessage(update));
  const closed = await client.closed;
  assert.equal(closed.code, 4400, 'a final close code: a stock client does not retry');
  assert.match(closed.reason, /protocol 1 is retired/);
  const res = await postUpdate(relay.url, room, update);
  assert.equal(res.status, 400);
  assert.match(res.body.message ?? '', /protocol 1 is retired.*retired-version/);
  const held = await fetch(`${relay.url}/v1/rooms/${room}`);
  assert.equal(new Uint8Array(await held.arrayBuffer()).length <= 2, true, 'nothing stored');
});

it('a protocol-1 peer is refused once and not retried', async () => {
  let infos = 0;
  let other = 0;
  const server = createServer((req, res) => {
    if ((req.url ?? '').startsWith('/v1/info')) {
      infos++;
      return void res.end(JSON.stringify({ software: 'baton', protocol: 1, limits: { maxUpdateBytes: 1 << 20 } }));
    }
    other++;
    res.end(JSON.stringify({ rooms: [] }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanup.push(() => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }));
  const peer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const logs: string[] = [];
  const { relay, stop } = await diskRelay({ peers: [peer], peerSyncMs: 50, peerRetryMaxMs: 50, log: (l) => logs.push(l) });
  cleanup.push(stop);
  for (let i = 0; i < 100 && infos === 0; i++) await new Promise((r) => setTimeout(r, 20));
  // Many retry periods later, still the one request.
  await new Promise((r) => setTimeout(r, 800));
  assert.equal(infos, 1, 'asked once');
  assert.equal(other, 0, 'nothing else asked of it');
  const named = logs.filter((l) => l.includes('protocol 1'));
  assert.equal(named.length, 1, logs.join('\n'));
  assert.match(named[0]!, /replication with it stopped/);
  const status = await relay.peering.status();
  assert.match(status.peers[0]!.lastError ?? '', /protocol 1.*not retried/);
});
