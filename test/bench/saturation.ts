// Saturation: how many updates a second a server delivers when writers offer more than it can
// take. Many rooms, each with two writers and one reader (a small fan-out), all on bare TCP
// sockets (test/bench/lib/raw-ws.ts): prebuilt frames, every frame due written in one write
// per writer and tick, and the readers' frames counted from their headers. The load generator
// shares the two cores with the server it measures, so it costs as little as it can.
// Baton is run twice, with signatures verified in its worker pool and on its event loop
// (`verify: 'inline'`), beside the stock y-websocket server (@y/websocket-server 0.1.1),
// which verifies nothing; each server in a child process of its own.
//   node --import tsx test/bench/saturation.ts
// Prints the figures and records them in docs/BENCHMARKS.md. For experiments (nothing is
// recorded then): SATURATION_ROOMS=40 SATURATION_RATE=40 SATURATION_ROUNDS=1 SATURATION_ONLY=baton-pool|baton-inline|stock.
import { createPrivateKey, randomBytes, sign, type KeyObject } from 'node:crypto';
import type { Socket } from 'node:net';
import * as Y from 'yjs';
import { BLOB_VERSION, BlobKind, NONCE_LENGTH, signedMessage, type BlobPosition } from '#shared/blob.ts';
import { LOG_ARRAY_NAME } from '#shared/envelope/validate.ts';
import { initSodium } from '#shared/sodium.ts';
import { roomName } from '#shared';
import { writeSyncUpdate } from '#shared/wire/index.ts';
import { testRoom, type TestRoom } from '../support/rooms.ts';
import { describeMachine, loadAverage, machineCpu, waitForQuiet } from './lib/machine.ts';
import { recordSection, table, today } from './lib/report.ts';
import { cpuSeconds, mainThreadCpuSeconds, startBaton, startStock, type ServerProcess } from './lib/servers.ts';
import { fmt, sleep } from './lib/stats.ts';
import { finish } from './lib/finish.ts';
import { FrameCounter, frameRun, framesBetween, openRawWebSocket, type FrameRun } from './lib/raw-ws.ts';

const ROOMS = Number(process.env.SATURATION_ROOMS ?? 60);
const WRITERS_PER_ROOM = 2;
/** Updates a second per writer. */
const RATE = Number(process.env.SATURATION_RATE ?? 200);
const ROUNDS = Number(process.env.SATURATION_ROUNDS ?? 2);
const WARMUP_MS = 2000;
const MEASURE_MS = 6000;
const BODY_BYTES = 400;
const TICK_MS = 10;
const record = !process.env.SATURATION_ROOMS && !process.env.SATURATION_RATE && !process.env.SATURATION_ROUNDS && !process.env.SATURATION_ONLY;

/**
 * Baton's per-connection rate limits are lifted: a saturated server reads late, sees a burst
 * and would close writers, which measures the limiter rather than the server.
 */
const UNLIMITED = { messagesPerSecond: 1e6, messageBurst: 1e6, inboundBytesPerSecond: 1e9, inboundByteBurst: 1e9 };

type Config = 'baton-pool' | 'baton-inline' | 'stock';

interface Result {
  config: Config;
  round: number;
  offered: number;
  delivered: number; // updates a second the readers received
  serverCores: number; // CPU of all the server's threads, in cores
  cpuPerUpdateMs: number; // server CPU per delivered update
  loopPerUpdateMs: number; // the server's main thread (event loop) alone, per delivered update
  loadgenCores: number;
  others: number; // cores busy with other processes
  closedByServer: number; // sockets the server sent a close frame (a writer closed sends nothing more)
}

await initSodium();
const writers = ROOMS * WRITERS_PER_ROOM;
const perWriter = Math.ceil((RATE * (WARMUP_MS + MEASURE_MS + 1000)) / 1000);

const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** A kind-1 blob as a relay sees it: opaque body, write signature for its position (node:crypto signs quickly). */
const signingKeys = new Map<TestRoom, KeyObject>();
function blobFor(room: TestRoom, pos: BlobPosition): Uint8Array {
  let key = signingKeys.get(room);
  if (!key) signingKeys.set(room, (key = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, room.key.writeSecret.subarray(0, 32)]), format: 'der', type: 'pkcs8' })));
  const unsigned = new Uint8Array(2 + NONCE_LENGTH + BODY_BYTES);
  unsigned[0] = BLOB_VERSION;
  unsigned[1] = BlobKind.update;
  unsigned.set(randomBytes(NONCE_LENGTH + BODY_BYTES), 2);
  const sig = sign(null, signedMessage(room.roomKey, pos, unsigned), key);
  const out = new Uint8Array(unsigned.length + sig.length);
  out.set(unsigned);
  out.set(sig, unsigned.length);
  return out;
}

/** One writer's messages, in order: each a sync update appending one item to the log. */
function writerMessages(client: number, blob: (pos: BlobPosition) => Uint8Array): Uint8Array[] {
  const doc = new Y.Doc();
  doc.clientID = client;
  const out: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => out.push(writeSyncUpdate(update)));
  const log = doc.getArray<Uint8Array>(LOG_ARRAY_NAME);
  for (let i = 0; i < perWriter; i++) log.push([blob({ client, clock: Y.getState(doc.store, client) })]);
  doc.destroy();
  return out;
}

const built = performance.now();
const rooms = Array.from({ length: ROOMS }, (_, r) => testRoom(200 + r));
const batonRuns: FrameRun[] = [];
const stockRuns: FrameRun[] = [];
for (let w = 0; w < writers; w++) {
  const room = rooms[Math.floor(w / WRITERS_PER_ROOM)]!;
  batonRuns.push(frameRun(writerMessages(1000 + w, (pos) => blobFor(room, pos))));
  // The stock server gets the same Yjs structure with unsigned bytes of the same size.
  stockRuns.push(frameRun(writerMessages(1000 + w, () => new Uint8Array(randomBytes(2 + NONCE_LENGTH + BODY_BYTES + 64)))));
}
console.log(`built ${writers} writers x ${perWriter} updates in ${((performance.now() - built) / 1000).toFixed(1)} s`);

async function run(config: Config, round: number): Promise<Result> {
  await waitForQuiet(5000);
  const server: ServerProcess = config === 'stock' ? await startStock() : await startBaton({ verify: config === 'baton-pool' ? 'pool' : 'inline', limits: UNLIMITED });
  const sockets: Socket[] = [];
  try {
    const names = rooms.map((r) => roomName(r.cap.spaceId, 0));
    const url = (name: string) => `${server.providerUrl}/${name}`;
    // Messages 0 (sync), 2 (update): one per delivered update, counted from frame headers.
    const counters = names.map(() => new FrameCounter(0, 2));
    const readers = await Promise.all(names.map((name, i) => openRawWebSocket(url(name), counters[i])));
    sockets.push(...readers);
    // Writers' frames are read too: a writer the server closes gets a close frame, not a TCP close.
    const writerFrames = Array.from({ length: writers }, () => new FrameCounter(0, 2));
    const ws = await Promise.all(writerFrames.map((frames, w) => openRawWebSocket(url(names[Math.floor(w / WRITERS_PER_ROOM)]!), frames)));
    sockets.push(...ws);
    const allFrames = [...counters, ...writerFrames];
    const runs: FrameRun[] = config === 'stock' ? stockRuns : batonRuns;
    const sent = new Array<number>(writers).fill(0);
    const start = performance.now();
    // Every frame due is written in one write per writer and tick.
    const timer = setInterval(() => {
      const due = Math.min(perWriter, Math.floor(((performance.now() - start) * RATE) / 1000));
      for (let w = 0; w < writers; w++) {
        const s = ws[w]!;
        if (s.destroyed || sent[w]! >= due) continue;
        s.write(framesBetween(runs[w]!, sent[w]!, due));
        sent[w] = due;
      }
    }, TICK_MS);
    await sleep(WARMUP_MS);
    const cpu0 = cpuSeconds(server.pid);
    const loop0 = mainThreadCpuSeconds(server.pid);
    const self0 = process.cpuUsage();
    const machine0 = machineCpu();
    const t0 = performance.now();
    for (const c of counters) c.counting = true;
    await sleep(MEASURE_MS);
    for (const c of counters) c.counting = false;
    const received = counters.reduce((n, c) => n + c.count, 0);
    const seconds = (performance.now() - t0) / 1000;
    const cpu1 = cpuSeconds(server.pid);
    const loop1 = mainThreadCpuSeconds(server.pid);
    const self1 = process.cpuUsage(self0);
    const machine1 = machineCpu();
    clearInterval(timer);
    const closedByServer = allFrames.filter((f) => f.closes > 0).length;
    if (closedByServer > 0) console.log(`  ${config}: ${closedByServer} sockets closed by the server`);
    const serverCores = (cpu1 - cpu0) / seconds;
    const loadgenCores = (self1.user + self1.system) / 1e6 / seconds;
    const delivered = received / seconds;
    const result: Result = {
      config,
      round,
      offered: writers * RATE,
      delivered,
      serverCores,
      cpuPerUpdateMs: delivered > 0 ? (serverCores * 1000) / delivered : Number.NaN,
      loopPerUpdateMs: delivered > 0 ? ((loop1 - loop0) * 1000) / seconds / delivered : Number.NaN,
      loadgenCores,
      others: Math.max(0, (machine1.busy - machine0.busy) / seconds - serverCores - loadgenCores),
      closedByServer,
    };
    console.log(
      `  ${config} round ${round}: delivered ${fmt(delivered)}/s of ${result.offered} offered, server ${fmt(serverCores, 2)} cores, ${fmt(result.cpuPerUpdateMs, 3)} ms CPU per update (event loop ${fmt(result.loopPerUpdateMs, 3)}), load generator ${fmt(loadgenCores, 2)} cores, others ${fmt(result.others, 2)}`,
    );
    if (server.errors.length > 0) console.log(`  server said: ${server.errors.slice(0, 3).join(' | ')}`);
    return result;
  } finally {
    for (const s of sockets) s.destroy();
    await server.stop();
  }
}

const machine = describeMachine();
const startLoad = loadAverage();
const results: Result[] = [];
const order: Config[][] = [
  ['baton-pool', 'baton-inline', 'stock'],
  ['baton-inline', 'baton-pool', 'stock'],
];
const only = process.env.SATURATION_ONLY as Config | undefined;
for (let round = 1; round <= ROUNDS; round++) for (const config of order[(round - 1) % 2]!) if (!only || config === only) results.push(await run(config, round));

const best = (config: Config) => results.filter((r) => r.config === config).reduce<Result | null>((a, b) => (!a || b.delivered > a.delivered ? b : a), null);
const pool = best('baton-pool');
const inline = best('baton-inline');
const stock = best('stock');
if (pool && inline) console.log(`pool over inline: ${(pool.delivered / inline.delivered).toFixed(2)}x (target 1.7x)`);

if (record && pool && inline && stock) {
  const gain = pool.delivered / inline.delivered;
  const row = (label: string, r: Result) => [label, fmt(r.delivered), fmt(r.serverCores, 2), fmt(r.cpuPerUpdateMs, 3), fmt(r.loopPerUpdateMs, 3), fmt(r.loadgenCores, 2), fmt(r.others, 2)];
  recordSection(
    'Saturation',
    [
      `\`node --import tsx test/bench/saturation.ts\`, ${today()}, on ${machine} (one-minute load average ${startLoad} at the start; the machine is shared, the "other" column is what other processes kept busy during each window). ${ROOMS} rooms, each with ${WRITERS_PER_ROOM} writers and 1 reader on bare TCP sockets speaking WebSocket; every writer sends one update (one blob of ${2 + NONCE_LENGTH + BODY_BYTES + 64} bytes, signed for its Yjs id) ${RATE} times a second, ${writers * RATE} a second offered in all, more than Baton delivers here in either mode (the stock server, which checks nothing, about keeps up). The load generator writes prebuilt frames, all those due in one write per writer every ${TICK_MS} ms, and counts the readers' update messages from their frame headers (test/bench/lib/raw-ws.ts); it used to run the ws library, at about three times the CPU per update. Delivered: updates a second the readers received over ${MEASURE_MS / 1000} s after ${WARMUP_MS / 1000} s of warm-up; server CPU counts every thread of its process. Best of ${ROUNDS} rounds, the order of the servers alternating; all rounds are listed below.`,
      '',
      table(
        ['server', 'delivered/s', 'server cores', 'server CPU ms per update', 'its event loop ms per update', 'load generator cores', 'other cores'],
        ['l', 'r', 'r', 'r', 'r', 'r', 'r'],
        [row('Baton, verification in the worker pool', pool), row('Baton, verification on the event loop', inline), row('stock y-websocket server (no verification)', stock)],
      ),
      '',
      `Pool over event loop: **${gain.toFixed(2)}x** the delivered updates (target at least 1.7x). Stock over Baton with the pool: ${(stock.delivered / pool.delivered).toFixed(2)}x.`,
      '',
      `Every round: ${results.map((r) => `${r.config} ${fmt(r.delivered)}/s (${fmt(r.serverCores, 2)} cores, others ${fmt(r.others, 2)}${r.closedByServer > 0 ? `, ${r.closedByServer} sockets closed by the server` : ''})`).join('; ')}.`,
    ].join('\n'),
  );
}
finish();
