// A board writer links 100,000 spaces (docs/THREAT_MODEL.md, "What a writer can make a mirror
// carry"), every link a move link, so that each would be a board whose own links are followed.
// A blind mirror of the board carries at most maxMirrorSpaces of them, the first it learns (the
// honest thread linked before the flood among them), logs the bound once, and stays within
// bounded memory and CPU while it keeps polling: each round reads a bounded number of stored
// rooms for links and asks a bounded number of epochs, whatever the board links.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, expect, it } from 'vitest';
import * as Y from 'yjs';
import { appendSealed, createEnvelopeDoc, formatCapability, initSodium, roomName, sealLinkBlob, type Sealer } from '#shared';
import { DEFAULT_RELAY_LIMITS } from '#server/config.ts';
import { testRoom } from '../support/rooms.ts';
import { blobsAt, peakRss, percentile, post, probeInfo, sleep, spawnRelay, until, writer, type RelayChild } from './support/harness.ts';

const LINKS = 100_000;
/** Links per update: about 900 KB, under the 1 MiB update limit. */
const BATCH = 7000;
/**
 * Generous bounds for a loaded two-core machine; the figures measured are in the log line. Most
 * of the memory is the board's room itself (100,000 blobs in one Yjs doc), which the source
 * relay holds too: its RSS is logged beside the mirror's.
 */
const RSS_BOUND_MIB = 700;
const IDLE_CPU_BOUND = 0.2;

const children: RelayChild[] = [];
afterAll(async () => {
  for (const c of children.reverse()) await c.close();
});

/** CPU seconds the process has used (user + system). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

it(`a mirror of a board that links ${LINKS} spaces carries at most maxMirrorSpaces of them, in bounded memory and CPU`, { timeout: 360_000 }, async () => {
  await initSodium();
  const source = await spawnRelay({});
  children.push(source);
  const board = testRoom(140, 0, 'board');
  const thread = testRoom(141);
  const honest = await writer(thread);
  assert.equal((await post(source.url, honest.name, honest.next())).status, 200);

  // The honest thread's link first, then the flood, as a writer of the board would send it.
  const doc = createEnvelopeDoc();
  const name = roomName(board.cap.spaceId, 0);
  const send = async (sealers: Sealer[]) => {
    const before = Y.encodeStateVector(doc);
    appendSealed(doc, sealers);
    const { status } = await post(source.url, name, Y.encodeStateAsUpdate(doc, before), 60_000);
    assert.equal(status, 200);
  };
  await send([(pos) => sealLinkBlob(board.key, thread.cap.writePub, pos)]);
  for (let sent = 0; sent < LINKS; sent += BATCH) {
    const n = Math.min(BATCH, LINKS - sent);
    await send(Array.from({ length: n }, () => (pos) => sealLinkBlob(board.key, randomBytes(32), pos, undefined, true)));
  }

  const mirror = await spawnRelay({ sqlite: true, peerSyncMs: 500, mirrors: [{ capability: formatCapability(board.cap, 'mirror'), relay: source.url }] });
  children.push(mirror);
  const startRss = mirror.rssMiB();
  const info = probeInfo(mirror.url, 200);
  type Status = { mirrors: { spaces: number; maxSpaces: number }[] };
  const status = async () => (await (await fetch(`${mirror.url}/v1/mirror/status`)).json()) as Status;
  let carried = 0;
  const caughtUp = until(async () => (await blobsAt(mirror.url, name)) === LINKS + 1 && (carried = (await status()).mirrors[0]?.spaces ?? 0) >= DEFAULT_RELAY_LIMITS.maxMirrorSpaces, 180_000);
  const started = performance.now();
  let peak = await peakRss(mirror.pid, caughtUp);
  assert.ok(await caughtUp, `the mirror took the board and ${carried} spaces`);
  const catchUpSeconds = (performance.now() - started) / 1000;

  // Then a while of rounds: the bound holds, and a mirror of a full scope costs little CPU.
  // First each carried space's epoch 0 is caught up (peerRoomsPerRound a round, slower on a
  // loaded machine); then it idles: the quietest of 5-second windows, up to a minute.
  peak = Math.max(peak, await peakRss(mirror.pid, sleep(10_000)));
  const busyCpu = cpuSeconds(mirror.pid);
  let idleCpu = Number.POSITIVE_INFINITY;
  for (let window = 0; window < 12 && idleCpu >= IDLE_CPU_BOUND / 2; window++) {
    const before = cpuSeconds(mirror.pid);
    peak = Math.max(peak, await peakRss(mirror.pid, sleep(5000)));
    idleCpu = Math.min(idleCpu, (cpuSeconds(mirror.pid) - before) / 5);
  }
  await info.stop();
  const last = (await status()).mirrors[0]!;
  const { counters, rooms: loaded } = await mirror.stats();
  console.log(
    `mirror of a board linking ${LINKS} spaces: ${last.spaces} carried; caught up in ${catchUpSeconds.toFixed(1)} s; RSS ${startRss.toFixed(0)} MiB at start, peak ${peak.toFixed(0)} MiB, ` +
      `now ${mirror.rssMiB().toFixed(0)} MiB; ${busyCpu.toFixed(1)} CPU s to take it all; idle CPU ${(idleCpu * 100).toFixed(0)}% of a core; ${loaded} rooms loaded; /v1/info p99 ${percentile(info.latencies, 99).toFixed(0)} ms; ` +
      `the source relay, which holds the same board, ${source.rssMiB().toFixed(0)} MiB`,
  );
  assert.equal(last.spaces, DEFAULT_RELAY_LIMITS.maxMirrorSpaces);
  assert.equal(last.maxSpaces, DEFAULT_RELAY_LIMITS.maxMirrorSpaces);
  assert.equal(counters['mirror.spaces-full'], 1, 'the bound is said once');
  assert.equal(await blobsAt(mirror.url, honest.name), 1, 'the thread linked before the flood is carried');
  expect(peak).toBeLessThan(RSS_BOUND_MIB);
  expect(idleCpu).toBeLessThan(IDLE_CPU_BOUND);
  expect(percentile(info.latencies, 99)).toBeLessThan(2000);
});
