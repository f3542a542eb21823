// Fan-out: 50 stock y-websocket clients in one room, each sending small updates, against the
// stock y-websocket server (@y/websocket-server 0.1.1, its own bin, in memory) and against a
// Baton relay (SQLite, the default storage), each in a child process of its own.
//   node --import tsx test/bench/fanout.ts
// Baton's clients push real envelope-doc updates: sealed, signed blobs the relay verifies.
// The stock server's clients push plain Yjs updates of the same byte size.
// Prints the figures and records them in docs/BENCHMARKS.md. For experiments (nothing is
// recorded then): FANOUT_LEVELS=2,5 FANOUT_ROUNDS=1 FANOUT_ONLY=baton|stock,
// FANOUT_RELAY_OPTIONS='<RelayOptions JSON>', FANOUT_LOOP_DELAY=1 (the relay's event-loop
// delay per level), and BENCH_PROFILE=<dir> for a CPU profile of the relay process.
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import { WebsocketProvider } from 'y-websocket';
import { BlobKind, sealUpdateBlob } from '#shared/blob.ts';
import { LOG_ARRAY_NAME } from '#shared/envelope/validate.ts';
import { initSodium, sodium } from '#shared/sodium.ts';
import { createPrng } from '../support/prng.ts';
import { testIdentity, testRoom } from '../support/rooms.ts';
import { describeMachine, loadAverage, machineCpu, waitForQuiet } from './lib/machine.ts';
import { writeChart, type Bar } from './lib/chart.ts';
import { recordSection, table, today } from './lib/report.ts';
import { cpuSeconds, startBaton, startStock, type ServerProcess } from './lib/servers.ts';
import { fmt, percentile, ratio, sleep, sortedCopy } from './lib/stats.ts';
import { finish } from './lib/finish.ts';

const CLIENTS = 50;
/** Updates a second sent by each client: a busy room, then a stress level. */
const LEVELS = process.env.FANOUT_LEVELS ? process.env.FANOUT_LEVELS.split(',').map(Number) : [2, 5];
/** Long enough that both servers have compiled their hot paths: a relay runs for months. */
const WARMUP_MS = 3000;
const MEASURE_MS = 6000;
const DRAIN_MS = 1000;
const ROUNDS = Number(process.env.FANOUT_ROUNDS ?? 3);
const POOL = 1000;

type Kind = 'stock' | 'baton';

interface LevelResult {
  kind: Kind;
  perClient: number;
  offered: number; // updates a second into the server
  delivered: number; // updates a second observed by the other clients
  deliveredShare: number; // of the updates sent in the window, the share every receiver saw
  p50: number;
  p99: number;
  serverCpu: number; // share of one core
  clientCpu: number;
  capacity: number; // deliveries per server CPU second
  others: number; // cores busy with other processes during the window
  round: number;
}

// Each WebsocketProvider adds a process exit listener; 50 of them are expected here.
process.setMaxListeners(4 * CLIENTS);
await initSodium();
const prng = createPrng(2026);
const room = testRoom(42);
const roomName = `${sodium().to_base64(room.cap.writePub, sodium().base64_variants.URLSAFE_NO_PADDING)}.0`;

// A small post, as the client core seals it: one plaintext Yjs update per post.
function postUpdate(i: number): Uint8Array {
  const doc = new Y.Doc();
  const body = `post ${i}: ` + 'the relay is blocked here since Monday, use the mirror in the thread above. '.repeat(2);
  doc.getMap('posts').set(`p${i}`, { id: `p${i}`, author: 'x'.repeat(43), name: 'someone', ts: Date.now(), body, sig: 's'.repeat(86) });
  return Y.encodeStateAsUpdate(doc);
}
const authors = Array.from({ length: CLIENTS }, (_, i) => testIdentity(100 + i));
const updates = Array.from({ length: POOL }, (_, i) => postUpdate(i));
// A blob is signed for the Yjs id it lands at (protocol 2): each Baton client's blobs are
// sealed ahead of each level for the ids it will push them at, so sealing stays out of the
// measured window, as it was when a pool of blobs could be sealed once for every client.
const sealAt = (i: number, pos: { client: number; clock: number }) => sealUpdateBlob(room.key, BlobKind.update, authors[i % CLIENTS]!, updates[i % POOL]!, pos);
const presealed = new Map<number, Uint8Array[]>();
/** Seals, for every client, its next `count` blobs at the ids they will land at. */
function sealAhead(clients: Client[], count: number, sequence: { n: number }): void {
  for (const c of clients) {
    const list = presealed.get(c.doc.clientID) ?? [];
    const clock = Y.getState(c.doc.store, c.doc.clientID);
    while (list.length < clock + count) list.push(sealAt(sequence.n++, { client: c.doc.clientID, clock: list.length }));
    presealed.set(c.doc.clientID, list);
  }
}
const blobBytes = sealAt(0, { client: 0, clock: 0 }).length;
// Plain payloads of exactly the same sizes for the stock server: no encryption, no signatures.
const plain = updates.map((_, i) => prng.bytes(sealAt(i, { client: 0, clock: 0 }).length));

/** Send times by Yjs id (client * 2^21 + clock): every receiver looks its deliveries up here. */
const sentAt = new Map<number, number>();
const idKey = (client: number, clock: number) => client * 2 ** 21 + clock;

interface Window {
  start: number;
  end: number;
  latencies: number[];
  deliveredInWindow: number;
}
let current: Window | null = null;

interface Client {
  doc: Y.Doc;
  provider: WebsocketProvider;
  awareness: Awareness;
}

function connect(server: ServerProcess): Promise<Client[]> {
  const clients: Client[] = [];
  const synced: Promise<void>[] = [];
  for (let i = 0; i < CLIENTS; i++) {
    const doc = new Y.Doc();
    const awareness = new Awareness(doc);
    awareness.setLocalState(null); // no presence traffic: the same on both servers
    const provider = new WebsocketProvider(server.providerUrl, server.kind === 'baton' ? roomName : 'bench-room', doc, {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      awareness,
      disableBc: true, // clients in one process must not bypass the server
    });
    // Each new item is one clock of its sender; the transaction's state vectors name them
    // without walking the array (YEvent.changes would, at O(length) per delivery).
    doc.on('afterTransaction', (tr: Y.Transaction) => {
      if (tr.local) return;
      const w = current;
      if (!w) return;
      const now = performance.now();
      for (const [client, after] of tr.afterState) {
        for (let clock = tr.beforeState.get(client) ?? 0; clock < after; clock++) {
          const t0 = sentAt.get(idKey(client, clock));
          if (t0 === undefined) continue;
          if (now >= w.start && now < w.end) w.deliveredInWindow++;
          if (t0 >= w.start && t0 < w.end) w.latencies.push(now - t0);
        }
      }
    });
    synced.push(new Promise((resolve) => provider.once('sync', () => resolve())));
    clients.push({ doc, provider, awareness });
  }
  return Promise.race([
    Promise.all(synced).then(() => clients),
    sleep(15_000).then(() => {
      throw new Error(`clients did not sync with the ${server.kind} server: ${server.errors.join(' | ')}`);
    }),
  ]);
}

function disconnect(clients: Client[]): void {
  for (const c of clients) {
    c.provider.destroy();
    c.awareness.destroy();
    c.doc.destroy();
  }
}

/** Every client sends `perClient` updates a second, staggered, open loop (late sends catch up). */
async function runLevel(server: ServerProcess, clients: Client[], perClient: number, sequence: { n: number }): Promise<LevelResult> {
  const period = 1000 / perClient;
  if (server.kind === 'baton') sealAhead(clients, Math.ceil(((WARMUP_MS + MEASURE_MS) / 1000 + 2) * perClient * 1.5), sequence);
  const begin = performance.now() + 20;
  const w: Window = { start: begin + WARMUP_MS, end: begin + WARMUP_MS + MEASURE_MS, latencies: [], deliveredInWindow: 0 };
  current = w;
  let sentInWindow = 0;
  let stop = false;
  const senders = clients.map((c, i) => {
    const log = c.doc.getArray<Uint8Array>(LOG_ARRAY_NAME);
    let next = begin + (i * period) / CLIENTS;
    return new Promise<void>((resolve) => {
      const tick = () => {
        if (stop) return resolve();
        const now = performance.now();
        if (now >= next) {
          const clock = Y.getState(c.doc.store, c.doc.clientID);
          // (A client past its sealed-ahead blobs seals here: late sends catching up.)
          const payload = server.kind === 'baton' ? (presealed.get(c.doc.clientID)?.[clock] ?? sealAt(sequence.n++, { client: c.doc.clientID, clock })) : plain[sequence.n++ % POOL]!;
          const sent = performance.now();
          sentAt.set(idKey(c.doc.clientID, clock), sent);
          if (sent >= w.start && sent < w.end) sentInWindow++;
          log.push([payload]);
          next += period;
        }
        setTimeout(tick, Math.max(0, next - performance.now()));
      };
      tick();
    });
  });
  await sleep(w.start - performance.now());
  if (process.env.FANOUT_LOOP_DELAY && server.kind === 'baton') await server.command('stats');
  const cpu0 = cpuSeconds(server.pid);
  const client0 = process.cpuUsage();
  const machine0 = machineCpu();
  await sleep(w.end - performance.now());
  const cpu1 = cpuSeconds(server.pid);
  const client1 = process.cpuUsage(client0);
  const machine1 = machineCpu();
  stop = true;
  if (process.env.FANOUT_LOOP_DELAY && server.kind === 'baton') {
    const st = await server.command('stats');
    console.log(`    relay event loop delay: p99 ${fmt(st.loopDelayP99Ms!, 1)} ms, max ${fmt(st.loopDelayMaxMs!, 1)} ms`);
  }
  await Promise.all(senders);
  await sleep(DRAIN_MS);
  current = null;
  sentAt.clear();
  const seconds = MEASURE_MS / 1000;
  const lat = sortedCopy(w.latencies);
  const serverCpu = (cpu1 - cpu0) / seconds;
  const clientCpu = (client1.user + client1.system) / 1e6 / seconds;
  return {
    kind: server.kind,
    perClient,
    offered: sentInWindow / seconds,
    delivered: w.deliveredInWindow / seconds,
    deliveredShare: sentInWindow > 0 ? w.latencies.length / (sentInWindow * (CLIENTS - 1)) : 0,
    p50: percentile(lat, 50),
    p99: percentile(lat, 99),
    serverCpu,
    clientCpu,
    capacity: serverCpu > 0 ? w.deliveredInWindow / (cpu1 - cpu0) : Number.NaN,
    others: Math.max(0, (machine1.busy - machine0.busy) / seconds - serverCpu - clientCpu),
    round: 0,
  };
}

async function runServer(kind: Kind): Promise<LevelResult[]> {
  // Other work on a shared machine makes latency meaningless: wait a little for a quiet moment.
  await waitForQuiet(5000);
  const server = kind === 'baton' ? await startBaton(JSON.parse(process.env.FANOUT_RELAY_OPTIONS ?? '{}')) : await startStock();
  try {
    const clients = await connect(server);
    await sleep(300);
    const results: LevelResult[] = [];
    const sequence = { n: 0 };
    // A first run at the highest level, not recorded: both servers' hot paths are compiled by
    // then, as in a server that has been up for a while (otherwise the first level measured
    // also pays for the JIT compiler, more for the server with more code).
    await runLevel(server, clients, Math.max(...LEVELS), sequence);
    for (const level of LEVELS) results.push(await runLevel(server, clients, level, sequence));
    disconnect(clients);
    if (server.errors.length > 0) console.log(`  ${kind} server said: ${server.errors.slice(0, 5).join(' | ')}`);
    return results;
  } finally {
    await server.stop();
  }
}

const machine = describeMachine();
console.log(`Fan-out: ${CLIENTS} clients in one room, ${blobBytes}-byte updates (${machine}, load ${loadAverage()})`);
const all: LevelResult[] = [];
for (let round = 0; round < ROUNDS; round++) {
  // Alternate which server goes first, so neither always meets a warmer or busier machine.
  const order = (round % 2 === 0 ? ['stock', 'baton'] : ['baton', 'stock']).filter((k) => !process.env.FANOUT_ONLY || k === process.env.FANOUT_ONLY) as Kind[];
  for (const kind of order) {
    for (const r of await runServer(kind)) {
      r.round = round + 1;
      all.push(r);
      console.log(
        `  round ${round + 1} ${kind.padEnd(5)} ${String(r.perClient).padStart(2)}/s per client: offered ${fmt(r.offered)}/s, delivered ${fmt(r.delivered)}/s (${fmt(r.deliveredShare * 100, 1)} %), p50 ${fmt(r.p50, 2)} ms, p99 ${fmt(r.p99, 2)} ms, server CPU ${fmt(r.serverCpu * 100, 1)} % (${fmt(r.capacity)} deliveries per CPU s), client CPU ${fmt(r.clientCpu * 100)} %, other processes ${fmt(r.others, 2)} cores`,
      );
    }
  }
}

/** Best of the rounds for each figure: robust to other work on a shared machine. */
function best(kind: Kind, perClient: number): LevelResult {
  const rs = all.filter((r) => r.kind === kind && r.perClient === perClient);
  const pick = (f: (r: LevelResult) => number, max: boolean) => (max ? Math.max(...rs.map(f)) : Math.min(...rs.map(f)));
  return {
    ...rs[0]!,
    offered: pick((r) => r.offered, true),
    delivered: pick((r) => r.delivered, true),
    deliveredShare: pick((r) => r.deliveredShare, true),
    p50: pick((r) => r.p50, false),
    p99: pick((r) => r.p99, false),
    serverCpu: pick((r) => r.serverCpu, false),
    clientCpu: pick((r) => r.clientCpu, false),
    capacity: pick((r) => r.capacity, true),
    others: pick((r) => r.others, false),
  };
}

/** The table, the verdicts and the charts, into docs/BENCHMARKS.md. */
function report(): void {
  const rows: (string | number)[][] = [];
  const verdicts: string[] = [];
  console.log(`\nBest of ${ROUNDS} rounds:`);
  for (const level of LEVELS) {
    const s = best('stock', level);
    const b = best('baton', level);
    for (const r of [s, b]) {
      rows.push([
        `${level}/s`,
        r.kind === 'stock' ? 'stock @y/websocket-server 0.1.1' : 'Baton relay (SQLite)',
        fmt(r.offered),
        fmt(r.delivered),
        `${fmt(r.deliveredShare * 100, 1)} %`,
        fmt(r.p50, 2),
        fmt(r.p99, 2),
        `${fmt(r.serverCpu * 100)} %`,
        fmt(r.capacity),
        `${fmt(r.clientCpu * 100)} %`,
      ]);
    }
    const tput = b.delivered / s.delivered;
    const p99 = b.p99 / s.p99;
    const line = `${level}/s per client: throughput ${ratio(b.delivered, s.delivered)} (target >= 0.8x: ${tput >= 0.8 ? 'met' : 'MISSED'}), p99 ${ratio(b.p99, s.p99)} (target <= 1.25x: ${p99 <= 1.25 ? 'met' : 'MISSED'}), p50 ${ratio(b.p50, s.p50)}, server CPU per delivery ${ratio(s.capacity, b.capacity)}`;
    verdicts.push(`- ${line}`);
    console.log(`  ${line}`);
  }

  const serverName = (kind: Kind) => (kind === 'stock' ? 'stock server' : 'Baton');
  const perLevel = (f: (r: LevelResult) => number) =>
    LEVELS.flatMap((level) => (['stock', 'baton'] as Kind[]).map((kind): Bar => ({ label: `${level}/s per client, ${serverName(kind)}`, value: f(best(kind, level)), kind: kind === 'stock' ? 'peer' : 'baton' })));
  const latencyChart = writeChart('fanout-latency', {
    title: `${CLIENTS} clients in one room: p99 publish-to-receive latency (best of ${ROUNDS} rounds)`,
    unit: 'ms',
    digits: 1,
    bars: perLevel((r) => r.p99),
  });
  const cpuChart = writeChart('fanout-cpu', {
    title: 'Deliveries one core of the server carries (higher is better)',
    unit: '/s',
    bars: perLevel((r) => r.capacity),
  });

  recordSection(
    'Fan-out',
    [
      `\`node --import tsx test/bench/fanout.ts\` on ${machine} (one-minute load average ${loadAverage()} at the start). The machine is shared and latency on a starved client process says little about a server, so before each server the script waits up to 5 s for a second in which other processes keep under half a core busy, servers alternate which goes first, and each figure is the best of ${ROUNDS} rounds (every round is listed below the table).`,
      '',
      `${CLIENTS} stock y-websocket clients (\`WebsocketProvider\` from y-websocket with \`ws\`, no awareness state, no BroadcastChannel) share one room in the bench process; the server runs in a child process of its own, so the clients' CPU does not count as the server's. Each client sends updates at a fixed rate, staggered, open loop (a late send catches up; nothing waits for delivery), for ${WARMUP_MS / 1000} s of warm-up and ${MEASURE_MS / 1000} s measured, after one unrecorded run of the highest level, so that each server's hot paths are compiled. Latency is publish to receive: the send time is recorded by Yjs id when a client pushes, and every other client's observer takes the difference when the item arrives.`,
      '',
      `- Stock: \`@y/websocket-server\` 0.1.1 (the last release on yjs 13) started by its own bin, documents in memory. The clients push plain Yjs updates of ${blobBytes}-byte random payloads into a \`Y.Array\`.`,
      `- Baton: \`startRelay\`, compiled as \`npm run build\` compiles the relay (not run under tsx), with SQLite in a temp dir (the default storage, WAL, synchronous=NORMAL) and default limits. The clients push real envelope-doc updates: each a ${blobBytes}-byte kind-1 blob (a small post sealed with XChaCha20-Poly1305, author-signed and write-signed), so the relay validates and verifies a signature on every update, stores it and fans it out.`,
      '',
      table(
        ['Rate per client', 'Server', 'Offered updates/s', 'Delivered updates/s', 'Delivered in time', 'p50 ms', 'p99 ms', 'Server CPU', 'Deliveries per server CPU s', 'Client process CPU'],
        ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
        rows,
      ),
      '',
      'Baton over stock (throughput and latency targets: delivered updates/s at least 0.8x, p99 at most 1.25x):',
      '',
      ...verdicts,
      '',
      `![p99 latency per server and rate](${latencyChart})`,
      '',
      `![Deliveries per server CPU second](${cpuChart})`,
      '',
      'Every round (p99 ms, and the cores other processes on the machine kept busy meanwhile):',
      '',
      ...LEVELS.map((level) => `- ${level}/s: ${all.filter((r) => r.perClient === level).map((r) => `round ${r.round} ${r.kind} ${fmt(r.p99)} ms (others ${fmt(r.others, 1)})`).join(', ')}`),
      '',
      '"Delivered in time" is the share of (update, receiver) pairs of the measured window seen before the drain ended. Server CPU is the server process\'s user+system time over the window, as a share of one core; "deliveries per server CPU s" is what one core of the server would carry at that mix. The client process (50 Yjs docs applying every update) shares the other core, so at the stress level it, not the server, bounds the delivered rate for both servers.',
      '',
      `Measured ${today()}.`,
    ].join('\n'),
  );
  console.log('recorded in docs/BENCHMARKS.md');
}

if (process.env.FANOUT_ONLY || process.env.FANOUT_LEVELS || process.env.FANOUT_ROUNDS || process.env.FANOUT_RELAY_OPTIONS) {
  console.log('an experiment: nothing recorded');
} else {
  report();
}
finish();
