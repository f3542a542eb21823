// A hostile peer lists 20,000 invented rooms on every poll and answers garbage for each. It
// used to grow the relay by 95 MiB and write 12,615 log lines in 25 s, and per-room peer state
// was never pruned. Now a bounded number of rooms is caught up per round, a round stops after
// a few refusals, state of rooms neither side holds is dropped, and refusals are counted.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { toBase64url } from '../../shared/index.ts';
import { honestWrites, peakRss, percentile, probeInfo, sleep, spawnRelay, type RelayChild } from './support/harness.ts';
import { writer } from './support/harness.ts';

let fake: http.Server;
let lists = 0;
let pulls = 0;
let relay: RelayChild;

beforeAll(async () => {
  fake = http.createServer((req, res) => {
    if (req.url === '/v1/info') return res.end(JSON.stringify({ software: 'baton', protocol: 1, limits: { maxUpdateBytes: 1048576 } }));
    if (req.url?.startsWith('/v1/rooms?marks=1')) {
      lists++;
      const rooms: string[] = [];
      const marks: Record<string, number> = {};
      for (let i = 0; i < 20_000; i++) {
        const name = `${toBase64url(randomBytes(32))}.0`;
        rooms.push(name);
        marks[name] = i;
      }
      return res.end(JSON.stringify({ rooms, marks }));
    }
    if (req.method === 'GET' && req.url?.startsWith('/v1/rooms/')) {
      pulls++;
      return res.end(randomBytes(3 * 65536));
    }
    if (req.method === 'POST') {
      req.resume();
      return res.end(JSON.stringify({ room: 'x', sv: 'AA', added: 0 }));
    }
    res.statusCode = 404;
    res.end('{}');
  });
  fake.on('upgrade', (_req, socket) => socket.destroy());
  await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
  relay = await spawnRelay({ peers: [url], peerSyncMs: 300, peerRetryMaxMs: 1000 });
});
afterAll(async () => {
  await relay?.close();
  fake?.closeAllConnections();
  await new Promise((resolve) => fake?.close(resolve));
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
