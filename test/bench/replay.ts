// Replays against a relay, under protocol 2 (docs/PROTOCOL.md §8). The relay runs in a child
// process of its own (SQLite in a temp dir), so its CPU is its own:
//   node --import tsx test/bench/replay.ts
// 1. CPU amplification: updates of ~7,900 copies of a public link blob (as much as fits in one
//    1 MiB update), the last copy broken, over WebSocket and HTTP. Relay CPU per update, beside
//    the floor: an update of the same size refused before any signature (trailing bytes).
// 2. /v1/info latency while attackers stream those updates back to back.
// 3. Replay fill: a room's blobs posted back under fresh Yjs ids for a while; what the room gained.
// Prints the figures and records them in docs/BENCHMARKS.md.
import WebSocket from 'ws';
import * as Y from 'yjs';
import { appendSealed, createEnvelopeDoc, createSpace, envelopeLog, initSodium, roomName, sealLinkBlob } from '#shared';
import { syncUpdateMessage } from '../integration/relay-fixtures.ts';
import { replayUpdate } from '../attack/support.ts';
import { finish } from './lib/finish.ts';
import { describeMachine, loadAverage } from './lib/machine.ts';
import { recordSection, table, today } from './lib/report.ts';
import { cpuSeconds, startBaton } from './lib/servers.ts';
import { percentile, sortedCopy } from './lib/stats.ts';

const WARMUP = 30;
const UPDATES = Number(process.env.REPLAY_UPDATES ?? 300);
const STREAM_MS = 8000;
const ATTACKERS = 2;
const FILL_MS = 5000;

await initSodium();
const relay = await startBaton();
const base = `http://127.0.0.1:${relay.port}`;
const wsBase = `ws://127.0.0.1:${relay.port}/v1/sync`;

/** POSTs an update; the status, or 0 when the relay closed the connection unread (a 429 does). */
const post = async (room: string, body: Uint8Array) => {
  try {
    const res = await fetch(`${base}/v1/rooms/${room}`, { method: 'POST', body: body as Uint8Array<ArrayBuffer> });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
};
const held = async (room: string) => new Uint8Array(await (await fetch(`${base}/v1/rooms/${room}`)).arrayBuffer());

/**
 * Board rooms each holding one link blob: what anyone who knows a space id can fetch. HTTP
 * writes are rate-limited per room (20 a second), so the HTTP attack spreads over rooms.
 */
const ROOMS = 40;
const boards = await Promise.all(
  Array.from({ length: ROOMS }, async () => {
    const board = createSpace('board');
    const key = { writePub: board.writePub, epoch: 0, writeSecret: board.write!.secretKey };
    const name = roomName(board.spaceId, 0);
    const seed = createEnvelopeDoc();
    appendSealed(seed, [(pos) => sealLinkBlob(key, createSpace('thread').writePub, pos)]);
    if ((await post(name, Y.encodeStateAsUpdate(seed))) !== 200) throw new Error('seed refused');
    return { room: name, link: envelopeLog(seed).get(0) };
  }),
);

/** Copies of a link blob under a fresh client, the last broken; as many as fit in 1 MiB. */
function attackUpdate(link: Uint8Array): { update: Uint8Array; copies: number } {
  const build = (n: number) => {
    const doc = createEnvelopeDoc();
    const bad = link.slice();
    bad[bad.length - 1]! ^= 1;
    envelopeLog(doc).push([...Array.from({ length: n }, () => link), bad]);
    return Y.encodeStateAsUpdate(doc);
  };
  let n = 7900;
  let update = build(n);
  while (update.length > 1024 * 1024) update = build((n -= 100));
  return { update, copies: n };
}
const attacks = boards.map((b) => ({ room: b.room, ...attackUpdate(b.link) }));
const { room, update: attack, copies } = attacks[0]!;
let turn = 0;
/** The next room's attack update, round robin. */
const nextAttack = () => attacks[turn++ % attacks.length]!;
// The floor: the same bytes, but the delete set (the last byte) claims entries that are not
// there, so the update is refused as malformed after the whole parse and before any signature.
const floor = attack.slice();
floor[floor.length - 1] = 5;

/** Sends one update on a fresh socket and waits for the relay to close it. */
function overWebSocket(update: Uint8Array): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${wsBase}/${room}`);
    ws.on('open', () => ws.send(syncUpdateMessage(update)));
    ws.on('close', (code) => resolve(code));
    ws.on('error', reject);
  });
}

/** Relay CPU per update, in ms, over `n` updates sent one after another. */
async function cpuPer(n: number, send: () => Promise<number>, expect: number): Promise<number> {
  const c0 = cpuSeconds(relay.pid);
  for (let i = 0; i < n; i++) {
    const code = await send();
    if (code !== expect) throw new Error(`expected ${expect}, got ${code}`);
  }
  return ((cpuSeconds(relay.pid) - c0) * 1000) / n;
}

const ws = () => overWebSocket(attack);
const http = () => {
  const a = nextAttack();
  return post(a.room, a.update);
};
await cpuPer(WARMUP, ws, 4400);
await cpuPer(WARMUP, http, 400);
await cpuPer(WARMUP, () => overWebSocket(floor), 4400);
const cpu = {
  ws: await cpuPer(UPDATES, ws, 4400),
  http: await cpuPer(UPDATES, http, 400),
  floorWs: await cpuPer(UPDATES, () => overWebSocket(floor), 4400),
  floorHttp: await cpuPer(UPDATES, () => post(attacks[turn++ % attacks.length]!.room, floor), 400),
};

// /v1/info latency while attackers stream updates back to back.
let streaming = true;
let streamed = 0;
const attackers = Array.from({ length: ATTACKERS }, async (_, i) => {
  while (streaming) {
    await (i % 2 === 0 ? ws() : http());
    streamed++;
  }
});
const latencies: number[] = [];
const streamStart = performance.now();
while (performance.now() - streamStart < STREAM_MS) {
  const t = performance.now();
  await (await fetch(`${base}/v1/info`)).arrayBuffer();
  latencies.push(performance.now() - t);
  await new Promise((r) => setTimeout(r, 20));
}
streaming = false;
await Promise.all(attackers);
const info = sortedCopy(latencies);

// Replay fill: the room's blobs posted back under fresh ids, one ~1 MiB update after another,
// over WebSocket (HTTP would meet the per-room write limit first).
const before = await held(room);
let tried = 0;
let accepted = 0;
let blobsSent = 0;
const fillStart = performance.now();
while (performance.now() - fillStart < FILL_MS) {
  const code = await overWebSocket(replayUpdate(before, 7000));
  tried++;
  blobsSent += 7000;
  if (code !== 4400) accepted++;
}
const after = await held(room);
const grew = after.length - before.length;
await relay.stop();

const machine = describeMachine();
const ms = (v: number) => v.toFixed(2);
console.log(`replay (${machine}; load ${loadAverage()})`);
console.log(`  ${copies} copies + 1 broken, ${attack.length} bytes: relay CPU per update ${ms(cpu.ws)} ms (WebSocket), ${ms(cpu.http)} ms (HTTP); floor ${ms(cpu.floorWs)} / ${ms(cpu.floorHttp)} ms`);
console.log(`  /v1/info during ${streamed} attack updates: median ${ms(percentile(info, 50))} ms, p99 ${ms(percentile(info, 99))} ms, max ${ms(info[info.length - 1]!)} ms over ${info.length} probes`);
console.log(`  replay fill: ${tried} updates (${blobsSent} blobs) in ${FILL_MS / 1000} s, ${accepted} accepted, room grew by ${grew} bytes`);

recordSection(
  'Replays',
  [
    `\`node --import tsx test/bench/replay.ts\` on ${machine} (load ${loadAverage()}). A relay in its own process (SQLite in a temp dir, default limits); relay CPU from /proc, over ${UPDATES} updates each after ${WARMUP} to warm up. Protocol 2 signs each blob together with its Yjs id, so a copy under any other id fails at its own signature check and the validator stops there (docs/PROTOCOL.md §3).`,
    '',
    table(
      ['Attack', 'Figure', 'Protocol 1 (before)'],
      ['l', 'r', 'r'],
      [
        [`${copies} copies of a public link blob + 1 broken (${(attack.length / 1048576).toFixed(2)} MiB), WebSocket`, `${ms(cpu.ws)} ms relay CPU per update`, 'about 800 ms'],
        ['the same over HTTP POST', `${ms(cpu.http)} ms relay CPU per update`, '-'],
        ['floor: the same bytes refused at its last byte (a malformed delete set), WebSocket / HTTP', `${ms(cpu.floorWs)} / ${ms(cpu.floorHttp)} ms`, '-'],
        [`GET /v1/info while ${ATTACKERS} attackers stream those updates (${streamed} in ${STREAM_MS / 1000} s)`, `median ${ms(percentile(info, 50))} ms, p99 ${ms(percentile(info, 99))} ms, max ${ms(info[info.length - 1]!)} ms`, '-'],
        [`replay fill: a room's blobs posted back under fresh ids for ${FILL_MS / 1000} s (${blobsSent} blobs in ${tried} updates)`, `${accepted} accepted, room grew by ${grew} bytes`, 'an 8 MiB room full in 4.7 s'],
      ],
    ),
    '',
    'The floor is what any 1 MiB message costs the relay before the validator looks at a blob (the WebSocket frame, HTTP handling, the parse of all its structs); the attack costs one Ed25519 check more, at its first copy. The targets are under 5 ms per update and /v1/info under 50 ms; relay CPU is counted by the kernel and varies little with load, while the /v1/info tail is wall-clock time, and with a load average above the core count it measures the scheduler more than the relay (the median is the figure to compare). The protocol 1 column is from the measurements that led to protocol 2.',
    '',
    `Measured ${today()}.`,
  ].join('\n'),
);
console.log('recorded in docs/BENCHMARKS.md');
finish();
