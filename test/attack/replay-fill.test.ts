// The replay attack that protocol 1 allowed (docs/PROTOCOL.md §8): a censor who knows only a
// board's space id fetches a room and posts its own blobs back under fresh Yjs ids until the
// room is full. Under protocol 2 a blob is signed for its own id, so every replay is refused:
// nothing is stored, the room does not grow, and the honest writer is unaffected. Over
// WebSocket and HTTP, against a relay and against a peer link.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, it } from 'vitest';
import { WebSocketServer } from 'ws';
import * as Y from 'yjs';
import { makeSpace, rawClient, syncUpdateMessage } from '../integration/relay-fixtures.ts';
import { diskRelay, honestWriter, postUpdate, replayUpdate, roomState } from './support.ts';
import { waitUntil } from '../support/wait.ts';

const cleanup: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
});

/** A room cap small enough to fill in a second under protocol 1 (about 8,000 replayed posts). */
const ROOM_CAP = 2 * 1024 * 1024;

it('replays under fresh ids, over HTTP and WebSocket: 0 blobs accepted, room size unchanged, honest writes receipted', async () => {
  const { relay, stop } = await diskRelay({ limits: { maxRoomBytes: ROOM_CAP } });
  cleanup.push(stop);
  const space = await makeSpace();
  const writer = await honestWriter(relay.url, space);
  cleanup.push(() => writer.close());
  await writer.write('the first post');
  await writer.write('the second post');
  const before = await roomState(relay.url, space.room);
  assert.equal(before.blobs, 2);

  // HTTP: updates of nearly 1 MiB of copies, as the attack sent them; and small ones, the top-off.
  const fit = Math.floor(1_000_000 / (before.bytes / before.blobs + 16));
  let refusedHttp = 0;
  for (const copies of [fit, 200, 2, 1]) {
    const res = await postUpdate(relay.url, space.room, replayUpdate(before.update, copies));
    assert.equal(res.status, 400, `HTTP replay of ${copies} copies`);
    assert.equal(res.body.error, 'bad-update');
    assert.match(res.body.message ?? '', /bad-signature/);
    refusedHttp++;
  }
  // The same blob under its own client but the next clock (a replay "after" the original).
  const ownClient = [...Y.decodeStateVector(Y.encodeStateVectorFromUpdate(before.update)).keys()][0]!;
  assert.equal((await postUpdate(relay.url, space.room, replayUpdate(before.update, 1, ownClient))).status, 400, 'a replay at the next clock of the original client');

  // WebSocket: each replay closes the socket with 4400 and stores nothing.
  for (const copies of [fit, 1]) {
    const attacker = await rawClient(relay.url, space.room);
    attacker.send(syncUpdateMessage(replayUpdate(before.update, copies)));
    const closed = await attacker.closed;
    assert.equal(closed.code, 4400, `WebSocket replay of ${copies} copies`);
  }

  const afterAttack = await roomState(relay.url, space.room);
  assert.equal(afterAttack.blobs, before.blobs, 'no replayed blob accepted');
  assert.equal(afterAttack.bytes, before.bytes, 'the room did not grow');
  const loaded = relay.registry.loaded(space.room);
  if (loaded) assert.equal(loaded.blobCount, before.blobs, 'the loaded room holds nothing more either');
  // The honest writer carries on, receipted, on the socket it had all along.
  await writer.write('written after the attack');
  assert.equal((await roomState(relay.url, space.room)).blobs, 3);
  assert.equal(refusedHttp, 4);
});

it('replays served by a peer (its live link and its HTTP catch-up) are refused; the room does not grow', async () => {
  const { relay, stop } = await diskRelay({ peers: [], limits: { maxRoomBytes: ROOM_CAP } });
  cleanup.push(stop);
  const space = await makeSpace();
  const writer = await honestWriter(relay.url, space);
  cleanup.push(() => writer.close());
  await writer.write('honest');
  const held = await roomState(relay.url, space.room);

  // A hostile peer: lists the room, serves replays of its blobs under fresh ids over HTTP and
  // pushes them down every live link.
  let gets = 0;
  let sockets = 0;
  let mark = 0;
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (path === '/v1/info') return void res.end(JSON.stringify({ software: 'baton', protocol: 2, limits: { maxUpdateBytes: 1 << 20 } }));
    if (path === '/v1/rooms') return void res.end(JSON.stringify({ rooms: [space.room], marks: { [space.room]: ++mark } }));
    if (path === `/v1/rooms/${space.room}` && req.method === 'GET') {
      gets++;
      return void res.end(replayUpdate(held.update, 500));
    }
    req.resume();
    req.on('end', () => res.end(JSON.stringify({ room: space.room, sv: 'AA', added: 0 })));
  });
  const wss = new WebSocketServer({ server });
  wss.on('connection', (ws) => {
    sockets++;
    ws.on('error', () => {});
    ws.send(syncUpdateMessage(replayUpdate(held.update, 500)));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanup.push(() => new Promise<void>((r) => { wss.close(); server.closeAllConnections(); server.close(() => r()); }));
  const peerUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // A second relay peers with the hostile one and holds the room too (synced from the first).
  const logs: string[] = [];
  const second = await diskRelay({ peers: [peerUrl], peerSyncMs: 100, peerRetryMaxMs: 300, log: (l) => logs.push(l), limits: { maxRoomBytes: ROOM_CAP } });
  cleanup.push(second.stop);
  assert.equal((await postUpdate(second.relay.url, space.room, held.update)).status, 200);
  const reader = await honestWriter(second.relay.url, space); // a client there opens a live link to the peer
  cleanup.push(() => reader.close());
  await waitUntil(() => gets >= 3 && sockets >= 1, { timeoutMs: 10_000, what: 'the peer to be pulled from and linked' });
  const counted = (path: string) => second.relay.counters.get(`peer.refused.${path}`);
  await waitUntil(() => counted('live') >= 1 && counted('catch-up') >= 1, { timeoutMs: 10_000, what: 'refusals on both paths' });
  const after = await roomState(second.relay.url, space.room);
  assert.equal(after.blobs, held.blobs, 'no replayed blob accepted from the peer');
  assert.equal(after.bytes, held.bytes);
  assert.ok(logs.some((l) => /refused, e\.g\. .*bad-(update|blob)/.test(l)), logs.join('\n'));
  // Honest writes still go through on the second relay.
  await reader.write('after the hostile peer');
  assert.equal((await roomState(second.relay.url, space.room)).blobs, held.blobs + 1);
});
