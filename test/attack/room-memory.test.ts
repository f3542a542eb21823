// Rooms of the smallest blobs, filled once, then reached again and again. Anyone with a board's
// write key can fill its rooms (64 MiB each, 380,000 link blobs); loaded, each took about
// 220 MiB of the relay's memory, and loading it held the event loop for 760 ms and more.
// Before the bound on loaded rooms (server/rooms/room-memory.ts), three WebSockets to three
// such rooms took a relay from 460 to 1,165 MiB and held its loop 1.2 s. Now the loaded rooms
// are bounded (128 MiB, estimated), the rest are refused with 1013 and counted, a room's rows
// are applied in slices, and big rooms load one at a time while small ones load at once.
// Measured: live memory +98 to +105 MiB, RSS +129 to +140 (with collections forced every
// 100 ms), longest block 26-80 ms, honest p99 75-184 ms, /v1/info p99 33-70 ms.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initSodium, roomName } from '#shared';
import { testRoom } from '../support/rooms.ts';
import { storeTinyBlobRooms } from '../support/tiny-blobs.ts';
import { honestWrites, reachRoom, peakRss, percentile, post, probeInfo, sleep, spawnRelay, writer, type RelayChild } from './support/harness.ts';

const ROOMS = 6;
/** About 20 MiB of 170-byte blobs: loaded, about 70 MiB by the relay's estimate. */
const BLOBS = 120_000;
const ATTACK_MS = 8_000;

let relay: RelayChild;
let dir: string;
let names: string[];
beforeAll(async () => {
  await initSodium();
  dir = mkdtempSync(join(tmpdir(), 'baton-room-memory-'));
  names = Array.from({ length: ROOMS }, (_, k) => roomName(testRoom(60 + k).cap.spaceId, 0));
  await storeTinyBlobRooms(dir, names, BLOBS);
  relay = await spawnRelay({ dataDir: dir, loopProbe: true, liveSampleMs: 100 });
}, 60_000);
afterAll(async () => {
  await relay?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('sockets reaching full rooms of tiny blobs, again and again, stay within the memory of loaded rooms', { timeout: 90_000 }, async () => {
  await sleep(500);
  const baseline = relay.rssMiB();
  const liveBefore = await relay.liveReset();
  await relay.longestBlockMs();
  const honest = honestWrites(relay.url, await writer(), 150);
  const info = probeInfo(relay.url);
  const codes: number[] = [];
  const attack = (async () => {
    const end = Date.now() + ATTACK_MS;
    while (Date.now() < end) {
      // Every room at once, held for 2 s, then again.
      const round = sleep(2000).then(() => undefined);
      codes.push(...(await Promise.all(names.map((name) => reachRoom(relay.url, name, round)))));
    }
  })();
  const peak = await peakRss(relay.pid, attack);
  await honest.stop();
  await info.stop();
  const longest = await relay.longestBlockMs();
  const { counters, logged, live } = await relay.stats();
  const refused = codes.filter((c) => c === 1013).length;
  console.log(
    `room memory: live ${(liveBefore / 2 ** 20).toFixed(0)} -> ${(live.peak / 2 ** 20).toFixed(0)} MiB, RSS ${baseline.toFixed(0)} -> ${peak.toFixed(0)} MiB, ${codes.length} reaches, ${refused} refused (1013), counter ${counters['rooms.memory-refused'] ?? 0}, longest block ${longest.toFixed(0)} ms, honest p99 ${percentile(honest.latencies, 99).toFixed(0)} ms, info p99 ${percentile(info.latencies, 99).toFixed(0)} ms, ${logged} log lines`,
  );
  // What the relay holds (after a forced collection every 100 ms): one room loaded at a time
  // here (about 70 MiB by the relay's estimate) and its answer. RSS also counts what V8 has
  // freed but not yet given back.
  expect((live.peak - liveBefore) / 2 ** 20).toBeLessThan(150);
  expect(peak - baseline).toBeLessThan(200);
  expect(refused).toBeGreaterThan(0);
  expect(counters['rooms.memory-refused'] ?? 0).toBeGreaterThanOrEqual(refused);
  expect(codes.filter((c) => c !== 1013 && c !== 0)).toEqual([]);
  expect(honest.statuses.every((s) => s === 200)).toBe(true);
  // The targets (honest p99 under 500 ms, /v1/info under 100 ms) are figures for a quiet
  // machine (docs/BENCHMARKS.md, "Attacks on a relay, measured apart"); a timed test only
  // guards against stalls. On a machine twice as slow, the same relay gave /v1/info p99 of
  // 103-153 ms here, the code before this bound's last changes as well.
  expect(percentile(honest.latencies, 99)).toBeLessThan(500);
  expect(percentile(info.latencies, 99)).toBeLessThan(300);
  expect(logged).toBe(0);
});

it('a new small room loads at once while full rooms of tiny blobs are being loaded, and HTTP reads of rooms that do not fit get 429', { timeout: 60_000 }, async () => {
  const round = sleep(3000).then(() => undefined);
  const reaches = Promise.all(names.map((name) => reachRoom(relay.url, name, round)));
  await sleep(50);
  const start = performance.now();
  const newcomer = await writer();
  const { status } = await post(relay.url, newcomer.name, newcomer.next());
  const ms = performance.now() - start;
  // Over HTTP too: a room that does not fit is refused with 429 and a time to come back.
  const reads = await Promise.all(names.map((name) => fetch(`${relay.url}/v1/rooms/${name}`, { signal: AbortSignal.timeout(20_000) })));
  const refusedReads = reads.filter((r) => r.status === 429);
  await Promise.all(reads.map((r) => r.arrayBuffer()));
  await reaches;
  expect(reads.every((r) => r.status === 200 || r.status === 429)).toBe(true);
  expect(refusedReads.length).toBeGreaterThan(0);
  expect(refusedReads.every((r) => Number(r.headers.get('retry-after')) > 0)).toBe(true);
  console.log(`room memory: a new room's first write took ${ms.toFixed(0)} ms during the reaches`);
  expect(status).toBe(200);
  expect(ms).toBeLessThan(500);
});
