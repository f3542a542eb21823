// The HTTP fallback under attack. Empty POSTs to a room drained its one write bucket (about
// 150 a second made 6 of 10 honest writes fail with 429); now requests that cannot add a
// blob are charged to their own, stricter bucket. Room reads over sockets that never read
// held a copy of the room each; now the bytes held for such answers are bounded and a
// socket that takes nothing is dropped.
import assert from 'node:assert/strict';
import net from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fill, honestWrites, peakRss, percentile, post, probeInfo, sleep, spawnRelay, writer, type RelayChild } from './support/harness.ts';

let relay: RelayChild;
beforeAll(async () => {
  relay = await spawnRelay({ stallMs: 2000 });
});
afterAll(() => relay?.close());

it('a flood of empty POSTs does not starve honest writes to the room', async () => {
  const room = await writer();
  assert.equal((await post(relay.url, room.name, room.next())).status, 200);
  let flooding = true;
  let sent = 0;
  const flood = Promise.all(
    [0, 1, 2, 3].map(async () => {
      while (flooding) {
        await post(relay.url, room.name, new Uint8Array([0, 0]));
        sent++;
        await sleep(10);
      }
    }),
  );
  await sleep(1500);
  const statuses: number[] = [];
  for (let i = 0; i < 10; i++) {
    statuses.push((await post(relay.url, room.name, room.next())).status);
    await sleep(300);
  }
  flooding = false;
  await flood;
  assert.ok(sent > 150, `${sent} empty POSTs`);
  assert.deepEqual(statuses, Array(10).fill(200), 'every honest write receipted');
  expect((await relay.stats()).counters['http.rate-limited.write']).toBeGreaterThan(50);
});

it('GETs of a big room over sockets that never read stay within memory bounds', async () => {
  const room = await writer();
  await fill(relay.url, room, 10_000_000);
  await sleep(300);
  const baseline = relay.rssMiB();
  const honest = honestWrites(relay.url, await writer(), 150);
  const info = probeInfo(relay.url);
  const { port } = new URL(relay.url);
  const sockets: net.Socket[] = [];
  for (let i = 0; i < 150; i++) {
    const socket = net.connect(Number(port), '127.0.0.1');
    socket.on('error', () => {});
    socket.pause(); // never read the answer
    socket.on('connect', () => socket.write(`GET /v1/rooms/${room.name} HTTP/1.1\r\nHost: relay\r\n\r\n`));
    sockets.push(socket);
  }
  const peak = await peakRss(relay.pid, sleep(5000));
  await honest.stop();
  await info.stop();
  for (const s of sockets) s.destroy();
  console.log(`RSS ${baseline.toFixed(0)} -> ${peak.toFixed(0)} MiB; honest p99 ${percentile(honest.latencies, 99).toFixed(0)} ms; info p99 ${percentile(info.latencies, 99).toFixed(0)} ms`);
  // 150 answers of 10 MB: 1.5 GB if each were held.
  expect(peak - baseline).toBeLessThan(150);
  assert.ok(honest.statuses.length >= 5 && honest.statuses.every((s) => s === 200), `honest writes: ${honest.statuses.join(',')}`);
  expect(percentile(honest.latencies, 99)).toBeLessThan(2000);
  expect(percentile(info.latencies, 99)).toBeLessThan(2000);
  const { counters } = await relay.stats();
  expect(counters['http.rate-limited.read']).toBeGreaterThan(50);
  expect(counters['http.answer-stalled']).toBeGreaterThan(0);
});
