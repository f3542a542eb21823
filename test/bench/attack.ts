// Attacks on a relay (docs/THREAT_MODEL.md, "What a space id lets anyone do to a relay"):
// each runs against a fresh relay in a child process while an honest client writes a post
// every 200 ms over HTTP and a prober asks GET /v1/info every 100 ms. Prints, under each
// attack, the relay's resident memory (VmRSS, before and at its peak), the honest writes'
// latency (p99, and how many were receipted) and /v1/info's latency, and records them in
// docs/BENCHMARKS.md.
//   node --import tsx test/bench/attack.ts            (ATTACK_ONLY=step1,bundle to pick)
// Targets: RSS under 300 MiB or the baseline + 150 MiB; honest p99 under 500 ms; info p99
// under 100 ms.
import net from 'node:net';
import WebSocket from 'ws';
import * as Y from 'yjs';
import type { RelayOptions } from '#server/index.ts';
import { createEnvelopeDoc, encodeBundle, envelopeLog, formatCapability, initSodium, roomName, sealLinkBlob } from '#shared';
import { bulkyAwareness, fill, honestWrites, peakRss, percentile, post, probeInfo, sleep, spawnFakePeer, spawnRelay, writer, type FakePeer, type RelayChild } from '../attack/support/harness.ts';
import { testRoom } from '../support/rooms.ts';
import { finish } from './lib/finish.ts';
import { describeMachine, loadAverage } from './lib/machine.ts';
import { recordSection, table, today } from './lib/report.ts';

const WINDOW_MS = 8000;

interface Result {
  attack: string;
  baseline: number;
  peak: number;
  honestP99: number;
  honestOk: string;
  infoP99: number;
  infoMax: number;
  note: string;
}

interface Attack {
  key: string;
  title: string;
  options?: RelayOptions & { sqlite?: boolean };
  /** Prepares the relay (not measured). */
  setup?(relay: RelayChild): Promise<unknown>;
  /** Starts the attack; resolves with a note once it has run (within the window), and cleans up in `stop`. */
  run(relay: RelayChild, prepared: unknown): Promise<{ note?: () => Promise<string> | string; stop(): Promise<void> | void }>;
}

const wsUrl = (relay: RelayChild, room: string) => `${relay.url.replace('http', 'ws')}/v1/sync/${room}`;
const openWs = async (url: string): Promise<WebSocket> => {
  const ws = new WebSocket(url);
  ws.on('error', () => {});
  await new Promise<void>((resolve) => {
    ws.once('open', () => resolve());
    ws.once('close', () => resolve());
  });
  return ws;
};
const pauseReading = (ws: WebSocket) => (ws as unknown as { _socket?: net.Socket })._socket?.pause();

const attacks: Attack[] = [
  {
    key: 'step1',
    title: 'sync step 1 flood: 10 sockets that never read, 200 requests each for a 4 MiB room',
    async setup(relay) {
      const w = await writer();
      await fill(relay.url, w, 4 * 1024 * 1024);
      return w.name;
    },
    async run(relay, room) {
      const sockets: WebSocket[] = [];
      for (let i = 0; i < 10; i++) {
        const ws = await openWs(wsUrl(relay, room as string));
        pauseReading(ws);
        for (let n = 0; n < 200; n++) ws.send(new Uint8Array([0, 0, 1, 0]));
        sockets.push(ws);
      }
      return { stop: () => sockets.forEach((ws) => ws.terminate()), note: async () => `${counted(relay, 'sync.too-slow', 'sync.no-pong')} dropped within the window (a socket that reads nothing is dropped after two unanswered keepalive pings, 30 s by default)` };
    },
  },
  {
    key: 'presence',
    title: 'presence fan-out: 100 members that never read, 2 senders of 200 x 16 KiB',
    async run(relay) {
      const w = await writer();
      const url = wsUrl(relay, w.name);
      const receivers: WebSocket[] = [];
      for (let i = 0; i < 100; i++) receivers.push(await openWs(url));
      receivers.forEach(pauseReading);
      const senders = [await openWs(url), await openWs(url)];
      for (let m = 1; m <= 200; m++) for (const s of senders) s.send(bulkyAwareness(m));
      return { stop: () => [...receivers, ...senders].forEach((ws) => ws.terminate()), note: async () => counted(relay, 'sync.presence-skipped') + ' skipped' };
    },
  },
  {
    key: 'get',
    title: 'HTTP reads that never drain: 150 GETs of a 10 MB room',
    options: { stallMs: 3000 },
    async setup(relay) {
      const w = await writer();
      await fill(relay.url, w, 10_000_000);
      return w.name;
    },
    async run(relay, room) {
      const { port } = new URL(relay.url);
      const sockets: net.Socket[] = [];
      for (let i = 0; i < 150; i++) {
        const socket = net.connect(Number(port), '127.0.0.1');
        socket.on('error', () => {});
        socket.pause();
        socket.on('connect', () => socket.write(`GET /v1/rooms/${room as string} HTTP/1.1\r\nHost: relay\r\n\r\n`));
        sockets.push(socket);
      }
      return { stop: () => sockets.forEach((s) => s.destroy()), note: async () => counted(relay, 'http.rate-limited.read') + ' refused (429)' };
    },
  },
  {
    key: 'empty-posts',
    title: 'empty POSTs to the room the honest client writes to, about 150 a second',
    async run(relay) {
      let running = true;
      const loops = [0, 1, 2, 3].map(async () => {
        while (running) {
          await post(relay.url, honestRoom!, new Uint8Array([0, 0]));
          await sleep(20);
        }
      });
      return {
        stop: async () => {
          running = false;
          await Promise.all(loops);
        },
        note: async () => counted(relay, 'http.rate-limited.write') + ' refused (429)',
      };
    },
  },
  {
    key: 'slots',
    title: 'room slots: 500 idle sockets fill a room; then a newcomer connects (slot grace 3 s)',
    options: { slotGraceMs: 3000 },
    async run(relay) {
      const w = await writer();
      const url = wsUrl(relay, w.name);
      const idle: WebSocket[] = [];
      for (let i = 0; i < 500; i++) idle.push(await openWs(url));
      const started = performance.now();
      let admitted = '';
      const newcomer = (async () => {
        while (!admitted && performance.now() - started < WINDOW_MS) {
          const ws = await openWs(url);
          const closed = await Promise.race([new Promise((r) => ws.once('close', () => r(true))), sleep(500).then(() => false)]);
          if (!closed) admitted = `newcomer admitted after ${((performance.now() - started) / 1000).toFixed(1)} s`;
          ws.terminate();
        }
      })();
      return {
        stop: async () => {
          await newcomer;
          idle.forEach((ws) => ws.terminate());
        },
        note: () => admitted || `newcomer not admitted within ${WINDOW_MS / 1000} s`,
      };
    },
  },
  {
    key: 'bundle',
    title: 'bundle: 5 MiB of replayed link blobs, the last one broken, POSTed to /v1/bundles',
    async setup() {
      const board = testRoom(201, 0, 'board');
      const link = sealLinkBlob(board.key, testRoom(202).cap.writePub, { client: 1, clock: 0 }); // replayed copies fail at their own ids
      const bad = link.slice();
      bad[bad.length - 1]! ^= 1;
      const doc = createEnvelopeDoc();
      envelopeLog(doc).push([...Array.from({ length: Math.floor((3.8 * 1024 * 1024) / 132) }, () => link), bad]);
      return encodeBundle(new Map([[roomName(board.cap.spaceId, 0), Y.encodeStateAsUpdate(doc)]]));
    },
    async run(relay, text) {
      const started = performance.now();
      const answer = fetch(`${relay.url}/v1/bundles`, { method: 'POST', body: text as string }).then(async (r) => {
        await r.arrayBuffer();
        return `answered ${r.status} after ${((performance.now() - started) / 1000).toFixed(1)} s`;
      });
      let note = 'no answer within the window';
      void answer.then((n) => (note = n));
      return { stop: () => {}, note: () => note };
    },
  },
  {
    key: 'peer',
    title: 'a peer listing 20,000 invented rooms on every poll (every 300 ms), garbage for each',
    async run() {
      return { stop: () => {} };
    },
  },
  {
    key: 'mirror-status',
    title: 'GET /v1/mirror/status from 8 loops without pause',
    async run(relay) {
      let running = true;
      const loops = Array.from({ length: 8 }, async () => {
        while (running) await fetch(`${relay.url}/v1/mirror/status`).then((r) => r.arrayBuffer()).catch(() => null);
      });
      return {
        stop: async () => {
          running = false;
          await Promise.all(loops);
        },
        note: async () => `status computed ${counted(relay, 'mirror-status.computed')} times`,
      };
    },
  },
];

// Every attack above at once, against one relay with all their options: each bound holds
// alone, and the relay-wide memory ledger (server/memory-ledger.ts) bounds what they add up to.
const singles = [...attacks];
attacks.push({
  key: 'all',
  title: 'all of the above at once',
  options: Object.assign({}, ...singles.map((a) => a.options ?? {})),
  async setup(relay) {
    const prepared: unknown[] = [];
    for (const a of singles) prepared.push(await a.setup?.(relay));
    return prepared;
  },
  async run(relay, prepared) {
    const running = await Promise.all(singles.map((a, i) => a.run(relay, (prepared as unknown[])[i])));
    return {
      stop: async () => {
        for (const r of running) await r.stop();
      },
      note: async () => {
        const notes: string[] = [];
        for (const r of running) notes.push((await r.note?.()) ?? '');
        return notes.filter((n) => n !== '').join('; ');
      },
    };
  },
});
const ALL = attacks.length - 1;

let honestRoom: string | null = null;
let lastCounters: Record<string, number> = {};
function counted(_relay: RelayChild, ...names: string[]): number {
  return names.reduce((sum, n) => sum + (lastCounters[n] ?? 0), 0);
}


async function measure(attack: Attack): Promise<Result> {
  let peer: FakePeer | null = null;
  const options = { ...attack.options };
  if (attack.key === 'peer' || attack === attacks[ALL]) {
    peer = await spawnFakePeer();
    Object.assign(options, { peers: [peer.url], peerSyncMs: 300, peerRetryMaxMs: 1000 });
  }
  if (attack.key === 'mirror-status' || attack === attacks[ALL]) {
    const board = testRoom(203, 0, 'board');
    options.mirrors = [{ capability: formatCapability(board.cap, 'mirror'), relay: 'http://127.0.0.1:9' }];
  }
  const relay = await spawnRelay(options);
  try {
    const prepared = await attack.setup?.(relay);
    const w = await writer();
    honestRoom = w.name;
    await post(relay.url, w.name, w.next());
    await sleep(500);
    const baseline = relay.rssMiB();
    const honest = honestWrites(relay.url, w, 200);
    const info = probeInfo(relay.url, 100);
    const running = await attack.run(relay, prepared);
    const peak = await peakRss(relay.pid, sleep(WINDOW_MS));
    await honest.stop();
    await info.stop();
    const stats = await relay.stats();
    lastCounters = stats.counters;
    const note = [(await running.note?.()) ?? '', `${stats.logged} log lines`].filter((n) => n !== '').join('; ');
    await running.stop();
    const ok = honest.statuses.filter((s) => s === 200).length;
    return {
      attack: attack.title,
      baseline,
      peak,
      honestP99: percentile(honest.latencies, 99),
      honestOk: `${ok}/${honest.statuses.length}`,
      infoP99: percentile(info.latencies, 99),
      infoMax: Math.max(...info.latencies),
      note,
    };
  } finally {
    await relay.close();
    await peer?.close();
  }
}

await initSodium();
const only = process.env.ATTACK_ONLY?.split(',');
const results: Result[] = [];
const machine = describeMachine();
const startLoad = loadAverage();
console.log(`Attacks on one relay (${machine}, load ${startLoad}); ${WINDOW_MS / 1000} s each`);
for (const attack of attacks) {
  if (only && !only.includes(attack.key)) continue;
  const r = await measure(attack);
  results.push(r);
  const rssOk = r.peak < 300 || r.peak - r.baseline < 150;
  console.log(`\n${r.attack}`);
  console.log(`  relay RSS ${r.baseline.toFixed(0)} -> ${r.peak.toFixed(0)} MiB ${rssOk ? '(within target)' : '(OVER TARGET)'}`);
  console.log(`  honest writes receipted ${r.honestOk}, p99 ${r.honestP99.toFixed(0)} ms ${r.honestP99 < 500 ? '(within target)' : '(OVER TARGET)'}`);
  console.log(`  GET /v1/info p99 ${r.infoP99.toFixed(0)} ms, max ${r.infoMax.toFixed(0)} ms ${r.infoP99 < 100 ? '(within target)' : '(OVER TARGET)'}`);
  console.log(`  ${r.note}`);
}

if (!only) {
  const rows = results.map((r) => [r.attack, `${r.baseline.toFixed(0)} → ${r.peak.toFixed(0)}`, r.honestOk, r.honestP99.toFixed(0), r.infoP99.toFixed(0), r.infoMax.toFixed(0), r.note]);
  recordSection(
    'Attacks on a relay',
    [
      `\`node --import tsx test/bench/attack.ts\`, ${today()}, ${machine}, load average ${startLoad} at the start (other work on the machine inflates the latencies). Each attack runs ${WINDOW_MS / 1000} s against a fresh relay (its own process, in memory) while an honest client writes a post every 200 ms over HTTP and GET /v1/info is asked every 100 ms. Targets: relay RSS under 300 MiB or the baseline + 150 MiB; honest write p99 under 500 ms; /v1/info p99 under 100 ms. The bounds and the tests that hold them: docs/THREAT_MODEL.md and test/attack/.`,
      '',
      table(['attack', 'relay RSS MiB (before → peak)', 'honest writes receipted', 'honest p99 ms', 'info p99 ms', 'info max ms', 'notes'], ['l', 'r', 'r', 'r', 'r', 'r', 'l'], rows),
    ].join('\n'),
  );
  console.log('\nrecorded in docs/BENCHMARKS.md');
}
finish();
