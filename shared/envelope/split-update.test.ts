import { test } from 'vitest';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { appendSealed, applyValidatedUpdate, createEnvelopeDoc, createSpace, envelopeLog, initSodium, sealLinkBlob, type Sealer } from '../index.ts';
import { splitEnvelopeUpdate } from './split-update.ts';

await initSodium();

test('a large envelope update splits into gap-free pieces that rebuild the same doc', () => {
  const cap = createSpace('board');
  const key = { writePub: cap.writePub, epoch: 0, writeSecret: cap.write!.secretKey };
  const link = (): Sealer => (pos) => sealLinkBlob(key, createSpace('thread').writePub, pos);
  // Three writers interleaving, so origins cross clients.
  const docs = [createEnvelopeDoc(), createEnvelopeDoc(), createEnvelopeDoc()];
  for (let round = 0; round < 12; round++) {
    for (const d of docs) appendSealed(d, [link(), link()]);
    for (const a of docs) for (const b of docs) if (a !== b) Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  }
  const whole = Y.encodeStateAsUpdate(docs[0]!);
  const pieces = splitEnvelopeUpdate(whole, 1500);
  assert.ok(pieces.length > 5, `${pieces.length} pieces`);
  for (const p of pieces) assert.ok(p.length <= 1500, `piece of ${p.length} bytes`);
  const rebuilt = createEnvelopeDoc();
  for (const p of pieces) {
    const verdict = applyValidatedUpdate(rebuilt, p, key, null);
    assert.equal(verdict.ok, true, JSON.stringify(verdict));
  }
  assert.deepEqual(envelopeLog(rebuilt).toArray(), envelopeLog(docs[0]!).toArray());
  assert.deepEqual(splitEnvelopeUpdate(whole, whole.length), [whole], 'an update that fits is left alone');
});
