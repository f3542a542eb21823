// Limits: room size, connections, HTTP write rate, and room names that are not rooms.
import assert from 'node:assert/strict';
import { afterAll, beforeAll, it } from 'vitest';
import { CloseCode } from '#shared';
import { startRelay, type Relay } from '#server/index.ts';
import { envelopeUpdate, makeSpace, rawClient, sealPost, syncUpdateMessage } from './relay-fixtures.ts';

let relay: Relay;
beforeAll(async () => {
  relay = await startRelay({
    port: 0,
    host: '127.0.0.1',
    log: () => {},
    limits: { maxRoomBytes: 3000, maxConnections: 4, maxConnectionsPerRoom: 2, httpWritesPerSecond: 1, httpWriteBurst: 3 },
  });
});
afterAll(() => relay.close());

it('an update that would overfill a room is refused: 4413 over WebSocket, 413 room-full over HTTP', async () => {
  const space = await makeSpace();
  const blob = () => sealPost(space, 'x'.repeat(600)); // about 1 KiB sealed
  const first = await fetch(`${relay.url}/v1/rooms/${space.room}`, { method: 'POST', body: envelopeUpdate([blob(), blob()]) as Uint8Array<ArrayBuffer> });
  assert.equal(first.status, 200);
  const full = await fetch(`${relay.url}/v1/rooms/${space.room}`, { method: 'POST', body: envelopeUpdate([blob(), blob()]) as Uint8Array<ArrayBuffer> });
  assert.equal(full.status, 413);
  assert.equal(((await full.json()) as { error: string }).error, 'room-full');
  const raw = await rawClient(relay.url, space.room);
  raw.send(syncUpdateMessage(envelopeUpdate([blob(), blob()])));
  const closed = await raw.closed;
  assert.equal(closed.code, CloseCode.tooLarge);
  assert.match(closed.reason, /room-full/);
});

it('HTTP writes to one room beyond the rate get 429', async () => {
  const space = await makeSpace();
  const statuses: number[] = [];
  for (let i = 0; i < 5; i++) {
    const res = await fetch(`${relay.url}/v1/rooms/${space.room}`, { method: 'POST', body: envelopeUpdate([sealPost(space, `p${i}`)]) as Uint8Array<ArrayBuffer> });
    statuses.push(res.status);
    if (res.status === 429) assert.equal(((await res.json()) as { error: string }).error, 'rate-limited');
    else await res.arrayBuffer();
  }
  assert.deepEqual(statuses.slice(0, 3), [200, 200, 200]);
  assert.ok(statuses.slice(3).includes(429), statuses.join(','));
});

it('connections beyond the per-room and total limits are closed with 1013 (try again later)', async () => {
  const a = await makeSpace();
  const b = await makeSpace();
  const inA = [await rawClient(relay.url, a.room), await rawClient(relay.url, a.room)];
  const third = await rawClient(relay.url, a.room);
  assert.equal((await third.closed).code, 1013);
  const inB = [await rawClient(relay.url, b.room), await rawClient(relay.url, b.room)];
  const fifth = await rawClient(relay.url, b.room);
  assert.equal((await fifth.closed).code, 1013);
  for (const c of [...inA, ...inB]) c.close();
  await Promise.all([...inA, ...inB].map((c) => c.closed));
  await new Promise((r) => setTimeout(r, 50));
  const again = await rawClient(relay.url, a.room);
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(again.ws.readyState, again.ws.OPEN, 'closed connections free their places');
  again.close();
});

it('a WebSocket to something that is not a room is closed with 4404', async () => {
  for (const name of ['nope', 'A'.repeat(43) + '.01', 'A'.repeat(43) + '.-1', 'A'.repeat(42) + '.0']) {
    const raw = await rawClient(relay.url, name);
    assert.equal((await raw.closed).code, CloseCode.notFound, name);
  }
});
