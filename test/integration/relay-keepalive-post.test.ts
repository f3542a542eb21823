// Large HTTP writes over one keep-alive connection, from Node's fetch: the HTTP fallback a
// censored client relies on must not drop a write because the relay closed the socket under
// it. The relay used to answer 429 before reading the body; the server then drained the body
// for at most 500 ms and closed the socket, and a client still sending (any body larger than
// the socket buffers) got a socket error instead of the answer, one write in two or three.
// It also must not time out an idle socket the client is about to reuse.
import assert from 'node:assert/strict';
import { afterAll, beforeAll, it } from 'vitest';
import { post, sleep, spawnRelay, writer, type RelayChild } from '../attack/support/harness.ts';

let relay: RelayChild;
beforeAll(async () => {
  relay = await spawnRelay({ sqlite: true });
});
afterAll(() => relay?.close());

it('sequential 750 KB POSTs over one keep-alive connection all land', async () => {
  const w = await writer();
  const statuses: number[] = [];
  for (let i = 0; i < 20; i++) statuses.push((await post(relay.url, w.name, w.next(i % 2 === 0 ? 750_000 : 300_000))).status);
  assert.deepEqual(statuses, Array(20).fill(200));
});

it('refusals on the same connection (gap, bad update, too large) do not break the next write', async () => {
  const w = await writer();
  const gap = await writer(w.room);
  gap.next(1000);
  const statuses = [
    (await post(relay.url, w.name, gap.next(750_000))).status, // builds on a blob the relay lacks
    (await post(relay.url, w.name, new Uint8Array(750_000).fill(7))).status,
    (await post(relay.url, w.name, new Uint8Array(1_200_000))).status,
    (await post(relay.url, w.name, w.next(750_000))).status,
  ];
  assert.deepEqual(statuses, [409, 400, 413, 200]);
});

it('a write refused for the rate is answered 429, never with a closed socket', async () => {
  const limited = await spawnRelay({ limits: { httpWritesPerSecond: 0.5, httpWriteBurst: 2 } });
  try {
    const w = await writer();
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await post(limited.url, w.name, w.next(750_000))).status);
    assert.deepEqual(statuses.slice(0, 2), [200, 200]);
    assert.ok(statuses.every((s) => s === 200 || s === 429), `statuses ${statuses.join(',')} (0: the socket was closed under the request)`);
    assert.ok(statuses.includes(429));
  } finally {
    await limited.close();
  }
});

it('a write after the connection sat idle lands', async () => {
  const w = await writer();
  assert.equal((await post(relay.url, w.name, w.next(750_000))).status, 200);
  await sleep(5500); // past Node's own default keep-alive timeout (5 s)
  assert.equal((await post(relay.url, w.name, w.next(750_000))).status, 200);
}, 30_000);
