// Members that never read, sent a room's writes: each may leave --outbound-buffer-bytes (4 MiB)
// unread before it is closed, but that bound is per connection. 300 such sockets in one room held
// 1.2 GB of the host's TCP send buffers (measured with `ss` beside this test's attack; the
// figures are in docs/THREAT_MODEL.md). Now what all readers have unread is bounded relay-wide
// (server/sync/unread-bound.ts): past it the readers furthest behind are cut, with a reset so
// that the kernel drops what was queued for them, and a member that reads keeps everything.
//
// Here the bound is 16 MiB; 40 members that never read and one that does share a room, into
// which four writers send 300 updates of 8 KB (2.4 MB each member is sent, 96 MB for the 40).
import { afterAll, beforeAll, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { initSodium } from '#shared';
import { readMessage } from '#shared/wire/index.ts';
import { startRelay, type Relay } from '#server/index.ts';
import { blobsAt, openWebSocket, pauseReading, roomWriters, sleep, until, writer } from './support/harness.ts';

const LIMIT = 16 * 1024 * 1024;
const IDLE_MEMBERS = 40;
const UPDATES = 300;

let relay: Relay;
beforeAll(async () => {
  await initSodium();
  relay = await startRelay({ host: '127.0.0.1', port: 0, log: () => {}, limits: { outboundMemoryBytes: LIMIT } });
});
afterAll(() => relay?.close());

interface Outbound {
  unreadBytes: number;
  limitBytes: number;
}
const outbound = async () => ((await (await fetch(`${relay.url}/v1/metrics`)).json()) as { outbound: Outbound }).outbound;

it('cuts the readers furthest behind once all readers together have too much unread, and keeps the one that reads', { timeout: 60_000 }, async () => {
  const w = await writer();
  const url = `${relay.url.replace('http', 'ws')}/v1/sync/${w.name}`;
  const idle: WebSocket[] = [];
  for (let i = 0; i < IDLE_MEMBERS; i++) {
    const ws = await openWebSocket(url);
    ws.on('error', () => {});
    pauseReading(ws);
    idle.push(ws);
  }
  const reader = await openWebSocket(url);
  let updatesRead = 0;
  let readerClosed = false;
  reader.on('message', (data: Buffer) => {
    const read = readMessage(new Uint8Array(data));
    if (read.ok && read.message.type === 'sync-update') updatesRead++;
  });
  reader.on('close', () => (readerClosed = true));

  let cutEarly = false;
  let peak = 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      peak = Math.max(peak, (await outbound()).unreadBytes);
      await sleep(20);
    }
  })();
  const writers = await roomWriters(url, w);
  try {
    for (let i = 0; i < UPDATES; i++) {
      writers.send(8000);
      if (i % 40 === 39) await sleep(50);
    }
    expect(await until(async () => (await blobsAt(relay.url, w.name)) === UPDATES, 20_000), 'the relay applied every write').toBe(true);
    expect(await until(() => updatesRead >= UPDATES, 10_000), `the reading member read ${updatesRead} of ${UPDATES} updates`).toBe(true);
  } finally {
    cutEarly = readerClosed;
    sampling = false;
    await sampler;
    for (const ws of [...idle, ...writers.sockets, reader]) ws.terminate();
  }
  const counters = relay.counters.snapshot();
  const { limitBytes } = await outbound();
  console.log(`unread relay-wide: peak ${(peak / 2 ** 20).toFixed(1)} MiB sampled (bound ${LIMIT / 2 ** 20} MiB); ${counters['sync.unread-shed'] ?? 0} cut for it, ${counters['sync.too-slow'] ?? 0} too slow`);
  expect(limitBytes).toBe(LIMIT);
  expect(cutEarly, 'the member that reads was cut').toBe(false);
  expect(counters['sync.unread-shed'] ?? 0).toBeGreaterThan(IDLE_MEMBERS / 2);
  // A shed ends the turn that went past the bound: a sample can fall between the two, over it by
  // what that turn sent (a batch of updates, to every member: 17.6-23.5 MiB measured). Without
  // the bound the 40 members would hold 96 MB.
  expect(peak).toBeLessThanOrEqual(2 * LIMIT);
  expect(await until(async () => (await outbound()).unreadBytes === 0, 5000), 'unread bytes given back once everyone left').toBe(true);
});
