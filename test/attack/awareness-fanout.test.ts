// Presence fan-out to sockets that never read: two senders' awareness updates (8 states of
// 2 KiB each, 200 messages each) go to every member of the room. Queued for 100 members that
// never read, that is 640 MiB; a member that has not taken what it was sent now misses
// presence instead, and an update it cannot take closes it.
import assert from 'node:assert/strict';
import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import { bulkyAwareness, honestWrites, peakRss, percentile, probeInfo, sleep, spawnRelay, writer, type RelayChild } from './support/harness.ts';

let relay: RelayChild;
beforeAll(async () => {
  relay = await spawnRelay({});
});
afterAll(() => relay?.close());

const open = async (url: string): Promise<WebSocket> => {
  const ws = new WebSocket(url);
  ws.on('error', () => {});
  await new Promise((resolve) => ws.once('open', resolve));
  return ws;
};

it('presence sent to 100 sockets that never read stays within memory bounds', async () => {
  const room = await writer();
  const url = `${relay.url.replace('http', 'ws')}/v1/sync/${room.name}`;
  const receivers: WebSocket[] = [];
  for (let i = 0; i < 100; i++) receivers.push(await open(url));
  for (const ws of receivers) (ws as unknown as { _socket: { pause(): void } })._socket.pause();
  await sleep(300);
  const baseline = relay.rssMiB();
  const honest = honestWrites(relay.url, await writer(), 150);
  const info = probeInfo(relay.url);
  // Two senders, each within its burst of 200 messages: 6.4 MB for each receiver, more than
  // the kernel's socket buffers take, so the relay itself must hold back.
  const senders = [await open(url), await open(url)];
  for (let m = 1; m <= 200; m++) for (const sender of senders) sender.send(bulkyAwareness(m));
  const peak = await peakRss(relay.pid, sleep(4000));
  await honest.stop();
  await info.stop();
  for (const ws of [...receivers, ...senders]) ws.terminate();

  expect(peak - baseline, `RSS ${baseline.toFixed(0)} -> ${peak.toFixed(0)} MiB`).toBeLessThan(150);
  assert.ok(honest.statuses.length >= 5 && honest.statuses.every((s) => s === 200), `honest writes: ${honest.statuses.join(',')}`);
  console.log(`RSS ${baseline.toFixed(0)} -> ${peak.toFixed(0)} MiB; honest p99 ${percentile(honest.latencies, 99).toFixed(0)} ms; info p99 ${percentile(info.latencies, 99).toFixed(0)} ms`);
  expect(percentile(honest.latencies, 99)).toBeLessThan(2000);
  expect(percentile(info.latencies, 99)).toBeLessThan(2000);
  const { counters } = await relay.stats();
  expect(counters['sync.presence-skipped'] ?? 0).toBeGreaterThan(100);
});
