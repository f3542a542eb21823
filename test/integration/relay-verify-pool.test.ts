// A relay verifies signatures in worker threads: a 1 MiB update of thousands of blobs in one
// room must not hold up an honest one-blob write in another room.
import assert from 'node:assert/strict';
import { afterAll, beforeAll, it } from 'vitest';
import { signedRaw } from '../support/craft-blob.ts';
import { startRelay, type Relay } from '#server/index.ts';
import type { Sealer } from '#shared';
import { envelopeUpdate, makeSpace, sealPost, type TestSpace } from './relay-fixtures.ts';

let relay: Relay;
let big: TestSpace;
let honest: TestSpace;
let bigUpdate: Uint8Array;
const BLOBS = 3500;

beforeAll(async () => {
  // One verification thread even on a one-core machine: the pool is what is tested.
  relay = await startRelay({ port: 0, host: '127.0.0.1', webRoot: '/nonexistent-baton-web', log: () => {}, verify: 'pool', verifyThreads: 1 });
  big = await makeSpace();
  honest = await makeSpace();
  const key = { ...big.key };
  const body = new Uint8Array(180);
  const sealers: Sealer[] = Array.from({ length: BLOBS }, (_, i) => (pos) => signedRaw(key, 2, 1, new Uint8Array(24).fill(i & 0xff), body, pos));
  bigUpdate = envelopeUpdate(sealers);
});
afterAll(() => relay.close());

const post = (room: string, body: Uint8Array) =>
  fetch(`${relay.url}/v1/rooms/${room}`, { method: 'POST', body: body as Uint8Array<ArrayBuffer>, headers: { 'Content-Type': 'application/octet-stream' } });

async function timed(f: () => Promise<Response>): Promise<{ ms: number; endedAt: number; status: number; added: number }> {
  const t = performance.now();
  const res = await f();
  const json = (await res.json()) as { added?: number };
  const endedAt = performance.now();
  return { ms: endedAt - t, endedAt, status: res.status, added: json.added ?? 0 };
}

it('a 1 MiB update of thousands of blobs in one room does not stall an honest write in another', async () => {
  assert.ok(bigUpdate.length > 900_000 && bigUpdate.length <= 1024 * 1024, `update of ${bigUpdate.length} bytes`);
  // Warm up: the verification thread has started and both rooms are loaded.
  assert.equal((await timed(() => post(honest.room, envelopeUpdate([sealPost(honest, 'first')])))).status, 200);
  const bigDone = timed(() => post(big.room, bigUpdate));
  // The honest write goes out while the big one is being verified, and is timed on its own.
  await new Promise((r) => setTimeout(r, 30));
  const write = await timed(() => post(honest.room, envelopeUpdate([sealPost(honest, 'second')], undefined)));
  const flood = await bigDone;
  console.log(`honest write ${write.ms.toFixed(1)} ms while a ${BLOBS}-blob update took ${flood.ms.toFixed(1)} ms`);
  assert.equal(write.status, 200);
  assert.equal(flood.status, 200);
  assert.equal(flood.added, BLOBS, 'every blob of the big update was verified and applied');
  // Verified in slices in the pool, the big update delays the honest write by a slice, not by
  // itself: the honest write is answered first, in a fraction of the big one's time whatever
  // the machine's load (behind it, it would end after it and take most of its time).
  assert.ok(write.endedAt < flood.endedAt, `honest ended ${(flood.endedAt - write.endedAt).toFixed(1)} ms after the big one`);
  assert.ok(write.ms < flood.ms / 2, `honest ${write.ms.toFixed(1)} ms, big ${flood.ms.toFixed(1)} ms`);
});
