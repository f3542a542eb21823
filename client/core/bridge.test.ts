import { test, vi } from 'vitest';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { BlobKind, appendSealed, createEnvelopeDoc, createSpace, envelopeLog, generateIdentity, initSodium, openBlob, sealUpdateBlob } from '#shared';
import { EncryptionBridge } from './bridge.ts';

await initSodium();

function pair(batchMs = 250) {
  const cap = createSpace('thread');
  const envelope = createEnvelopeDoc();
  const plain = new Y.Doc();
  const dropped: string[] = [];
  const key = { writePub: cap.writePub, epoch: 0, readKey: cap.readKey! };
  const bridge = new EncryptionBridge({ envelope, plain, key, writeSecret: cap.write!.secretKey, author: generateIdentity(), batchMs, onDropped: (r) => dropped.push(r) });
  return { cap, envelope, plain, bridge, dropped, key };
}

test('many changes within the batch window become one blob', () => {
  vi.useFakeTimers();
  const { envelope, plain, bridge, key } = pair(250);
  const text = plain.getText('summary');
  for (let i = 0; i < 40; i++) text.insert(text.length, `k${i} `); // one transaction per keystroke
  assert.equal(envelopeLog(envelope).length, 0, 'nothing is sealed before the batch delay');
  vi.advanceTimersByTime(249);
  assert.equal(envelopeLog(envelope).length, 0, 'nothing is sealed before the batch delay has passed');
  vi.advanceTimersByTime(1);
  vi.useRealTimers();
  assert.equal(envelopeLog(envelope).length, 1);
  const opened = openBlob(envelopeLog(envelope).get(0), key, { client: envelope.clientID, clock: 0 });
  assert.ok(opened.ok && opened.kind === BlobKind.update);
  const copy = new Y.Doc();
  Y.applyUpdate(copy, opened.update);
  assert.equal(copy.getText('summary').toString(), text.toString());
  bridge.destroy();
});

test('flush seals pending changes at once', () => {
  const { envelope, plain, bridge } = pair(10_000);
  plain.getMap('posts').set('a', 1);
  plain.getMap('posts').set('b', 2);
  assert.equal(bridge.flush(), 1);
  assert.equal(envelopeLog(envelope).length, 1);
  assert.equal(bridge.flush(), 0, 'nothing left to seal');
  bridge.destroy();
});

test('blobs from elsewhere are opened into the plaintext doc; bad ones are dropped', () => {
  const a = pair(10_000);
  a.plain.getMap('thread').set('title', 'hello');
  a.bridge.flush();
  // A second device holding the same keys receives the envelope doc.
  const envelope = createEnvelopeDoc();
  const plain = new Y.Doc();
  const dropped: string[] = [];
  const b = new EncryptionBridge({ envelope, plain, key: a.key, writeSecret: null, author: generateIdentity(), onDropped: (r) => dropped.push(r) });
  Y.applyUpdate(envelope, Y.encodeStateAsUpdate(a.envelope));
  assert.equal(plain.getMap('thread').get('title'), 'hello');
  // A blob sealed with another space's keys (slipped past the validator here, which would refuse
  // its signature) fails to decrypt, its associated data naming another space, and is dropped whole.
  const other = createSpace('thread');
  const forged = new Y.Doc();
  forged.getMap('thread').set('title', 'forged');
  const otherKey = { writePub: other.writePub, epoch: 0, readKey: a.key.readKey, writeSecret: other.write!.secretKey };
  appendSealed(envelope, [(pos) => sealUpdateBlob(otherKey, BlobKind.update, generateIdentity(), Y.encodeStateAsUpdate(forged), pos)], 'test');
  assert.equal(plain.getMap('thread').get('title'), 'hello');
  assert.deepEqual(dropped, ['decrypt-failed']);
  // Without the write key, local changes are never published.
  plain.getMap('thread').set('title', 'local');
  assert.equal(b.flush(), 0);
  assert.equal(envelopeLog(envelope).length, 2);
  assert.deepEqual(dropped, ['decrypt-failed', 'unpublished'], 'and the change kept back is reported');
  b.destroy();
  a.bridge.destroy();
});
