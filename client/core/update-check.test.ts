import { afterEach, test } from 'vitest';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { BlobKind, appendSealed, createEnvelopeDoc, envelopeLog, generateIdentity, initSodium, sealUpdateBlob } from '#shared';
import { hostileUpdate } from '#test/support/hostile-update.ts';
import { workerThreadCheck } from '#client-node/worker-check.ts';
import { INLINE_CHECK_BYTES, applyCheckedUpdate, checkDetached, setOffThreadCheck } from './update-check.ts';

await initSodium();
const MAX = 64 * 1024 * 1024;

afterEach(() => setOffThreadCheck(null));

/** A large update of valid blobs and, after it, a small one that builds on it. */
function twoUpdates() {
  const h = hostileUpdate(8 * 1024); // only for a space and its key
  const author = generateIdentity();
  const source = createEnvelopeDoc();
  const seal = (n: number, size: number) =>
    appendSealed(source, Array.from({ length: n }, () => (pos: { client: number; clock: number }) => sealUpdateBlob(h.key, BlobKind.update, author, new Uint8Array(size), pos)));
  seal(40, 1024);
  const large = Y.encodeStateAsUpdate(source);
  const sv = Y.encodeStateVector(source);
  seal(1, 100);
  const small = Y.encodeStateAsUpdate(source, sv);
  assert.ok(large.length > INLINE_CHECK_BYTES && small.length <= INLINE_CHECK_BYTES);
  return { h, large, small };
}

for (const where of ['sliced on the main thread', 'on a worker thread'] as const) {
  test(`updates of one doc apply in arrival order, a large one checked ${where}`, async () => {
    if (where === 'on a worker thread') setOffThreadCheck(workerThreadCheck());
    const { h, large, small } = twoUpdates();
    const doc = createEnvelopeDoc();
    const first = applyCheckedUpdate(doc, large, h.key, null, MAX);
    const second = applyCheckedUpdate(doc, small, h.key, null, MAX);
    assert.ok(first instanceof Promise && second instanceof Promise, 'the small update waits for the large one');
    const [a, b] = await Promise.all([first, second]);
    assert.ok(a.ok && a.blobs.length === 40);
    assert.ok(b.ok && b.blobs.length === 1);
    assert.equal(envelopeLog(doc).length, 41);
  });

  test(`a large update with its last signature broken is refused whole, checked ${where}`, async () => {
    if (where === 'on a worker thread') setOffThreadCheck(workerThreadCheck());
    const h = hostileUpdate(256 * 1024);
    const doc = createEnvelopeDoc();
    const verdict = await applyCheckedUpdate(doc, h.update, h.key, null, MAX);
    assert.equal(verdict.ok, false);
    assert.ok(!verdict.ok && verdict.reason === 'bad-blob' && verdict.blobReason === 'bad-signature');
    assert.match(!verdict.ok ? verdict.detail : '', new RegExp(`:${h.blobs - 1}: bad-signature$`), 'the last blob is named');
    assert.equal(envelopeLog(doc).length, 0);
  });
}

test('a doc that changes while a large update is checked: the update is checked again and applies', async () => {
  const { h, large, small } = twoUpdates();
  const doc = createEnvelopeDoc();
  // The doc changes while the large update is checked: it is checked again, and still applies.
  const pending = applyCheckedUpdate(doc, large, h.key, null, MAX);
  const other = createEnvelopeDoc();
  appendSealed(other, [(pos) => sealUpdateBlob(h.key, BlobKind.update, generateIdentity(), new Uint8Array(10), pos)]);
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(other));
  const verdict = await pending;
  assert.ok(verdict.ok && verdict.blobs.length === 40);
  assert.equal(envelopeLog(doc).length, 41);
  assert.ok((await applyCheckedUpdate(doc, small, h.key, null, MAX)).ok);
});

test('a detached check refuses an unreadable state vector', () => {
  const h = hostileUpdate(8 * 1024);
  const v = checkDetached({ update: h.update, room: h.key, stateVector: new Uint8Array([0xff]), maxUpdateBytes: MAX }).verdict;
  assert.equal(v.ok, false);
});
