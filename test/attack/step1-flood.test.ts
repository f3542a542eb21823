// Sockets that never read ask for a whole room again and again (sync step 1 with an empty
// state vector: four bytes each). Without backpressure the relay queued every answer: 200
// requests for a 3.7 MiB room grew it by 770 MiB. Now a connection has one answer in
// flight, sent in pieces as its socket drains; a socket that takes nothing is closed.
import assert from 'node:assert/strict';
import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import { droppedForNotReading, fill, honestWrites, peakRss, percentile, probeInfo, sleep, spawnRelay, until, writer, type RelayChild } from './support/harness.ts';

const STEP1_EVERYTHING = new Uint8Array([0, 0, 1, 0]);

let relay: RelayChild;
beforeAll(async () => {
  relay = await spawnRelay({ keepaliveMs: 3000, stallMs: 2000 });
});
afterAll(() => relay?.close());

it('a flood of step 1 from sockets that never read stays within memory bounds, and honest writes go on', async () => {
  const target = await writer();
  await fill(relay.url, target, 4 * 1024 * 1024);
  await sleep(500);
  const baseline = relay.rssMiB();
  const honest = honestWrites(relay.url, await writer(), 150);
  const info = probeInfo(relay.url);

  const attackers: WebSocket[] = [];
  for (let i = 0; i < 10; i++) {
    const ws = new WebSocket(`${relay.url.replace('http', 'ws')}/v1/sync/${target.name}`);
    ws.on('error', () => {});
    await new Promise((resolve) => ws.once('open', resolve));
    (ws as unknown as { _socket: { pause(): void } })._socket.pause(); // never read what the relay sends
    for (let n = 0; n < 200; n++) ws.send(STEP1_EVERYTHING);
    attackers.push(ws);
  }
  // The relay drops them (it sees no pongs and no bytes drained); meanwhile its memory is sampled.
  const dropped = until(async () => droppedForNotReading((await relay.stats()).counters) >= 10, 15_000);
  const peak = await peakRss(relay.pid, Promise.all([dropped, sleep(4000)]));
  await honest.stop();
  await info.stop();
  for (const ws of attackers) ws.terminate();

  // Ten sockets asked for 4 MiB two hundred times each: 8 GiB if queued.
  expect(peak - baseline, `RSS ${baseline.toFixed(0)} -> ${peak.toFixed(0)} MiB`).toBeLessThan(150);
  assert.equal(await dropped, true, 'every socket that never read was dropped');
  assert.ok(honest.statuses.length >= 5 && honest.statuses.every((s) => s === 200), `honest writes: ${honest.statuses.join(',')}`);
  console.log(`RSS ${baseline.toFixed(0)} -> ${peak.toFixed(0)} MiB; honest p99 ${percentile(honest.latencies, 99).toFixed(0)} ms; info p99 ${percentile(info.latencies, 99).toFixed(0)} ms`);
  expect(percentile(honest.latencies, 99)).toBeLessThan(2000);
  expect(info.failures).toBe(0);
  expect(percentile(info.latencies, 99)).toBeLessThan(2000);
});

it('a reader that reads gets the whole room in pieces, with step 2 last', async () => {
  const target = await writer();
  await fill(relay.url, target, 2 * 1024 * 1024);
  const ws = new WebSocket(`${relay.url.replace('http', 'ws')}/v1/sync/${target.name}`);
  ws.binaryType = 'arraybuffer';
  const kinds: number[] = [];
  let bytes = 0;
  const done = new Promise<void>((resolve) =>
    ws.on('message', (data: ArrayBuffer) => {
      const m = new Uint8Array(data);
      if (m[0] !== 0 || m[1] === 0) return; // the relay's own step 1, awareness
      kinds.push(m[1]!);
      bytes += m.length;
      if (m[1] === 1) resolve();
    }),
  );
  await new Promise((resolve) => ws.once('open', resolve));
  ws.send(STEP1_EVERYTHING);
  await done;
  ws.close();
  assert.ok(kinds.length > 4, `${kinds.length} pieces`);
  assert.deepEqual(kinds.slice(0, -1).every((k) => k === 2), true, 'updates first');
  assert.equal(kinds.at(-1), 1, 'step 2 last');
  assert.ok(bytes > 2 * 1024 * 1024);
});
