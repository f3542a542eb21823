// Connections: 10,000 idle WebSocket connections over 1,000 rooms on one Baton relay (child
// process, SQLite), and the relay's resident memory at baseline, with all connected, and
// after they all leave and the rooms are unloaded.
//   node --import tsx test/bench/connections.ts
// Prints the figures and records them in docs/BENCHMARKS.md.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { capabilityFromSeeds } from '#shared/capability.ts';
import { BlobKind, sealUpdateBlob, type BlobPosition, type WriteKey } from '#shared/blob.ts';
import { appendSealed, createEnvelopeDoc } from '#shared/envelope/doc.ts';
import { initSodium } from '#shared/sodium.ts';
import { testIdentity } from '../support/rooms.ts';
import { describeMachine, loadAverage } from './lib/machine.ts';
import { recordSection, table, today } from './lib/report.ts';
import { startBaton, type ServerProcess } from './lib/servers.ts';
import { fmt, sleep } from './lib/stats.ts';
import { finish } from './lib/finish.ts';

const ROOMS = 1000;
const PER_ROOM = 10;
const CONNECTIONS = ROOMS * PER_ROOM;
const BLOBS_PER_ROOM = 3;
/** Handshakes in flight at once. */
const CONCURRENCY = 250;
const IDLE_UNLOAD_MS = 2000;
const MAX_RSS_MIB = 600;

// 10,000 sockets need more open files than a default soft limit of 1024: re-run under a raised one.
if (openFileLimit() < CONNECTIONS + 2000 && !process.env.BENCH_RAISED_LIMIT) {
  const result = spawnSync('bash', ['-c', 'ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec "$0" "$@"', process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_RAISED_LIMIT: '1' },
  });
  process.exit(result.status ?? 1);
}
if (openFileLimit() < CONNECTIONS + 2000) {
  console.error(`this benchmark needs ${CONNECTIONS + 2000} open files and may have ${openFileLimit()}: raise the hard limit (ulimit -Hn)`);
  process.exit(1);
}

function openFileLimit(): number {
  const match = /Max open files\s+(\d+)/.exec(readFileSync('/proc/self/limits', 'utf8'));
  return match ? Number(match[1]) : 1024;
}

await initSodium();
const author = testIdentity(5);

/** One space per room, each holding a few sealed posts: the update its first client sends. */
function roomSeed(i: number): { room: string; update: Uint8Array } {
  const seed = new Uint8Array(32);
  new DataView(seed.buffer).setUint32(0, i + 1);
  const read = new Uint8Array(32).fill(7);
  const cap = capabilityFromSeeds('thread', seed, read);
  const key: WriteKey = { writePub: cap.writePub, epoch: 0, readKey: cap.readKey!, writeSecret: cap.write!.secretKey };
  const blobs = Array.from({ length: BLOBS_PER_ROOM }, (_, j) => {
    const post = new Y.Doc();
    post.getMap('posts').set(`p${j}`, { body: `post ${j} in room ${i}: `.padEnd(160, '.'), ts: 0 });
    const update = Y.encodeStateAsUpdate(post);
    return (pos: BlobPosition) => sealUpdateBlob(key, BlobKind.update, author, update, pos);
  });
  const doc = createEnvelopeDoc();
  appendSealed(doc, blobs);
  return { room: `${cap.spaceId}.0`, update: Y.encodeStateAsUpdate(doc) };
}

/** y-websocket message: sync (0), step (1 or 2), length-prefixed payload. */
function syncMessage(step: number, payload: Uint8Array): Uint8Array {
  const length: number[] = [];
  let n = payload.length;
  while (n > 0x7f) {
    length.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  length.push(n);
  const out = new Uint8Array(2 + length.length + payload.length);
  out.set([0, step, ...length]);
  out.set(payload, 2 + length.length);
  return out;
}
const EMPTY_STEP1 = syncMessage(0, new Uint8Array([0]));

const t0 = performance.now();
const seeds = Array.from({ length: ROOMS }, (_, i) => roomSeed(i));
const seedBytes = seeds[0]!.update.length;
console.log(`sealed ${ROOMS * BLOBS_PER_ROOM} blobs for ${ROOMS} rooms in ${fmt(performance.now() - t0)} ms`);

/** Opens one socket, says sync step 1 (and, for a room's first, sends its posts), resolves on the first answer. */
function open(server: ServerProcess, i: number): Promise<WebSocket> {
  const { room, update } = seeds[i % ROOMS]!;
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/v1/sync/${room}`, { perMessageDeflate: false });
    const timer = setTimeout(() => reject(new Error(`connection ${i} timed out`)), 30_000);
    ws.once('open', () => {
      ws.send(EMPTY_STEP1);
      if (i < ROOMS) ws.send(syncMessage(2, update));
    });
    ws.once('message', () => {
      clearTimeout(timer);
      resolve(ws);
    });
    ws.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    ws.once('close', (code) => {
      clearTimeout(timer);
      reject(new Error(`connection ${i} closed with ${code}`));
    });
  });
}

async function openAll(server: ServerProcess): Promise<WebSocket[]> {
  const sockets: WebSocket[] = new Array(CONNECTIONS);
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < CONNECTIONS) {
        const i = next++;
        sockets[i] = await open(server, i);
      }
    }),
  );
  for (const ws of sockets) ws.removeAllListeners('close');
  return sockets;
}

async function closeAll(sockets: WebSocket[]): Promise<void> {
  await Promise.all(
    sockets.map(
      (ws) =>
        new Promise<void>((resolve) => {
          if (ws.readyState === WebSocket.CLOSED) return resolve();
          ws.once('close', () => resolve());
          ws.close(1000);
        }),
    ),
  );
}

const mib = (kib: number) => kib / 1024;
interface Stats {
  rssKiB: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  rooms: number;
  logged: number;
}

const machine = describeMachine();
console.log(`Connections: ${CONNECTIONS} over ${ROOMS} rooms (${machine}, load ${loadAverage()})`);
const server = await startBaton({
  idleUnloadMs: IDLE_UNLOAD_MS,
  // The default caps 5,000 connections per relay; this bench needs 10,000.
  limits: { maxConnections: CONNECTIONS * 2 },
});
const rows: (string | number)[][] = [];
let verdict = '';
try {
  await sleep(500);
  const stats = async () => (await server.command('stats')) as unknown as Stats;
  const record = (phase: string, s: Stats) => {
    const m = (bytes: number) => fmt(bytes / 2 ** 20);
    rows.push([phase, fmt(mib(s.rssKiB)), m(s.heapUsed), m(s.heapTotal), m(s.external), s.rooms]);
    console.log(`  ${phase.padEnd(48)} RSS ${fmt(mib(s.rssKiB)).padStart(5)} MiB, JS heap ${m(s.heapUsed).padStart(4)} of ${m(s.heapTotal).padStart(4)} MiB, external ${m(s.external)} MiB, rooms loaded ${s.rooms}`);
  };
  const baseline = await stats();
  record('baseline (started, nothing connected)', baseline);

  const c0 = performance.now();
  const sockets = await openAll(server);
  const connectMs = performance.now() - c0;
  console.log(`  ${CONNECTIONS} connected and answered in ${fmt(connectMs)} ms (${fmt((CONNECTIONS / connectMs) * 1000)} a second)`);
  await sleep(1500);
  const connected = await stats();
  record(`all ${CONNECTIONS} connected`, connected);
  await server.command('gc');
  const connectedGc = await stats();
  record(`all connected, after a full GC`, connectedGc);
  const perConnection = ((connected.rssKiB - baseline.rssKiB) * 1024) / CONNECTIONS;

  await closeAll(sockets);
  const l0 = performance.now();
  let left = await stats();
  while (left.rooms > 0 && performance.now() - l0 < IDLE_UNLOAD_MS * 10) {
    await sleep(250);
    left = await stats();
  }
  const unloadMs = performance.now() - l0;
  record(`all left, rooms unloaded (${fmt(unloadMs / 1000, 1)} s after)`, left);
  await server.command('gc');
  await sleep(300);
  const leftGc = await stats();
  record('all left, after a full GC', leftGc);
  if (left.logged > 0) console.log(`  the relay logged: ${server.errors.slice(0, 5).join(' | ')}`);

  const peak = mib(connected.rssKiB);
  verdict = [
    `- With all ${CONNECTIONS} connected: ${fmt(peak)} MiB (target at most ${MAX_RSS_MIB} MB: ${peak * 1.048576 <= MAX_RSS_MIB ? 'met' : 'MISSED'}), about ${fmt(perConnection / 1024, 1)} KiB per connection over the baseline.`,
    `- After all left and every room was unloaded: ${fmt(mib(left.rssKiB))} MiB as the process stands, ${fmt(mib(leftGc.rssKiB))} MiB after a full GC, against a baseline of ${fmt(mib(baseline.rssKiB))} MiB (${fmt(mib(leftGc.rssKiB - baseline.rssKiB))} MiB above it). JS heap ${fmt(leftGc.heapUsed / 2 ** 20)} MiB against ${fmt(baseline.heapUsed / 2 ** 20)} MiB at the baseline.`,
    `- Connecting all ${CONNECTIONS} (WebSocket handshake, sync step 1 and the relay's answer, ${CONCURRENCY} handshakes in flight) took ${fmt(connectMs / 1000, 1)} s, ${fmt((CONNECTIONS / connectMs) * 1000)} connections a second.`,
  ].join('\n');
  console.log(verdict);
} finally {
  await server.stop();
}

recordSection(
  'Connections',
  [
    `\`node --import tsx test/bench/connections.ts\` on ${machine} (one-minute load average ${loadAverage()} at the end).`,
    '',
    `One Baton relay in a child process (\`startRelay\`, SQLite in a temp dir, open-file limit raised with \`ulimit -n\`, \`limits.maxConnections\` raised from its default 5,000 to ${CONNECTIONS * 2}, \`idleUnloadMs\` ${IDLE_UNLOAD_MS} ms so that unloading shows within the run). The bench process opens ${CONNECTIONS} WebSocket connections, ${PER_ROOM} to each of ${ROOMS} rooms (one space per room). Each connection speaks the y-websocket protocol as a client with an empty document does (sync step 1) and then stays idle; the first connection of each room also sends that room's content, so every room holds ${BLOBS_PER_ROOM} sealed posts (${seedBytes} bytes of envelope-doc update, one stored row). Resident memory is VmRSS of the relay process from /proc; "after a full GC" is the same process after \`global.gc()\` (the relay runs with --expose-gc for this bench only), to tell what is still referenced from what V8 has not yet returned.`,
    '',
    table(['Phase', 'Relay RSS MiB', 'JS heap used MiB', 'JS heap total MiB', 'External MiB', 'Rooms loaded'], ['l', 'r', 'r', 'r', 'r', 'r'], rows),
    '',
    verdict,
    '',
    `Measured ${today()}.`,
  ].join('\n'),
);
console.log('recorded in docs/BENCHMARKS.md');
finish();
