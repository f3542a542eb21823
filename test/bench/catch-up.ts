// Mirror catch-up: an empty relay peered with one that holds 100,000 blobs, until it holds all.
//   node --import tsx test/bench/catch-up.ts
// The source relay holds a board (a link blob per thread and some updates) and 200 threads of
// 500 blobs each, written by many sessions (Yjs clients) as clients would, blobs of 512 to 1,280
// bytes; it runs in a child process on SQLite. The peer starts empty in a child process of its
// own (its CPU time, every thread, is measured), on SQLite in a temp dir, with the source as its
// peer (`startRelay({ peers })`), and catches up over the HTTP bulk path, validating every blob.
// A/B in the same run: the peer is run from this tree and from an older commit
// (CATCHUP_BASELINE=<git ref>, by default the commit before the verification pool), extracted
// with `git archive` to a temp dir that shares this tree's node_modules; the two alternate over
// CATCHUP_ROUNDS rounds (2 by default). Prints the figures and records them in docs/BENCHMARKS.md.
// BENCH_PROFILE=<dir> writes CPU profiles of this tree's peer there; BENCH_NODE_FLAGS gives flags to
// both peers' node (test/support/bench-node-flags.ts).
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import * as Y from 'yjs';
import { appendSealed, createEnvelopeDoc, createSpace, deriveThreadCapability, initSodium, roomName, sealLinkBlob, type Capability, type Sealer } from '#shared';
import { SqliteStorage } from '#server/storage/sqlite.ts';
import { benchNodeFlags } from '../support/bench-node-flags.ts';
import { signedRaw } from '../support/craft-blob.ts';
import { createPrng } from '../support/prng.ts';
import { describeMachine, loadAverage, waitForQuiet } from './lib/machine.ts';
import { recordSection, table, today } from './lib/report.ts';
import { finish } from './lib/finish.ts';

const THREADS = 200;
const PER_THREAD = 500;
const BOARD_UPDATES = 100;
const CATCH_UP_NOTES = [
  "Where the time goes: one Ed25519 check per blob, by libsodium itself (sodium-native's prebuilt binary, about 50 µs here against node:crypto's 105 µs), in the verification threads, with the event loop taking slices of the checks while its own work leaves it time; the structural pass, the Yjs apply and the SQLite appends cost about 30 µs per blob on the event loop. Blobs per CPU-second (every thread) nearly doubled against the baseline: the cheaper check, not a better spread of the work.",
].join('\n');
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The commit before the verification pool: the baseline of the pool's catch-up target. */
const BASELINE = process.env.CATCHUP_BASELINE ?? 'd4a036c';
const ROUNDS = Number(process.env.CATCHUP_ROUNDS ?? 2);
/** The pre-pool figure the target was set against (blobs a second). */
const TARGET_BASE = 6788;

await initSodium();
const prng = createPrng(5);
const keyOf = (cap: Capability) => ({ writePub: cap.writePub, epoch: 0, writeSecret: cap.write!.secretKey });
/** A kind-1 blob as a relay sees it: signed, its body opaque. */
const blob = (cap: Capability): Sealer => {
  const nonce = prng.bytes(24);
  const body = prng.bytes(512 + prng.int(768) - 24 - 2 - 64);
  return (pos) => signedRaw(keyOf(cap), 2, 1, nonce, body, pos);
};

/** A room's envelope doc as sessions leave it: each session (one Yjs client) appends a few blobs. */
function roomUpdate(blobs: Sealer[]): Uint8Array {
  const doc = createEnvelopeDoc();
  for (let i = 0; i < blobs.length; ) {
    const n = 1 + prng.int(20);
    const session = createEnvelopeDoc();
    appendSealed(session, blobs.slice(i, i + n));
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(session));
    session.destroy();
    i += n;
  }
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}

let t = performance.now();
const board = createSpace('board');
const rooms = new Map<string, Uint8Array>();
const boardBlobs: Sealer[] = [];
let total = 0;
for (let i = 0; i < THREADS; i++) {
  const thread = deriveThreadCapability(board, prng.bytes(16));
  boardBlobs.push((pos) => sealLinkBlob({ ...keyOf(board) }, thread.writePub, pos));
  rooms.set(roomName(thread.spaceId, 0), roomUpdate(Array.from({ length: PER_THREAD }, () => blob(thread))));
  total += PER_THREAD;
}
for (let i = 0; i < BOARD_UPDATES; i++) boardBlobs.push(blob(board));
rooms.set(roomName(board.spaceId, 0), roomUpdate(boardBlobs));
total += boardBlobs.length;
const bytes = [...rooms.values()].reduce((n, u) => n + u.length, 0);
console.log(`built ${total} blobs in ${rooms.size} rooms (${(bytes / 1e6).toFixed(1)} MB) in ${((performance.now() - t) / 1000).toFixed(1)} s`);

const work = mkdtempSync(join(tmpdir(), 'baton-bench-catchup-'));
const sourceDir = join(work, 'source');
const storage = new SqliteStorage(sourceDir);
await storage.append([...rooms].map(([room, update]) => ({ room, update })));
await storage.close();

const child = spawn(process.execPath, ['--import', 'tsx', 'test/bench/lib/relay-at.ts', sourceDir], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
const port = await new Promise<number>((resolve, reject) => {
  createInterface({ input: child.stdout! }).once('line', (line) => resolve((JSON.parse(line) as { port: number }).port));
  child.once('exit', (code) => reject(new Error(`source relay exited (${code})`)));
});
const sourceUrl = `http://127.0.0.1:${port}`;

/** The tree of `ref`, extracted beside this one's node_modules. */
function extract(ref: string): string {
  const dir = join(work, 'baseline');
  mkdirSync(dir);
  execFileSync('bash', ['-c', `git archive --format=tar "$1" | tar -x -C "$2"`, 'extract', ref, dir], { cwd: ROOT });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

interface Run {
  tree: 'this' | 'baseline';
  seconds: number;
  cpuSeconds: number;
  rate: number;
  load: string;
}

/** One catch-up by a peer built from `root`, in a child process. */
async function catchUp(tree: Run['tree'], root: string, round: number): Promise<Run> {
  await waitForQuiet(90_000);
  const load = loadAverage();
  const profile = process.env.BENCH_PROFILE && tree === 'this' ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  const peerDir = join(work, `peer-${tree}-${round}`);
  const peer = spawn(process.execPath, [...profile, ...benchNodeFlags(), '--import', 'tsx', 'test/bench/lib/catch-up-peer.ts', root, peerDir, sourceUrl], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: peer.stdout! });
  const answers: Array<Record<string, number>> = [];
  const waiting: Array<() => void> = [];
  lines.on('line', (line) => {
    answers.push(JSON.parse(line) as Record<string, number>);
    waiting.shift()?.();
  });
  const next = async () => {
    if (answers.length === 0) await new Promise<void>((resolve, reject) => {
      waiting.push(resolve);
      peer.once('exit', (code) => reject(new Error(`the ${tree} peer exited (${code})`)));
    });
    return answers.shift()!;
  };
  const { seconds, cpuSeconds } = (await next()) as { seconds: number; cpuSeconds: number };
  peer.stdin!.write(`${JSON.stringify([...rooms.keys()])}\n`);
  const { held, refused } = (await next()) as { held: number; refused: number };
  await new Promise((r) => peer.once('exit', r));
  rmSync(peerDir, { recursive: true, force: true });
  if (held !== total || refused > 0) throw new Error(`the ${tree} peer holds ${held} of ${total} blobs (${refused} refusals)`);
  const run: Run = { tree, seconds, cpuSeconds, rate: Math.round(total / seconds), load };
  console.log(`  round ${round} ${tree}: ${seconds.toFixed(1)} s, ${run.rate} blobs/s wall, ${Math.round(total / cpuSeconds)} blobs per CPU-second (${cpuSeconds.toFixed(1)} s CPU), load ${load}`);
  return run;
}

try {
  const baselineRoot = extract(BASELINE);
  const runs: Run[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const order: Run['tree'][] = round % 2 === 1 ? ['baseline', 'this'] : ['this', 'baseline'];
    for (const tree of order) runs.push(await catchUp(tree, tree === 'this' ? ROOT : baselineRoot, round));
  }
  const best = (tree: Run['tree']) => runs.filter((r) => r.tree === tree).reduce((a, b) => (b.rate > a.rate ? b : a));
  const mine = best('this');
  const base = best('baseline');
  const ab = mine.rate / base.rate;
  const ratioToTarget = mine.rate / TARGET_BASE;
  console.log(`this tree ${mine.rate} blobs/s, baseline ${BASELINE} ${base.rate} blobs/s: ${ab.toFixed(2)}x (target 2x: ${ab >= 2 ? 'met' : 'MISSED'}); ${ratioToTarget.toFixed(2)}x the pre-pool figure of ${TARGET_BASE}`);
  const perCpu = (r: Run) => Math.round(total / r.cpuSeconds).toLocaleString('en');
  recordSection(
    'Mirror catch-up',
    [
      `\`node --import tsx test/bench/catch-up.ts\`, ${today()}, on ${describeMachine()} (load average ${mine.load} to ${base.load} at the start of the best runs; the machine is shared).`,
      '',
      `The source relay holds ${total.toLocaleString('en')} blobs (${(bytes / 1e6).toFixed(0)} MB of envelope docs) spread as a real board would be: a board room (a link blob per thread and ${BOARD_UPDATES} updates) and ${THREADS} thread rooms of ${PER_THREAD} blobs, each room written by many sessions (1 to 20 blobs per Yjs client), blobs of 512 to 1,280 bytes; it runs in a child process on SQLite. An empty relay in a child process of its own (SQLite in a temp dir) with the source as its peer catches up over the HTTP bulk path (room list with change marks, then each room pulled and validated, four rooms at a time); the clock runs from \`startRelay\` until its first peering round is done, and it then holds every blob (counted room by room; no refusals). A/B in the same run: the peer is built from this tree and from commit \`${BASELINE}\` (before the verification pool), ${ROUNDS} rounds alternating which goes first; best of the rounds.`,
      '',
      table(
        ['peer', 'time until it holds all', 'blobs per second (wall)', 'blobs per CPU-second (all threads)'],
        ['l', 'r', 'r', 'r'],
        [
          [`commit ${BASELINE} (before the pool)`, `${base.seconds.toFixed(1)} s`, base.rate.toLocaleString('en'), perCpu(base)],
          ['this tree', `${mine.seconds.toFixed(1)} s`, mine.rate.toLocaleString('en'), perCpu(mine)],
        ],
      ),
      '',
      `This tree over the baseline: **${ab.toFixed(2)}x** (target 2x: ${ab >= 2 ? 'met' : 'MISSED'}); ${ratioToTarget.toFixed(2)}x the pre-pool figure of ${TARGET_BASE.toLocaleString('en')} blobs a second the target was set against. Every run: ${runs.map((r) => `${r.tree} ${r.rate.toLocaleString('en')}/s (load ${r.load})`).join(', ')}.`,
      '',
      CATCH_UP_NOTES,
    ].join('\n'),
  );
} finally {
  child.stdin!.end();
  await new Promise((r) => child.once('exit', r));
  rmSync(work, { recursive: true, force: true });
}
finish();
