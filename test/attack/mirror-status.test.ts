// GET /v1/mirror/status loaded every mirrored room on each request, with no limit. Now one
// computed status is served to everyone for a few seconds, and computing it is rate-limited.
import assert from 'node:assert/strict';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { formatCapability, initSodium } from '#shared';
import { testRoom } from '../support/rooms.ts';
import { percentile, post, probeInfo, spawnRelay, writer, type RelayChild } from './support/harness.ts';

let source: RelayChild;
let mirror: RelayChild;
beforeAll(async () => {
  await initSodium();
  source = await spawnRelay({});
  const board = testRoom(121, 0, 'board');
  const w = await writer(board);
  assert.equal((await post(source.url, w.name, w.next())).status, 200);
  mirror = await spawnRelay({ mirrors: [{ capability: formatCapability(board.cap, 'mirror'), relay: source.url }], peerSyncMs: 500 });
});
afterAll(async () => {
  await mirror?.close();
  await source?.close();
});

it('a flood of mirror status requests computes it a few times, not once per request', async () => {
  const info = probeInfo(mirror.url);
  const started = performance.now();
  const statuses: number[] = [];
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let i = 0; i < 50; i++) {
        const res = await fetch(`${mirror.url}/v1/mirror/status`);
        statuses.push(res.status);
        await res.arrayBuffer();
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await info.stop();
  const { counters } = await mirror.stats();
  assert.ok(statuses.every((s) => s === 200 || s === 429), statuses.join(','));
  assert.equal(statuses.length, 400);
  expect(counters['mirror-status.computed']).toBeLessThanOrEqual(Math.ceil(seconds / 5) + 2);
  expect(percentile(info.latencies, 99)).toBeLessThan(2000);
  const body = (await (await fetch(`${mirror.url}/v1/mirror/status`)).json()) as { mirrors: unknown[] };
  assert.equal(body.mirrors.length, 1, 'the status still says what is mirrored');
});
