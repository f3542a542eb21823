// Every memory bound filled at once. Each bound holds against one kind of pressure (loaded
// rooms 128 MiB, sync answers 96, HTTP answers and kept room reads 48 each, updates waiting
// for checks 16), and an attacker who fills them all would have the relay hold their sum,
// about 340 MiB. The relay-wide ledger (server/memory-ledger.ts) bounds the sum: kept copies
// give way first, then idle rooms, and past that a room that would need more is refused (1013)
// while a post to a loaded room still lands. Here the ledger is set to 100 MB over rooms that
// each take about 37 MB loaded, so that every step is decided by the ledger, not by a bound of
// its own (the room bound, at its default, would admit all three).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { initSodium, roomName } from '#shared';
import { writeSyncStep1 } from '#shared/wire/index.ts';
import { testRoom } from '../support/rooms.ts';
import { storeTinyBlobRooms } from '../support/tiny-blobs.ts';
import { post, sleep, spawnRelay, until, writer, type RelayChild } from './support/harness.ts';

/** About 10.5 MB of 170-byte blobs: loaded, about 37 MB by the relay's estimate. */
const BLOBS = 60_000;
const LEDGER_BYTES = 100_000_000;
/** Headroom in the tests' arithmetic: an answer in flight may be admitted as the only one of its kind. */
const ONE_ANSWER = 11_000_000;

let dir: string;
let names: string[];
let roomBytes: number;
const relays: RelayChild[] = [];

beforeAll(async () => {
  await initSodium();
  dir = mkdtempSync(join(tmpdir(), 'baton-all-bounds-'));
  names = [70, 71, 72].map((k) => roomName(testRoom(k).cap.spaceId, 0));
  roomBytes = await storeTinyBlobRooms(dir, names, BLOBS);
}, 60_000);
afterAll(async () => {
  await Promise.all(relays.map((r) => r.close()));
  rmSync(dir, { recursive: true, force: true });
});

async function relayWith(memoryBytes: number): Promise<RelayChild> {
  // Rooms stay loaded while idle unless memory is needed: what is unloaded is the ledger's doing.
  const relay = await spawnRelay({ dataDir: dir, idleUnloadMs: 300_000, limits: { memoryBytes }, ledgerSampleMs: 10 });
  relays.push(relay);
  return relay;
}

/** Reads a whole room over HTTP; resolves with its status and the bytes read. */
async function readWhole(url: string, name: string): Promise<{ status: number; bytes: number }> {
  const res = await fetch(`${url}/v1/rooms/${name}`, { signal: AbortSignal.timeout(60_000) });
  return { status: res.status, bytes: (await res.arrayBuffer()).byteLength };
}

/** A socket that asks for all of a room and never reads; resolves once the relay has answered the upgrade. */
function nonReader(url: string, name: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url.replace('http', 'ws')}/v1/sync/${name}`);
    ws.on('error', reject);
    ws.on('open', () => {
      ws.send(writeSyncStep1(new Uint8Array([0])));
      // Reads nothing from now on: the relay's answer waits in its pool.
      (ws as unknown as { _socket: { pause(): void } })._socket.pause();
      resolve(ws);
    });
  });
}

/** Opens a socket to a room and asks for all of it; resolves with its close code, or 0 once it has read `bytes`. */
function reader(url: string, name: string, bytes: number): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${url.replace('http', 'ws')}/v1/sync/${name}`);
    let read = 0;
    ws.on('error', () => {});
    ws.on('open', () => ws.send(writeSyncStep1(new Uint8Array([0]))));
    ws.on('message', (data: Buffer) => {
      read += data.length;
      if (read < bytes) return;
      resolve(0);
      ws.close();
    });
    ws.on('close', (code) => resolve(code));
  });
}

it('whole reads of room after room: kept copies and idle rooms give way, no room is refused, the sum stays bounded', async () => {
  const bounded = await relayWith(LEDGER_BYTES);
  const unbounded = await relayWith(1_000_000_000);
  for (const relay of [bounded, unbounded]) {
    for (const name of names) {
      const read = await readWhole(relay.url, name);
      expect(read.status).toBe(200);
      expect(read.bytes).toBeGreaterThanOrEqual(roomBytes);
    }
  }
  const [b, u] = [await bounded.stats(), await unbounded.stats()];
  expect(b.counters['rooms.memory-refused'] ?? 0).toBe(0);
  // Without the ledger all three rooms stay loaded and all three encodings are kept.
  expect(u.ledger.used).toBeGreaterThan(LEDGER_BYTES + 2 * roomBytes);
  expect(b.ledger.used).toBeLessThanOrEqual(LEDGER_BYTES);
  expect(b.ledger.peak).toBeLessThanOrEqual(LEDGER_BYTES + ONE_ANSWER);
  // Only as many idle rooms unload as the ledger needs: the oldest one.
  expect(b.rooms).toBe(2);
  expect(u.rooms).toBe(3);
  // An operator sees the same sum, and the limit, in GET /v1/metrics.
  const metrics = (await (await fetch(`${bounded.url}/v1/metrics`)).json()) as { memory: { usedBytes: number; limitBytes: number } };
  expect(metrics.memory.limitBytes).toBe(LEDGER_BYTES);
  expect(metrics.memory.usedBytes).toBeGreaterThan(roomBytes);
  expect(metrics.memory.usedBytes).toBeLessThanOrEqual(LEDGER_BYTES);
}, 120_000);

it('what cannot be dropped fills the ledger: another room is refused (1013), a post to a loaded room lands, and the room loads once memory frees', async () => {
  const relay = await relayWith(LEDGER_BYTES);
  // Two rooms held by members that never read: loaded, their answers waiting in the pool.
  const held = [await nonReader(relay.url, names[0]!), await nonReader(relay.url, names[1]!)];
  expect(await until(async () => (await relay.stats()).ledger.used > 2 * 3 * roomBytes, 30_000)).toBe(true);
  const refused = await reader(relay.url, names[2]!, roomBytes);
  expect(refused).toBe(1013);
  const stats = await relay.stats();
  expect(stats.counters['rooms.memory-refused']).toBeGreaterThanOrEqual(1);
  expect(stats.ledger.peak).toBeLessThanOrEqual(LEDGER_BYTES);
  // An honest post to a loaded room is not refused for memory others hold.
  const honest = await writer(testRoom(70));
  expect((await post(relay.url, names[0]!, honest.next(2000))).status).toBe(200);
  // The members leave: their rooms go idle, unload to make way, and the third room loads.
  for (const ws of held) ws.terminate();
  await sleep(200);
  expect(await reader(relay.url, names[2]!, roomBytes)).toBe(0);
}, 120_000);
