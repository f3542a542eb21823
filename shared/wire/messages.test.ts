import { test } from 'vitest';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as syncProtocol from 'y-protocols/sync';
import * as encoding from 'lib0/encoding';
import { MAX_EPOCH } from '../ids.ts';
import { MessageType, isStateVector, readFromDecoder, readMessage, writeMessage, writeSyncStep1, writeSyncUpdate, type ReadResult, type WireMessage } from './messages.ts';

const bytes = fc.uint8Array({ maxLength: 300 });
/** A state vector as Yjs writes it: distinct clients, each with a clock. */
const stateVector = fc.uniqueArray(fc.tuple(fc.nat(2 ** 32), fc.nat(2 ** 40)), { selector: ([client]) => client, maxLength: 8 }).map((pairs) => {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, pairs.length);
  for (const [client, clock] of pairs) {
    encoding.writeVarUint(e, client);
    encoding.writeVarUint(e, clock);
  }
  return encoding.toUint8Array(e);
});

const message: fc.Arbitrary<WireMessage> = fc.oneof(
  stateVector.map((sv) => ({ type: 'sync-step1' as const, stateVector: sv })),
  fc.tuple(bytes, fc.boolean()).map(([update, step2]) => ({ type: 'sync-update' as const, update, step2 })),
  bytes.map((payload) => ({ type: 'awareness' as const, payload })),
  bytes.map((payload) => ({ type: 'auth' as const, payload })),
  fc.constant({ type: 'query-awareness' as const }),
  bytes.map((sv) => ({ type: 'receipt' as const, stateVector: sv })),
  fc.integer({ min: 0, max: MAX_EPOCH }).map((epoch) => ({ type: 'newer-epoch' as const, epoch })),
);

test('every message reads back as written, whole or after its type number', () => {
  fc.assert(
    fc.property(message, (m) => {
      const wire = writeMessage(m);
      assert.deepEqual(readMessage(wire), { ok: true, message: m });
      const decoder = decoding.createDecoder(wire);
      const type = decoding.readVarUint(decoder);
      assert.deepEqual(readFromDecoder(type, decoder), { ok: true, message: m });
      assert.equal(decoder.pos, wire.length, 'the decoder is moved past the message');
    }),
    { numRuns: 500 },
  );
});

test('every message type has a reader and a writer', () => {
  const seen = new Set<number>();
  fc.assert(
    fc.property(message, (m) => {
      seen.add(decoding.readVarUint(decoding.createDecoder(writeMessage(m))));
    }),
    { numRuns: 300 },
  );
  assert.deepEqual([...seen].sort((a, b) => a - b), Object.values(MessageType).sort((a, b) => a - b));
});

test('the bytes are y-protocols’ own: a sync step 1 and an update as y-websocket writes them', () => {
  const doc = new Y.Doc();
  doc.getArray('log').push([1, 2, 3]);
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.sync);
  syncProtocol.writeSyncStep1(e, doc);
  assert.deepEqual(writeSyncStep1(Y.encodeStateVector(doc)), encoding.toUint8Array(e));
  const u = encoding.createEncoder();
  encoding.writeVarUint(u, MessageType.sync);
  syncProtocol.writeUpdate(u, Y.encodeStateAsUpdate(doc));
  assert.deepEqual(writeSyncUpdate(Y.encodeStateAsUpdate(doc)), encoding.toUint8Array(u));
});

/** Hostile frames and the fault each must come back as. */
const VECTORS: Array<{ name: string; bytes: number[]; fault: string; messageType?: number }> = [
  { name: 'empty frame', bytes: [], fault: 'malformed' },
  { name: 'truncated type number', bytes: [0x80], fault: 'malformed' },
  { name: 'type number over 2^53', bytes: [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f], fault: 'malformed' },
  { name: 'unknown type', bytes: [77, 1, 2], fault: 'unknown-type', messageType: 77 },
  { name: 'unknown two-byte type', bytes: [0x80 | 44, 2], fault: 'unknown-type', messageType: 300 },
  { name: 'unknown sync step', bytes: [0, 5, 0], fault: 'unknown-sync-step' },
  { name: 'sync without a step', bytes: [0], fault: 'malformed' },
  { name: 'update longer than the frame', bytes: [0, 2, 200, 1], fault: 'malformed' },
  { name: 'update length over 2^32', bytes: [0, 1, 0xff, 0xff, 0xff, 0xff, 0x0f], fault: 'malformed' },
  { name: 'step 1 with a short state vector', bytes: [0, 0, 2, 1, 5], fault: 'bad-state-vector' },
  { name: 'step 1 with bytes after its state vector', bytes: [0, 0, 2, 0, 9], fault: 'bad-state-vector' },
  { name: 'step 1 with a huge count', bytes: [0, 0, 3, 0xff, 0xff, 0x7f], fault: 'bad-state-vector' },
  { name: 'awareness longer than the frame', bytes: [1, 50, 1, 2], fault: 'malformed' },
  { name: 'receipt without its state vector', bytes: [100], fault: 'malformed' },
  { name: 'newer epoch over 2^32 - 1', bytes: [101, 0x80, 0x80, 0x80, 0x80, 0x10], fault: 'bad-epoch' },
  { name: 'newer epoch truncated', bytes: [101, 0x80], fault: 'malformed' },
];

test('hostile frames come back as faults, each with its reason', () => {
  for (const vector of VECTORS) {
    const read = readMessage(new Uint8Array(vector.bytes));
    assert.equal(read.ok, false, vector.name);
    if (read.ok) continue;
    assert.equal(read.fault, vector.fault, vector.name);
    assert.equal(read.messageType, vector.messageType, vector.name);
    assert.equal(typeof read.detail, 'string');
  }
});

test('no input makes a reader throw; whatever reads as a message writes back to the same message', () => {
  const anyBytes = fc.oneof(fc.uint8Array({ maxLength: 64 }), fc.tuple(fc.constantFrom(0, 1, 2, 3, 100, 101), fc.uint8Array({ maxLength: 64 })).map(([t, rest]) => Uint8Array.of(t, ...rest)));
  fc.assert(
    fc.property(anyBytes, fc.nat(80), (frame, at) => {
      const read: ReadResult = readMessage(frame);
      if (read.ok) assert.deepEqual(readMessage(writeMessage(read.message)), read);
      const decoder = { arr: frame, pos: at }; // a decoder anywhere, even past the end
      const body = readFromDecoder(frame[0] ?? 0, decoder);
      assert.equal(typeof body.ok, 'boolean');
      assert.ok(decoder.pos <= frame.length);
    }),
    { numRuns: 2000 },
  );
});

test('a state vector is a count and that many pairs, nothing more', () => {
  const doc = new Y.Doc();
  doc.getArray('a').push([1]);
  assert.equal(isStateVector(Y.encodeStateVector(doc)), true);
  assert.equal(isStateVector(Y.encodeStateVector(new Y.Doc())), true);
  assert.equal(isStateVector(new Uint8Array([])), false);
  assert.equal(isStateVector(new Uint8Array([1, 5])), false);
  assert.equal(isStateVector(new Uint8Array([0, 0])), false);
  fc.assert(fc.property(stateVector, (sv) => isStateVector(sv)));
});
