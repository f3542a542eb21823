// Cluster: one relay node vs two nodes on one PostgreSQL and one Redis (throwaway instances,
// all on this machine), with stock y-websocket clients pushing sealed, signed blobs.
//   node --import tsx test/bench/cluster.ts        (npm run bench -- cluster)
// Steady fan-out: CLIENTS clients in one room, each sending RATE updates a second; latency
// from send to arrival at every other client, split into receivers on the sender's node and
// on the other node (what the bus adds). Burst: WRITERS clients on node A send BURST updates
// as fast as they can; how long until a client on A, and one on B, hold them all.
// Records the section "Cluster" of docs/BENCHMARKS.md (not when CLUSTER_NO_RECORD=1).
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { Awareness } from 'y-protocols/awareness';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { BlobKind, sealUpdateBlob } from '#shared/blob.ts';
import { appendBlobs, createEnvelopeDoc, type Sealer } from '#shared/envelope/doc.ts';
import { initSodium, sodium } from '#shared/sodium.ts';
import { plainUpdate, testIdentity, testRoom } from '../support/rooms.ts';
import { startPostgres, startRedis } from '../cluster/services.ts';
import { describeMachine, loadAverage, waitForQuiet } from './lib/machine.ts';
import { recordSection, table, today } from './lib/report.ts';
import { startBaton, type ServerProcess } from './lib/servers.ts';
import { fmt, percentile, sleep, sortedCopy } from './lib/stats.ts';
import { finish } from './lib/finish.ts';

const CLIENTS = 20;
const RATE = 5;
const MEASURE_MS = 5000;
const WRITERS = 4;
const BURST = 500; // per writer
const LIMITS = { messagesPerSecond: 100_000, messageBurst: 100_000 };

process.setMaxListeners(4 * CLIENTS);
await initSodium();
let roomSeed = 60;
const authors = Array.from({ length: CLIENTS }, (_, i) => testIdentity(100 + i));

interface Client {
  doc: Y.Doc;
  provider: WebsocketProvider;
  node: number;
}

/** Send times by Yjs id, and the node each sender is on. */
const sentAt = new Map<string, { t: number; node: number }>();
const idKey = (client: number, clock: number) => `${client}:${clock}`;
let onDeliver: ((receiver: Client, sender: { t: number; node: number }, now: number) => void) | null = null;

function roomNameOf(room: ReturnType<typeof testRoom>): string {
  return `${sodium().to_base64(room.cap.writePub, sodium().base64_variants.URLSAFE_NO_PADDING)}.0`;
}

async function connect(servers: ServerProcess[], name: string, count: number, nodeOf: (i: number) => number): Promise<Client[]> {
  const clients: Client[] = [];
  for (let i = 0; i < count; i++) {
    const node = nodeOf(i);
    const doc = createEnvelopeDoc();
    const awareness = new Awareness(doc);
    awareness.setLocalState(null);
    const provider = new WebsocketProvider(servers[node]!.providerUrl, name, doc, {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      awareness,
      disableBc: true,
    });
    const client: Client = { doc, provider, node };
    doc.on('afterTransaction', (tr: Y.Transaction) => {
      if (tr.local || !onDeliver) return;
      const now = performance.now();
      for (const [id, after] of tr.afterState) {
        for (let clock = tr.beforeState.get(id) ?? 0; clock < after; clock++) {
          const sent = sentAt.get(idKey(id, clock));
          if (sent) onDeliver(client, sent, now);
        }
      }
    });
    clients.push(client);
  }
  await Promise.all(clients.map((c) => new Promise<void>((resolve) => (c.provider.synced ? resolve() : c.provider.once('sync', () => resolve())))));
  return clients;
}

function disconnect(clients: Client[]): void {
  for (const c of clients) {
    c.provider.destroy();
    c.provider.awareness.destroy();
  }
}

/** Seals at the client's next id (protocol 2) before the send time is taken, then appends. */
function send(client: Client, seal: Sealer): void {
  const clock = Y.getState(client.doc.store, client.doc.clientID);
  const blob = seal({ client: client.doc.clientID, clock });
  sentAt.set(idKey(client.doc.clientID, clock), { t: performance.now(), node: client.node });
  appendBlobs(client.doc, [blob]);
}

interface Steady {
  offered: number;
  delivered: number;
  same: Float64Array;
  cross: Float64Array;
}

async function steady(servers: ServerProcess[], nodes: number): Promise<Steady> {
  const room = testRoom(roomSeed++);
  const name = roomNameOf(room);
  const pool = Array.from({ length: CLIENTS * RATE * (MEASURE_MS / 1000 + 2) }, (_, i): Sealer => {
    const update = plainUpdate(`p${i}`, 'x'.repeat(200));
    return (pos) => sealUpdateBlob(room.key, BlobKind.update, authors[i % CLIENTS]!, update, pos);
  });
  const clients = await connect(servers, name, CLIENTS, (i) => i % nodes);
  const same: number[] = [];
  const cross: number[] = [];
  let delivered = 0;
  onDeliver = (receiver, sender, now) => {
    delivered++;
    (receiver.node === sender.node ? same : cross).push(now - sender.t);
  };
  let next = 0;
  const start = performance.now();
  // Each client sends RATE a second, spread evenly over the clients.
  const interval = 1000 / (CLIENTS * RATE);
  let sent = 0;
  while (performance.now() - start < MEASURE_MS) {
    const c = clients[sent % CLIENTS]!;
    send(c, pool[next++]!);
    sent++;
    const due = start + sent * interval;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
  }
  await sleep(1500);
  onDeliver = null;
  disconnect(clients);
  return { offered: sent / (MEASURE_MS / 1000), delivered: delivered / (MEASURE_MS / 1000), same: sortedCopy(same), cross: sortedCopy(cross) };
}

interface Burst {
  sameMs: number;
  crossMs: number;
}

async function burst(servers: ServerProcess[], nodes: number): Promise<Burst> {
  const room = testRoom(roomSeed++);
  const name = roomNameOf(room);
  const total = WRITERS * BURST;
  const pool = Array.from({ length: total }, (_, i): Sealer => {
    const update = plainUpdate(`b${i}`, 'x'.repeat(200));
    return (pos) => sealUpdateBlob(room.key, BlobKind.update, authors[i % CLIENTS]!, update, pos);
  });
  const writers = await connect(servers, name, WRITERS, () => 0);
  const readers = await connect(servers, name, nodes, (i) => i);
  const done = new Map<number, number>();
  const counts = new Map<number, number>();
  onDeliver = (receiver, _sender, now) => {
    if (!readers.includes(receiver)) return;
    const n = (counts.get(receiver.node) ?? 0) + 1;
    counts.set(receiver.node, n);
    if (n === total) done.set(receiver.node, now);
  };
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    send(writers[i % WRITERS]!, pool[i]!);
    if (i % 50 === 49) await new Promise((r) => setImmediate(r));
  }
  const until = Date.now() + 60_000;
  while (done.size < nodes && Date.now() < until) await sleep(20);
  onDeliver = null;
  disconnect([...writers, ...readers]);
  return { sameMs: (done.get(0) ?? Number.NaN) - start, crossMs: nodes > 1 ? (done.get(1) ?? Number.NaN) - start : Number.NaN };
}

const [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
const rows: (string | number)[][] = [];
const burstRows: (string | number)[][] = [];
let extra = '';
try {
  for (const nodes of [1, 2]) {
    const options = nodes === 1 ? { postgres: postgres.url, limits: LIMITS } : { postgres: postgres.url, redis: redis.url, limits: LIMITS };
    const servers = await Promise.all(Array.from({ length: nodes }, () => startBaton(options)));
    try {
      await connect(servers, roomNameOf(testRoom(1)), 1, () => 0).then(disconnect); // warm-up
      await waitForQuiet(5000);
      const s = await steady(servers, nodes);
      const b = await burst(servers, nodes);
      const label = nodes === 1 ? '1 node (PostgreSQL, no bus)' : '2 nodes (PostgreSQL + Redis Streams)';
      const all = sortedCopy([...s.same, ...s.cross]);
      rows.push([label, fmt(s.offered), fmt(s.delivered), fmt(percentile(all, 50), 1), fmt(percentile(all, 99), 1), fmt(percentile(s.same, 50), 1), fmt(percentile(s.same, 99), 1), nodes > 1 ? fmt(percentile(s.cross, 50), 1) : '-', nodes > 1 ? fmt(percentile(s.cross, 99), 1) : '-']);
      burstRows.push([label, WRITERS * BURST, fmt(b.sameMs), fmt((WRITERS * BURST * 1000) / b.sameMs), nodes > 1 ? fmt(b.crossMs) : '-', nodes > 1 ? fmt((WRITERS * BURST * 1000) / b.crossMs) : '-']);
      if (nodes > 1) {
        extra = `The bus adds ${fmt(percentile(s.cross, 50) - percentile(s.same, 50), 1)} ms at the median and ${fmt(percentile(s.cross, 99) - percentile(s.same, 99), 1)} ms at p99 (receiver on the other node vs on the sender's node, same run).`;
      }
      for (const server of servers) if (server.errors.length > 0) console.error(server.errors.slice(0, 5).join('\n'));
    } finally {
      await Promise.all(servers.map((s) => s.stop()));
    }
  }
} finally {
  await Promise.all([postgres.stop(), redis.stop()]);
}

const steadyTable = table(
  ['setup', 'updates/s sent', 'deliveries/s', 'p50 ms', 'p99 ms', 'same node p50', 'same node p99', 'other node p50', 'other node p99'],
  ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
  rows,
);
const burstTable = table(['setup', 'updates', 'all on node A (ms)', 'updates/s', 'all on node B (ms)', 'updates/s'], ['l', 'r', 'r', 'r', 'r', 'r'], burstRows);
console.log(steadyTable + '\n\n' + burstTable + '\n\n' + extra);
if (process.env.CLUSTER_NO_RECORD !== '1') {
  recordSection(
    'Cluster',
    `Measured ${today()} with \`npm run bench -- cluster\` (test/bench/cluster.ts) on ${describeMachine()}, load average ${loadAverage()} at the end.
Relay nodes are child processes on this one machine, with a throwaway PostgreSQL (fsync off: the figures leave out the disk) and Redis on loopback; clients are stock y-websocket providers in the benchmark's process pushing real sealed, signed blobs (each node verifies every blob it is handed, from clients and from the bus alike).

Steady fan-out: ${CLIENTS} clients in one room, ${RATE} updates a second each, for ${MEASURE_MS / 1000} s; latency from send to arrival at every other client. With two nodes the clients alternate between them, so about half of each update's receivers are on the other node.

${steadyTable}

${extra}

Burst: ${WRITERS} clients on node A send ${WRITERS * BURST} updates as fast as they can (rate limits raised); time until a client on node A, and one on node B, hold them all.

${burstTable}

What the bus costs: an update reaches the other node's clients only after its PostgreSQL commit, an XADD and the other node's XREAD and validation, while clients of the sender's node get it at once (before the commit). Both nodes share these two cores with PostgreSQL, Redis and the clients, so two nodes here show the cost of the bus, not the gain of a second machine.`,
  );
}
finish();
