import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { CloseCode, CloseReason, MessageType, readReceiptBody, writeReceipt } from './protocol.ts';

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
