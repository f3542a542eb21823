// Validator throughput against raw Ed25519 verification of the same blobs.
//   node --import tsx test/bench/validator.ts
// The signature check dominates a relay's work on each update; everything else the
// validator does (parsing, dependency checks, building the signed message) should cost
// under 10 % on top. Prints the figures and records them in docs/BENCHMARKS.md.
import { cpus } from 'node:os';
import * as Y from 'yjs';
import { SIGNATURE_LENGTH, signedMessage, type BlobPosition } from '#shared/blob.ts';
import { initSodium, sodium } from '#shared/sodium.ts';
import { validateEnvelopeUpdate } from '#shared/envelope/validate.ts';
import { signedRaw } from '../support/craft-blob.ts';
import { envelopeWith, testRoom } from '../support/rooms.ts';
import { createPrng } from '../support/prng.ts';
import { loadAverage } from './lib/machine.ts';
import { recordSection, table, today } from './lib/report.ts';
import { finish } from './lib/finish.ts';

const BLOB_BYTES = 1024;
const BLOBS = 400;
const ROUNDS = 7;

await initSodium();
const s = sodium();
const room = testRoom(1);
const prng = createPrng(7);
// Kind-1 blobs of exactly 1 KiB, signed for the room at the id each lands at: what a relay checks without a read key.
const bodies = Array.from({ length: BLOBS }, () => [prng.bytes(24), prng.bytes(BLOB_BYTES - 26 - SIGNATURE_LENGTH)] as const);
const sealer = (i: number) => (pos: BlobPosition) => signedRaw(room.key, 2, 1, bodies[i]![0], bodies[i]![1], pos);
// Raw verification of the very messages the validator checks for the one-blob updates (client 100 + i, clock 0).
const raw = bodies.map((_, i) => {
  const pos = { client: 100 + i, clock: 0 };
  const blob = sealer(i)(pos);
  return { message: signedMessage(room.roomKey, pos, blob.subarray(0, blob.length - SIGNATURE_LENGTH)), sig: blob.subarray(blob.length - SIGNATURE_LENGTH) };
});

// One blob per update (a live write, the worst case for overhead) and 100 per update (a sync step 2).
const singles = bodies.map((_, i) => Y.encodeStateAsUpdate(envelopeWith([sealer(i)], 100 + i)));
const batches: Uint8Array[] = [];
for (let i = 0; i < BLOBS; i += 100) batches.push(Y.encodeStateAsUpdate(envelopeWith(bodies.slice(i, i + 100).map((_, j) => sealer(i + j)), 9)));

const empty = () => 0;
function rawVerify(): void {
  for (let i = 0; i < BLOBS; i++) if (!s.crypto_sign_verify_detached(raw[i]!.sig, raw[i]!.message, room.cap.writePub)) throw new Error('bad signature');
}
function validate(updates: Uint8Array[]): () => void {
  return () => {
    for (const u of updates) if (!validateEnvelopeUpdate(u, room.roomKey, { clockOf: empty }).ok) throw new Error('rejected');
  };
}

/** Best of several interleaved rounds, in milliseconds for all BLOBS blobs: robust to a busy machine. */
function measure(fns: Record<string, () => void>): Record<string, number> {
  const best: Record<string, number> = {};
  for (const fn of Object.values(fns)) fn(); // warm up
  for (let r = 0; r < ROUNDS; r++) {
    for (const [name, fn] of Object.entries(fns)) {
      const t0 = performance.now();
      fn();
      const ms = performance.now() - t0;
      best[name] = Math.min(best[name] ?? Infinity, ms);
    }
  }
  return best;
}

const t = measure({ raw: rawVerify, single: validate(singles), batch: validate(batches) });
const perSec = (ms: number) => Math.round((BLOBS / ms) * 1000);
const overhead = (ms: number) => ((ms / t.raw! - 1) * 100).toFixed(1);
const cpu = cpus();
const machine = `${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${cpu.length} cores, Node ${process.version}`;
const rows = [
  ['raw Ed25519 verify (libsodium crypto_sign_verify_detached)', perSec(t.raw!), '1.00', '-'],
  ['validator, 1 blob per update', perSec(t.single!), (t.single! / t.raw!).toFixed(3), `${overhead(t.single!)} %`],
  ['validator, 100 blobs per update', perSec(t.batch!), (t.batch! / t.raw!).toFixed(3), `${overhead(t.batch!)} %`],
] as const;

console.log(`Validator on ${BLOB_BYTES}-byte blobs (${machine}), best of ${ROUNDS} rounds of ${BLOBS} blobs`);
for (const [name, rate, ratio, over] of rows) console.log(`  ${name.padEnd(62)} ${String(rate).padStart(7)} blobs/s  time ratio ${ratio}  overhead ${over}`);

recordSection(
  'Validator',
  [
    `\`node --import tsx test/bench/validator.ts\` on ${machine} (one-minute load average ${loadAverage()}). Blobs of ${BLOB_BYTES} bytes (kind 1, signed for the room), checked as a relay does, without a read key; best of ${ROUNDS} rounds of ${BLOBS} blobs. The ratio is validator time over raw Ed25519 verification of the same signed messages; the overhead is what parsing the Yjs update, the dependency checks and building the signed message (ctx, the blob's position and the blob) add.`,
    '',
    table(['Path', 'Blobs/s', 'Time ratio', 'Overhead'], ['l', 'r', 'r', 'r'], rows.map((r) => [...r])),
    '',
    `Measured ${today()}.`,
  ].join('\n'),
);
console.log('recorded in docs/BENCHMARKS.md');
finish();
