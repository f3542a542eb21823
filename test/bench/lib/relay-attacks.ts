// The attacks of test/bench/attack.ts, each against a relay in a child process
// (test/attack/support/harness.ts), and all of them at once.
import net from 'node:net';
import WebSocket from 'ws';
import * as Y from 'yjs';
import type { RelayOptions } from '#server/index.ts';
import { createEnvelopeDoc, encodeBundle, envelopeLog, roomName, sealLinkBlob } from '#shared';
import { bulkyAwareness, fill, pauseReading, post, reachRoom, roomWriters, sleep, writer, type RelayChild } from '../../attack/support/harness.ts';
import { testRoom } from '../../support/rooms.ts';
import { storeTinyBlobRooms } from '../../support/tiny-blobs.ts';

/** How long each attack runs. */
export const WINDOW_MS = 8000;
/** Rooms of tiny blobs: about 20 MiB stored each, about 70 MiB loaded by the relay's estimate. */
const TINY_ROOMS = 6;
const TINY_BLOBS = 120_000;

/** What the measuring run tells the attacks: the honest client's room, and the relay's counters once the window ends. */
export const seen: { honestRoom: string | null; counters: Record<string, number> } = { honestRoom: null, counters: {} };

export interface Attack {
  key: string;
  title: string;
  options?: RelayOptions & { sqlite?: boolean };
  /** Fills a SQLite directory before the relay starts on it (not measured); what it returns goes to `setup`. */
  store?(dir: string): Promise<unknown>;
  /** Prepares the relay (not measured). */
  setup?(relay: RelayChild, stored: unknown): Promise<unknown>;
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

export const attacks: Attack[] = [
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
      return { stop: () => sockets.forEach((ws) => ws.terminate()), note: async () => `${counted('sync.too-slow', 'sync.no-pong')} dropped within the window (a socket that reads nothing is dropped after two unanswered keepalive pings, 30 s by default)` };
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
      return { stop: () => [...receivers, ...senders].forEach((ws) => ws.terminate()), note: async () => counted('sync.presence-skipped') + ' skipped' };
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
      return { stop: () => sockets.forEach((s) => s.destroy()), note: async () => counted('http.rate-limited.read') + ' refused (429)' };
    },
  },
  {
    key: 'empty-posts',
    title: 'empty POSTs to the room the honest client writes to, about 150 a second',
    async run(relay) {
      let running = true;
      const loops = [0, 1, 2, 3].map(async () => {
        while (running) {
          await post(relay.url, seen.honestRoom!, new Uint8Array([0, 0]));
          await sleep(20);
        }
      });
      return {
        stop: async () => {
          running = false;
          await Promise.all(loops);
        },
        note: async () => counted('http.rate-limited.write') + ' refused (429)',
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
    key: 'tiny-rooms',
    title: `rooms of the smallest blobs: ${TINY_ROOMS} rooms of ${TINY_BLOBS.toLocaleString('en')} blobs of 170 bytes, stored, each asked for whole every 2 s`,
    async store(dir) {
      const names = Array.from({ length: TINY_ROOMS }, (_, k) => roomName(testRoom(210 + k).cap.spaceId, 0));
      await storeTinyBlobRooms(dir, names, TINY_BLOBS);
      return names;
    },
    async setup(_relay, names) {
      return names;
    },
    async run(relay, names) {
      const codes: number[] = [];
      let running = true;
      const rounds = (async () => {
        while (running) {
          const round = sleep(2000).then(() => undefined);
          codes.push(...(await Promise.all((names as string[]).map((name) => reachRoom(relay.url, name, round)))));
        }
      })();
      return {
        stop: async () => {
          running = false;
          await rounds;
        },
        note: () => `${codes.length} reaches, ${codes.filter((c) => c === 1013).length} refused (1013), rooms refused for memory ${counted('rooms.memory-refused')}, answers held back for memory ${counted('memory.refused')}`,
      };
    },
  },
  {
    key: 'unread',
    title: 'members that never read: 300 in a busy room, whose 4 writers send 20 updates of 8 KB a second',
    async run(relay) {
      const w = await writer();
      const url = wsUrl(relay, w.name);
      const members: WebSocket[] = [];
      for (let i = 0; i < 300; i++) members.push(await openWs(url));
      members.forEach(pauseReading);
      const writers = await roomWriters(url, w);
      let running = true;
      const writing = (async () => {
        while (running) {
          writers.send(8000);
          await sleep(50);
        }
      })();
      return {
        stop: async () => {
          running = false;
          await writing;
          [...members, ...writers.sockets].forEach((ws) => ws.terminate());
        },
        note: () => `${counted('sync.unread-shed')} cut for the relay's unread bytes, ${counted('sync.too-slow')} closed at their own 4 MiB`,
      };
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
        note: async () => `status computed ${counted('mirror-status.computed')} times`,
      };
    },
  },
];

// Every attack above at once, against one relay with all their options: each bound holds
// alone, and the relay-wide memory ledger (server/memory-ledger.ts) bounds what they add up to.
// ATTACK_SKIP=<key> leaves one out, to see what it adds.
const singles = attacks.filter((a) => a.key !== process.env.ATTACK_SKIP);
attacks.push({
  key: 'all',
  title: 'all of the above at once',
  options: Object.assign({}, ...singles.map((a) => a.options ?? {})),
  async store(dir) {
    const stored: unknown[] = [];
    for (const a of singles) stored.push(await a.store?.(dir));
    return stored;
  },
  async setup(relay, stored) {
    const prepared: unknown[] = [];
    for (const [i, a] of singles.entries()) prepared.push(await a.setup?.(relay, (stored as unknown[])[i]));
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
export const ALL = attacks.length - 1;

function counted(...names: string[]): number {
  return names.reduce((sum, n) => sum + (seen.counters[n] ?? 0), 0);
}
