import { afterAll, beforeAll, test } from 'vitest';
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as Y from 'yjs';
import { appendSealed, createEnvelopeDoc, envelopeLog, initSodium, parseRoomName, sodium, spaceIdFromPublicKey, type SignatureCheck } from '#shared';
import { testIdentity, testRoom, testUpdate, type TestRoom } from '#test/support/rooms.ts';
import { DEFAULT_RELAY_LIMITS } from '../config.ts';
import { Room, type Acceptance } from '../rooms/room.ts';
import { nativeVerifier } from './native.ts';
import { InlineVerifier, VerifyPool } from './pool.ts';
import { waitUntil } from '#test/support/wait.ts';
import { craftUpdate } from '#test/support/craft-update.ts';

interface Vector {
  name: string;
  publicKey: string;
  signature: string;
  message: string;
  valid: boolean;
}
const vectors = (JSON.parse(readFileSync(new URL('../../test/vectors/ed25519.json', import.meta.url), 'utf8')) as { vectors: Vector[] }).vectors;
const fromHex = (hex: string): Uint8Array => new Uint8Array(Buffer.from(hex, 'hex'));
const asCheck = (v: Vector): SignatureCheck => ({ publicKey: fromHex(v.publicKey), signature: fromHex(v.signature), message: fromHex(v.message) });

let pool: VerifyPool;
let keypair: { publicKey: Uint8Array; privateKey: KeyObject };

beforeAll(async () => {
  await initSodium();
  pool = new VerifyPool(2);
  // Signed with node:crypto, which is quick; libsodium judges the vectors below.
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  keypair = { publicKey: new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }).subarray(12)), privateKey };
});

afterAll(async () => {
  await pool.close();
});

/** `count` honest checks, each signing its own message of `size` bytes. */
function honest(count: number, size = 200): SignatureCheck[] {
  return Array.from({ length: count }, (_, i) => {
    const message = new Uint8Array(randomBytes(size));
    message[0] = i & 0xff;
    return { message, signature: new Uint8Array(sign(null, message, keypair.privateKey)), publicKey: keypair.publicKey };
  });
}

function broken(checks: SignatureCheck[], at: number): SignatureCheck[] {
  const out = checks.slice();
  const signature = out[at]!.signature.slice();
  signature[3]! ^= 1;
  out[at] = { ...out[at]!, signature };
  return out;
}

test('node:crypto under the encoding rules agrees with libsodium on every shared vector, inline and in the pool', async () => {
  assert.ok(vectors.length >= 10, 'the vector file holds the edge cases');
  const native = nativeVerifier();
  for (const v of vectors) {
    const c = asCheck(v);
    const libsodium = sodium().crypto_sign_verify_detached(c.signature, c.message, c.publicKey);
    assert.equal(libsodium, v.valid, `${v.name}: the file records libsodium's verdict`);
    assert.equal(native(c.signature, c.message, c.publicKey), v.valid, `${v.name} inline`);
    assert.equal(await pool.verify([c]), v.valid ? -1 : 0, `${v.name} in the pool`);
  }
  // All at once: the pool names the first refused vector.
  const all = vectors.map(asCheck);
  assert.equal(await pool.verify(all), vectors.findIndex((v) => !v.valid));
});

test('many jobs at once, of every size: each gets its own first bad index', async () => {
  const good = honest(700);
  const jobs: Array<{ checks: SignatureCheck[]; expect: number }> = [];
  for (let j = 0; j < 40; j++) {
    const size = [1, 2, 5, 64, 65, 300, 700][j % 7]!;
    const checks = good.slice(0, size);
    const bad = j % 3 === 0 ? -1 : (j * 37) % size;
    jobs.push({ checks: bad < 0 ? checks : broken(checks, bad), expect: bad });
  }
  // Two bad ones: the first is named, even when a later chunk answers first.
  jobs.push({ checks: broken(broken(good, 650), 3), expect: 3 });
  const results = await Promise.all(jobs.map((j) => pool.verify(j.checks)));
  assert.deepEqual(results, jobs.map((j) => j.expect));
  assert.equal(await pool.verify([]), -1);
  assert.equal(await new InlineVerifier().verify(broken(good.slice(0, 10), 7)), 7);
});

test('a one-blob job is not held behind a job of thousands of checks', async () => {
  const big = honest(3000, 1000);
  const small = honest(1);
  const started = performance.now();
  let bigDone = 0;
  const bigJob = pool.verify(big).then((r) => ((bigDone = performance.now() - started), r));
  await new Promise((r) => setImmediate(r));
  const smallStart = performance.now();
  assert.equal(await pool.verify(small), -1);
  const smallMs = performance.now() - smallStart;
  assert.equal(await bigJob, -1);
  // The small job waits for chunks already sent, not for the whole big job.
  assert.ok(smallMs < bigDone / 2, `small ${smallMs.toFixed(1)} ms, big ${bigDone.toFixed(1)} ms`);
});

test('a worker that dies has its chunks retried on a fresh one; dying twice refuses the job; nothing hangs', async () => {
  const one = new VerifyPool(1);
  try {
    const checks = broken(honest(2000, 500), 1500);
    const job = one.verify(checks);
    await new Promise((r) => setImmediate(r));
    await one.workers[0]!.terminate();
    assert.equal(await job, 1500, 'retried on the new worker, same verdict');
    assert.equal(one.crashes, 1);
    // Now kill each replacement as well while it holds the retried chunks (a kill that finds
    // none in flight proves nothing, so keep killing until the job settles).
    const twice = one.verify(honest(4000, 500));
    let settled = false;
    twice.then(() => (settled = true), () => (settled = true));
    for (let kills = 0; !settled && kills < 50; kills++) {
      await new Promise((r) => setImmediate(r));
      await one.workers[0]!.terminate();
      await waitFor(() => one.crashes === 2 + kills);
    }
    await assert.rejects(twice, /failed twice/);
    // The pool still works afterwards.
    assert.equal(await one.verify(broken(honest(10), 4)), 4);
  } finally {
    await one.close();
  }
});

test('a worker killed before it comes online is replaced, not taken for one that cannot start', async () => {
  const one = new VerifyPool(1);
  try {
    await one.workers[0]!.terminate(); // at once: it has not come online yet
    await waitFor(() => one.crashes === 1);
    assert.equal(one.workers.length, 1, 'a fresh worker took its place');
    assert.equal(await one.verify(broken(honest(600), 550)), 550);
  } finally {
    await one.close();
  }
});

test('closing the pool refuses what is pending and leaves no thread', async () => {
  const p = new VerifyPool(2);
  const pending = p.verify(honest(3000, 1000));
  await new Promise((r) => setImmediate(r));
  await p.close();
  await assert.rejects(pending, /closed/);
  await assert.rejects(p.verify(honest(1)), /closed/);
});

test('a room applies verified updates in arrival order, and refuses one with a bad blob without applying it', async () => {
  const tr: TestRoom = testRoom(9);
  const address = parseRoomName(`${spaceIdFromPublicKey(tr.cap.writePub)}.0`)!;
  const applied: number[] = [];
  const room = new Room(address, DEFAULT_RELAY_LIMITS, { updates: [], bytes: 0 }, () => {}, () => {}, {}, pool);
  room.doc.on('update', () => applied.push(envelopeLog(room.doc).length));
  // One writer's updates, each building on the one before: out of order they would be gaps.
  const writer = createEnvelopeDoc();
  writer.clientID = 77;
  const author = testIdentity(4);
  const updates: Uint8Array[] = [];
  for (let i = 0; i < 12; i++) {
    const before = Y.encodeStateVector(writer);
    appendSealed(writer, Array.from({ length: i % 2 === 0 ? 1 : 150 }, (_, k) => testUpdate(tr, author, `k${i}.${k}`, 'v')));
    updates.push(Y.encodeStateAsUpdate(writer, before));
  }
  const results: Acceptance[] = await Promise.all(updates.map((u) => room.receiveVerified(u, null)));
  assert.ok(results.every((r) => r.ok), JSON.stringify(results.find((r) => !r.ok)));
  assert.equal(applied.length, 12);
  assert.deepEqual(applied, [...applied].sort((a, b) => a - b));
  assert.equal(room.blobCount, envelopeLog(writer).length);
  // A bad signature in the middle of a big update: refused whole.
  const before = Y.encodeStateVector(writer);
  appendSealed(writer, Array.from({ length: 200 }, (_, k) => testUpdate(tr, author, `bad${k}`, 'v')));
  const update = Y.encodeStateAsUpdate(writer, before);
  const blob = envelopeLog(writer).get(envelopeLog(writer).length - 50);
  const at = indexOf(update, blob);
  update[at + blob.length - 1]! ^= 1;
  const refused = await room.receiveVerified(update, null);
  assert.equal(refused.ok, false);
  assert.equal(!refused.ok && refused.blobReason, 'bad-signature');
  assert.equal(room.blobCount, envelopeLog(writer).length - 200, 'nothing of it applied');
  room.destroy();
});

test('an update with a broken blob and an origin the room lacks is refused as bad-blob through the pool, as inline', async () => {
  const tr: TestRoom = testRoom(10);
  const address = parseRoomName(`${spaceIdFromPublicKey(tr.cap.writePub)}.0`)!;
  const author = testIdentity(5);
  // Big enough to go to the workers, not to the event loop's small-update path.
  const sound = testUpdate(tr, author, 'a', 'x'.repeat(3000));
  const broken = (pos: { client: number; clock: number }) => {
    const blob = testUpdate(tr, author, 'b', 'y'.repeat(3000))(pos).slice();
    blob[blob.length - 1]! ^= 1;
    return blob;
  };
  const update = craftUpdate([{ client: 40, clock: 0, structs: [{ content: sound }, { content: broken, origin: [99, 7] }] }]);
  const verdicts: Acceptance[] = [];
  for (const verifier of [null, pool]) {
    const room = new Room(address, DEFAULT_RELAY_LIMITS, { updates: [], bytes: 0 }, () => {}, () => {}, {}, verifier);
    verdicts.push(await room.receiveVerified(update, null));
    assert.equal(room.blobCount, 0);
    room.destroy();
  }
  for (const v of verdicts) {
    assert.equal(v.ok, false);
    assert.deepEqual(!v.ok && [v.code, v.blobReason], ['bad-update', 'bad-signature'], JSON.stringify(v));
  }
});

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  throw new Error('not found');
}

function waitFor(condition: () => boolean, ms = 10_000): Promise<void> {
  return waitUntil(condition, { timeoutMs: ms, intervalMs: 5, what: 'the pool to replace its crashed workers' });
}

test('a one-check job is verified on the event loop when the loop has time, and in a worker when other work keeps it busy', async () => {
  const small = new VerifyPool(1);
  try {
    const [check] = honest(1);
    await new Promise((r) => setTimeout(r, 250)); // an idle window
    assert.equal(await small.verify([check!]), -1);
    assert.equal(small.checkedHere, 1, 'checked on the idle loop');
    const until = performance.now() + 150;
    while (performance.now() < until) {
      // other work holds the loop
    }
    assert.equal(await small.verify(broken([check!], 0)), 0);
    assert.equal(small.checkedHere, 1, 'a busy loop left it to the worker');
  } finally {
    await small.close();
  }
});
