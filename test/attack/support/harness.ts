// What every attack test needs: a relay in a child process with its memory measured from
// /proc, an honest client that keeps writing (each write must be receipted) and reading,
// and a prober of GET /v1/info, so that each test asserts the bound the attack must stay in.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import * as Y from 'yjs';
import type { RelayOptions } from '#server/index.ts';
import { BlobKind, appendSealed, createEnvelopeDoc, envelopeLog, initSodium, roomName, sealUpdateBlob, type RoomName, type Sealer } from '#shared';
import { writeMessage, writeSyncStep1 } from '#shared/wire/index.ts';
import { benchNodeFlags } from '../../support/bench-node-flags.ts';
import { testIdentity, testRoom, type TestRoom } from '../../support/rooms.ts';
import { holdsWithin, type Check } from '../../support/wait.ts';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

export interface RelayChild {
  url: string;
  pid: number;
  /** Resident memory of the relay process, in MiB. */
  rssMiB(): number;
  /** `ledger`: the relay-wide memory ledger now, and its highest sum since the last call (sampled when spawned with `ledgerSampleMs`). */
  stats(): Promise<{ logged: number; counters: Record<string, number>; rooms: number; live: { base: number; peak: number }; ledger: { used: number; peak: number; limit: number } }>;
  /** Starts the live-memory peak again from now (a relay spawned with `liveSampleMs`); its bytes. */
  liveReset(): Promise<number>;
  /** The longest event-loop block since the last call, in ms (spawned with `loopProbe`). */
  longestBlockMs(): Promise<number>;
  close(): Promise<void>;
}

export async function spawnRelay(options: RelayOptions & { sqlite?: boolean; liveSampleMs?: number; loopProbe?: boolean; ledgerSampleMs?: number } = {}): Promise<RelayChild> {
  const gc = options.liveSampleMs ? ['--expose-gc'] : [];
  // BENCH_PROFILE=<dir>: the relay writes a CPU profile there when it closes.
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  const child: ChildProcess = spawn(process.execPath, [...gc, ...profile, ...benchNodeFlags(), '--import', 'tsx', 'test/attack/support/relay-child.ts', JSON.stringify(options)], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const waiting: Array<(line: string) => void> = [];
  lines.on('line', (line) => waiting.shift()?.(line));
  const next = () => new Promise<string>((resolve) => waiting.push(resolve));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const first = await Promise.race([next(), exited.then(() => null)]);
  if (!first) throw new Error('the relay child exited before listening');
  const { port, pid } = JSON.parse(first) as { port: number; pid: number };
  return {
    url: `http://127.0.0.1:${port}`,
    pid,
    rssMiB: () => rssMiB(pid),
    stats: async () => {
      const answer = next();
      child.stdin!.write('stats\n');
      return JSON.parse(await answer);
    },
    liveReset: async () => {
      const answer = next();
      child.stdin!.write('live-reset\n');
      return (JSON.parse(await answer) as { base: number }).base;
    },
    longestBlockMs: async () => {
      const answer = next();
      child.stdin!.write('loop\n');
      return (JSON.parse(await answer) as { longestBlockMs: number }).longestBlockMs;
    },
    close: async () => {
      child.stdin!.end('close\n');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
    },
  };
}

export interface FakePeer {
  url: string;
  stats(): Promise<{ lists: number; pulls: number }>;
  close(): Promise<void>;
}

/** The hostile peer of support/fake-peer.ts, in its own process. */
export async function spawnFakePeer(): Promise<FakePeer> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/attack/support/fake-peer.ts'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const waiting: Array<(line: string) => void> = [];
  lines.on('line', (line) => waiting.shift()?.(line));
  const next = () => new Promise<string>((resolve) => waiting.push(resolve));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const { url } = JSON.parse(await next()) as { url: string };
  return {
    url,
    stats: async () => {
      const answer = next();
      child.stdin!.write('stats\n');
      return JSON.parse(await answer);
    },
    close: async () => {
      child.stdin!.end();
      await exited;
    },
  };
}

export function rssMiB(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A room the tests write to: its keys, and an envelope doc of what was written. */
export interface Writer {
  room: TestRoom;
  name: RoomName;
  doc: Y.Doc;
  /** Sealed update blobs of about `bytes` in all (incompressible), as the next update of `doc`. */
  next(bytes?: number): Uint8Array;
}

let seed = 1;
/** A writer of a new room, or of `room` with a document of its own (another device). */
export async function writer(given?: TestRoom): Promise<Writer> {
  await initSodium();
  const room = given ?? testRoom(seed++ % 250);
  const author = testIdentity(251);
  const doc = createEnvelopeDoc();
  return {
    room,
    name: roomName(room.cap.spaceId, 0),
    doc,
    next(bytes = 200) {
      const before = Y.encodeStateVector(doc);
      // Blobs of at most 200 KB (the blob limit is 256 KiB), as many as `bytes` needs.
      const count = Math.ceil(bytes / 200_000);
      const blobs: Sealer[] = [];
      for (let i = 0; i < count; i++) {
        const plain = new Y.Doc();
        plain.getMap('m').set('x', randomBytes(Math.max(1, Math.floor(bytes / count / 2))).toString('hex'));
        const update = Y.encodeStateAsUpdate(plain);
        blobs.push((pos) => sealUpdateBlob(room.key, BlobKind.update, author, update, pos));
      }
      appendSealed(doc, blobs);
      return Y.encodeStateAsUpdate(doc, before);
    },
  };
}

export async function post(url: string, room: string, body: Uint8Array, timeoutMs = 10_000): Promise<{ status: number; ms: number }> {
  const start = performance.now();
  try {
    const res = await fetch(`${url}/v1/rooms/${room}`, { method: 'POST', body: body as Uint8Array<ArrayBuffer>, signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer();
    return { status: res.status, ms: performance.now() - start };
  } catch {
    return { status: 0, ms: performance.now() - start };
  }
}

/** Fills a room with about `bytes` of blobs of ~200 KB, a few per POST. */
export async function fill(url: string, w: Writer, bytes: number): Promise<void> {
  for (let held = 0; held < bytes; ) {
    const before = Y.encodeStateVector(w.doc);
    for (let i = 0; i < 4 && held < bytes; i++, held += 200_000) w.next(200_000);
    const { status } = await post(url, w.name, Y.encodeStateAsUpdate(w.doc, before));
    if (status !== 200) throw new Error(`filling the room: POST answered ${status}`);
  }
}

export interface Honest {
  /** Latencies of receipted writes, and statuses of every write. */
  latencies: number[];
  statuses: number[];
  stop(): Promise<void>;
}

/** An honest client writing one small post every `everyMs` over HTTP (receipted: 200). */
export function honestWrites(url: string, w: Writer, everyMs = 200): Honest {
  const latencies: number[] = [];
  const statuses: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const { status, ms } = await post(url, w.name, w.next());
      statuses.push(status);
      if (status === 200) latencies.push(ms);
      await sleep(everyMs);
    }
  })();
  return {
    latencies,
    statuses,
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

export interface Probe {
  latencies: number[];
  failures: number;
  stop(): Promise<void>;
}

/** GET /v1/info every `everyMs`; latencies in ms. */
export function probeInfo(url: string, everyMs = 100): Probe {
  const probe: Probe = { latencies: [], failures: 0, stop: async () => {} };
  let running = true;
  const loop = (async () => {
    while (running) {
      const start = performance.now();
      try {
        const res = await fetch(`${url}/v1/info`, { signal: AbortSignal.timeout(10_000) });
        await res.arrayBuffer();
        probe.latencies.push(performance.now() - start);
      } catch {
        probe.failures++;
      }
      await sleep(everyMs);
    }
  })();
  probe.stop = async () => {
    running = false;
    await loop;
  };
  return probe;
}

/** Waits until `check` holds, at most `timeoutMs`; returns whether it held (test/support/wait.ts). */
export function until(check: Check, timeoutMs: number): Promise<boolean> {
  // Every 200 ms: each check asks the relay under attack for its counters.
  return holdsWithin(check, { timeoutMs, intervalMs: 200 });
}

/** Connections the relay dropped for not reading: too far behind, stalled, or silent to pings. */
export function droppedForNotReading(counters: Record<string, number>): number {
  return (counters['sync.too-slow'] ?? 0) + (counters['sync.no-pong'] ?? 0);
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Peak RSS of a process sampled every 100 ms while `during` runs. */
export async function peakRss(pid: number, during: Promise<unknown>): Promise<number> {
  let peak = rssMiB(pid);
  let done = false;
  void during.finally(() => (done = true));
  while (!done) {
    peak = Math.max(peak, rssMiB(pid));
    await sleep(100);
  }
  return Math.max(peak, rssMiB(pid));
}

/** Blobs a room holds at the relay (GET). */
export async function blobsAt(url: string, room: string): Promise<number> {
  const res = await fetch(`${url}/v1/rooms/${room}`);
  const doc = createEnvelopeDoc();
  Y.applyUpdate(doc, new Uint8Array(await res.arrayBuffer()));
  return envelopeLog(doc).length;
}

/** An awareness message (type 1) of 8 members' sealed presence, about 16 KiB: what a presence flood sends. */
export function bulkyAwareness(clock: number): Uint8Array {
  const inner = encoding.createEncoder();
  encoding.writeVarUint(inner, 8);
  for (let c = 0; c < 8; c++) {
    encoding.writeVarUint(inner, 1000 + c);
    encoding.writeVarUint(inner, clock);
    encoding.writeVarString(inner, JSON.stringify({ e: 'A'.repeat(2030) }));
  }
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 1);
  encoding.writeVarUint8Array(e, encoding.toUint8Array(inner));
  return encoding.toUint8Array(e);
}

/** A WebSocket once it is open; rejects if it cannot open. */
export function openWebSocket(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** Stops reading a WebSocket's socket: what the relay sends it stays unread. */
export function pauseReading(ws: WebSocket): void {
  (ws as unknown as { _socket?: Socket })._socket?.pause();
}

/** Writers of one room on WebSockets of their own; `send` writes the next update of each in turn. */
export interface RoomWriters {
  sockets: WebSocket[];
  send(bytes: number): void;
}

/** `count` writers of the room `first` writes to (`first` among them, the others devices of their own), at `url`. */
export async function roomWriters(url: string, first: Writer, count = 4): Promise<RoomWriters> {
  const docs = [first];
  while (docs.length < count) docs.push(await writer(first.room));
  const sockets = await Promise.all(docs.map(() => openWebSocket(url)));
  let turn = 0;
  return {
    sockets,
    send(bytes) {
      const i = turn++ % count;
      sockets[i]!.send(writeMessage({ type: 'sync-update', update: docs[i]!.next(bytes), step2: false }));
    },
  };
}

/** Opens a socket to a room, asks for all of it and reads; resolves with its close code, or 0 if still open at `until`. */
export function reachRoom(url: string, name: string, until: Promise<void>): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${url.replace('http', 'ws')}/v1/sync/${name}`);
    ws.on('error', () => {});
    ws.on('open', () => ws.send(writeSyncStep1(new Uint8Array([0]))));
    ws.on('close', (code) => resolve(code));
    void until.then(() => {
      resolve(0);
      ws.terminate();
    });
  });
}
