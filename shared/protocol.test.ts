import { test } from 'vitest';
import assert from 'node:assert/strict';
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { CloseCode, CloseReason, MessageType, readNewerEpochBody, readReceiptBody, writeNewerEpoch, writeReceipt } from './protocol.ts';

test('a receipt carries the state vector after message type 100', () => {
  const doc = new Y.Doc();
  doc.getArray('log').push([new Uint8Array([1])]);
  const sv = Y.encodeStateVector(doc);
  const decoder = decoding.createDecoder(writeReceipt(sv));
  assert.equal(decoding.readVarUint(decoder), MessageType.receipt);
  assert.deepEqual(readReceiptBody(decoder), sv);
  assert.equal(decoding.hasContent(decoder), false);
});

test('every close code has a reason', () => {
  for (const code of Object.values(CloseCode)) assert.equal(typeof CloseReason[code], 'string');
  assert.deepEqual([MessageType.sync, MessageType.awareness, MessageType.auth, MessageType.queryAwareness], [0, 1, 2, 3]);
});

test('a newer-epoch hint carries the epoch after message type 101; out-of-range epochs read as null', () => {
  for (const epoch of [1, 300, 0xffffffff]) {
    const decoder = decoding.createDecoder(writeNewerEpoch(epoch));
    assert.equal(decoding.readVarUint(decoder), MessageType.newerEpoch);
    assert.equal(readNewerEpochBody(decoder), epoch);
    assert.equal(decoding.hasContent(decoder), false);
  }
  const tooBig = encoding.createEncoder();
  encoding.writeVarUint(tooBig, 2 ** 40);
  assert.equal(readNewerEpochBody(decoding.createDecoder(encoding.toUint8Array(tooBig))), null);
  assert.throws(() => readNewerEpochBody(decoding.createDecoder(new Uint8Array([0x80]))), 'a truncated number throws, for the caller to ignore');
});
