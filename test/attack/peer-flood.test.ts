// A hostile peer lists 20,000 invented rooms on every poll and answers garbage for each. It
// used to grow the relay by 95 MiB and write 12,615 log lines in 25 s, and per-room peer state
// was never pruned. Now a bounded number of rooms is caught up per round, a round stops after
// a few refusals, state of rooms neither side holds is dropped, and refusals are counted.
import assert from 'node:assert/strict';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { honestWrites, peakRss, percentile, probeInfo, sleep, spawnFakePeer, spawnRelay, writer, type FakePeer, type RelayChild } from './support/harness.ts';

let fake: FakePeer;
let relay: RelayChild;

beforeAll(async () => {
  fake = await spawnFakePeer();
  relay = await spawnRelay({ peers: [fake.url], peerSyncMs: 300, peerRetryMaxMs: 1000 });
});
afterAll(async () => {
  await relay?.close();
  await fake?.close();
});

it('a peer listing thousands of invented rooms costs bounded memory, work and log lines', async () => {
  await sleep(1000);
  const baseline = relay.rssMiB();
  const honest = honestWrites(relay.url, await writer(), 200);
  const info = probeInfo(relay.url);
  const peak = await peakRss(relay.pid, sleep(10_000));
  await honest.stop();
  await info.stop();
  const { logged, counters, rooms } = await relay.stats();
  const { lists, pulls } = await fake.stats();
  console.log(`RSS ${baseline.toFixed(0)} -> ${peak.toFixed(0)} MiB; ${lists} lists, ${pulls} pulls; ${logged} log lines; loaded rooms ${rooms}; counters ${JSON.stringify(counters)}`);
  assert.ok(lists >= 3, `the peer was polled (${lists})`);
  expect(peak - baseline).toBeLessThan(100);
  expect(logged).toBeLessThan(10);
  expect(counters['peer.refused.catch-up']).toBeGreaterThan(0);
  // At most 20 refused pulls per round, and a round only every few hundred ms after a backoff.
  expect(pulls).toBeLessThan(lists * 25);
  assert.ok(honest.statuses.length >= 5 && honest.statuses.every((s) => s === 200), `honest writes: ${honest.statuses.join(',')}`);
  expect(percentile(info.latencies, 99)).toBeLessThan(2000);
});
