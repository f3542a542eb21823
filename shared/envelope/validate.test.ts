import { beforeAll, test } from 'vitest';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { concatBytes } from '../bytes.ts';
import { initSodium } from '../sodium.ts';
import { finishEnvelopeUpdate, prepareEnvelopeUpdate, validateEnvelopeUpdate, type EnvelopeVerdict } from './validate.ts';
import { verifySignature } from '../sodium.ts';
import { appendSealed, applyValidatedUpdate, createEnvelopeDoc, envelopeLog, type Sealer } from './doc.ts';
import { envelopeWith, filled, testLink, testUpdate, testIdentity, testRoom, type TestRoom } from '#test/support/rooms.ts';
import { craftUpdate, type RawStruct } from '#test/support/craft-update.ts';
import { sealProtocol1Link, signedRaw } from '#test/support/craft-blob.ts';

let room: TestRoom;
/** Blobs sealed for wherever a test puts them (a blob is valid at one Yjs id only). */
let blobs: Sealer[];

beforeAll(async () => {
  await initSodium();
  room = testRoom(1);
  const author = testIdentity(50);
  blobs = Array.from({ length: 4 }, (_, i) => testUpdate(room, author, `k${i}`, `v${i}`));
});

/** A blob sealed for one fixed id, for tests that refuse it anyway. */
const sealedAt = (sealer: Sealer, client = 1, clock = 0) => sealer({ client, clock });

const empty = () => 0;
const validate = (update: Uint8Array, clockOf: (c: number) => number = empty, extra: { maxUpdateBytes?: number; maxBlobBytes?: number } = {}) =>
  validateEnvelopeUpdate(update, room.roomKey, { clockOf, ...extra });

function assertRejected(verdict: EnvelopeVerdict, reason: string, blobReason?: string): void {
  assert.equal(verdict.ok, false, `expected ${reason}, got ok`);
  if (verdict.ok) return;
  assert.equal(verdict.reason, reason, verdict.detail);
  if (blobReason) assert.equal(verdict.blobReason, blobReason);
  assert.equal(typeof verdict.detail, 'string');
}

const blobStruct = (blob: Sealer, extra: Partial<RawStruct> = {}): RawStruct => ({ content: blob, ...extra });

test('accepts a real Yjs update of valid blobs and lists them with their ids', () => {
  const doc = envelopeWith(blobs.slice(0, 3), 7);
  const verdict = validate(Y.encodeStateAsUpdate(doc));
  assert.ok(verdict.ok);
  assert.deepEqual(
    verdict.blobs.map((b) => [b.client, b.clock]),
    [
      [7, 0],
      [7, 1],
      [7, 2],
    ],
  );
  assert.deepEqual(verdict.blobs.map((b) => b.blob), envelopeLog(doc).toArray());
  // Link blobs, interleaved by two writers, are fine too.
  const other = new Y.Doc();
  other.clientID = 8;
  Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
  appendSealed(other, [testLink(room, testRoom(3).cap.writePub)]);
  const at = { client: 8, clock: Y.getState(other.store, 8) };
  envelopeLog(other).insert(1, [blobs[3]!(at)]);
  assert.ok(validate(Y.encodeStateAsUpdate(other)).ok);
  // An empty update is valid and adds nothing.
  assert.deepEqual(validate(Y.encodeStateAsUpdate(new Y.Doc())), { ok: true, blobs: [], whole: true });
  // Every struct of the first update was new: a relay may pass its bytes on as they came.
  assert.equal(verdict.whole, true);
});

test('rule 1: oversized and undecodable updates', () => {
  const update = Y.encodeStateAsUpdate(envelopeWith(blobs.slice(0, 2)));
  assertRejected(validate(update, empty, { maxUpdateBytes: update.length - 1 }), 'too-large');
  assert.ok(validate(update, empty, { maxUpdateBytes: update.length }).ok);
  assertRejected(validate(update.subarray(0, update.length - 3)), 'malformed');
  assertRejected(validate(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])), 'malformed');
  assertRejected(validate(new Uint8Array(0)), 'malformed');
  assertRejected(validate('not bytes' as unknown as Uint8Array), 'malformed');
});

test('rule 1: trailing bytes after the update', () => {
  const update = Y.encodeStateAsUpdate(envelopeWith(blobs.slice(0, 1)));
  assertRejected(validate(new Uint8Array([...update, 0])), 'malformed');
});

test('rule 1: a client listed twice', () => {
  const update = craftUpdate([
    { client: 5, clock: 0, structs: [blobStruct(blobs[0]!)] },
    { client: 5, clock: 1, structs: [blobStruct(blobs[1]!, { origin: [5, 0] })] },
  ]);
  assertRejected(validate(update), 'malformed');
  // The same structs under one client entry are fine.
  assert.ok(validate(craftUpdate([{ client: 5, clock: 0, structs: [blobStruct(blobs[0]!), blobStruct(blobs[1]!, { origin: [5, 0] })] }])).ok);
});

test('rule 2: deletes are refused (real Yjs delete, and a crafted delete set)', () => {
  // Without garbage collection the deleted blob keeps its content and only the delete set tells.
  const doc = new Y.Doc({ gc: false });
  appendSealed(doc, blobs.slice(0, 2));
  envelopeLog(doc).delete(0, 1);
  assertRejected(validate(Y.encodeStateAsUpdate(doc)), 'has-deletes');
  // With it, the deleted blob also becomes deleted content, refused as a struct.
  const collected = envelopeWith(blobs.slice(0, 2));
  envelopeLog(collected).delete(0, 1);
  assert.equal(validate(Y.encodeStateAsUpdate(collected)).ok, false);
  assertRejected(validate(craftUpdate([], [[9, [[0, 1]]]])), 'has-deletes');
  // A delete-set entry with no ranges deletes nothing.
  assert.ok(validate(craftUpdate([{ client: 5, clock: 0, structs: [blobStruct(blobs[0]!)] }], [[5, []]])).ok);
});

test('rule 3: content that is not binary', () => {
  for (const value of ['a string', 42, { a: 1 }, null, true]) {
    const doc = new Y.Doc();
    doc.getArray('log').push([value]);
    assertRejected(validate(Y.encodeStateAsUpdate(doc)), 'bad-struct');
  }
  const withType = new Y.Doc();
  withType.getArray('log').push([new Y.Array()]);
  assertRejected(validate(Y.encodeStateAsUpdate(withType)), 'bad-struct');
  const text = new Y.Doc();
  text.getText('log').insert(0, 'hello');
  assertRejected(validate(Y.encodeStateAsUpdate(text)), 'bad-struct');
  // A valid blob followed by a string in the same run.
  assertRejected(validate(craftUpdate([{ client: 5, clock: 0, structs: [blobStruct(blobs[0]!), { ref: 4, origin: [5, 0], content: 'x' }] }])), 'bad-struct');
});

test('rule 3: a parentSub (map entry) is refused', () => {
  const doc = new Y.Doc();
  doc.getMap('log').set('key', sealedAt(blobs[0]!));
  assertRejected(validate(Y.encodeStateAsUpdate(doc)), 'bad-struct');
  assertRejected(validate(craftUpdate([{ client: 5, clock: 0, structs: [blobStruct(blobs[0]!, { parentSub: 'key' })] }])), 'bad-struct');
});

test('rule 3: a parent other than the root log', () => {
  const doc = new Y.Doc();
  doc.getArray('other').push([sealedAt(blobs[0]!)]);
  assertRejected(validate(Y.encodeStateAsUpdate(doc)), 'bad-struct');
  // Nested: a parent given as an item id.
  assertRejected(validate(craftUpdate([{ client: 5, clock: 0, structs: [blobStruct(blobs[0]!, { parent: [5, 0] })] }])), 'bad-struct');
  const receiverHas = envelopeWith([blobs[0]!], 4);
  assertRejected(
    validateEnvelopeUpdate(craftUpdate([{ client: 5, clock: 0, structs: [blobStruct(blobs[1]!, { parent: [4, 0] })] }]), room.roomKey, {
      clockOf: (c) => Y.getState(receiverHas.store, c),
    }),
    'bad-struct',
  );
});

test('rule 3: GC and Skip structs are refused', () => {
  assertRejected(validate(craftUpdate([{ client: 5, clock: 0, structs: [{ ref: 0, content: 3 }] }])), 'bad-struct');
  assertRejected(validate(craftUpdate([{ client: 5, clock: 0, structs: [blobStruct(blobs[0]!), { ref: 10, content: 2 }, blobStruct(blobs[1]!, { origin: [5, 0] })] }])), 'bad-struct');
  // A client with no structs at all.
  assertRejected(validate(craftUpdate([{ client: 5, clock: 0, structs: [] }])), 'malformed');
});

test('rule 4: a gap by start clock', () => {
  const doc = envelopeWith(blobs.slice(0, 1), 7);
  const sv = Y.encodeStateVector(doc);
  appendSealed(doc, [blobs[1]!]);
  const incremental = Y.encodeStateAsUpdate(doc, sv);
  assertRejected(validate(incremental), 'gap');
  assert.ok(validate(incremental, (c) => (c === 7 ? 1 : 0)).ok);
});

test('rule 4: a gap by an unknown origin', () => {
  const a = envelopeWith(blobs.slice(0, 1), 1);
  const b = new Y.Doc();
  b.clientID = 2;
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
  appendSealed(b, [blobs[1]!]);
  // Only client 2's part: it starts at 0 but builds on 1:0, which the receiver lacks.
  const onlyB = Y.encodeStateAsUpdate(b, Y.encodeStateVector(a));
  assertRejected(validate(onlyB), 'gap');
  assert.ok(validate(onlyB, (c) => (c === 1 ? 1 : 0)).ok);
  // A right origin counts as well.
  assertRejected(validate(craftUpdate([{ client: 5, clock: 0, structs: [blobStruct(blobs[0]!, { rightOrigin: [6, 3] })] }])), 'gap');
});

test('rule 4: a dependency cycle across clients', () => {
  const update = craftUpdate([
    { client: 1, clock: 0, structs: [blobStruct(blobs[0]!, { origin: [2, 0] })] },
    { client: 2, clock: 0, structs: [blobStruct(blobs[1]!, { origin: [1, 0] })] },
  ]);
  assertRejected(validate(update), 'bad-struct');
  // Through a right origin and a same-client predecessor: 1:1 -> 1:0 -> 2:0 -> 1:1.
  const longer = craftUpdate([
    { client: 1, clock: 0, structs: [blobStruct(blobs[0]!, { origin: [2, 0] }), blobStruct(blobs[1]!, { origin: [1, 0] })] },
    { client: 2, clock: 0, structs: [blobStruct(blobs[2]!, { rightOrigin: [1, 1] })] },
  ]);
  assertRejected(validate(longer), 'bad-struct');
  // Without the cycle, the same shape is fine.
  const acyclic = craftUpdate([
    { client: 1, clock: 0, structs: [blobStruct(blobs[0]!), blobStruct(blobs[1]!, { origin: [1, 0] })] },
    { client: 2, clock: 0, structs: [blobStruct(blobs[2]!, { rightOrigin: [1, 1] })] },
  ]);
  assert.ok(validate(acyclic).ok);
});

test('rule 4: an origin of the same client at or after the struct itself', () => {
  // 1:0 builds on 1:1, which comes after it.
  const forward = craftUpdate([{ client: 1, clock: 0, structs: [blobStruct(blobs[0]!, { origin: [1, 1] }), blobStruct(blobs[1]!)] }]);
  assertRejected(validate(forward), 'bad-struct');
  // On itself.
  assertRejected(validate(craftUpdate([{ client: 1, clock: 0, structs: [blobStruct(blobs[0]!, { origin: [1, 0] })] }])), 'bad-struct');
  // Past the end of its own run: no sender could fill that, so it is not a gap either.
  assertRejected(validate(craftUpdate([{ client: 1, clock: 0, structs: [blobStruct(blobs[0]!, { rightOrigin: [1, 9] })] }])), 'bad-struct');
});

test('rule 5: a blob of another space, of another epoch, or with a forged signature', () => {
  const foreign = testUpdate(testRoom(2), testIdentity(50));
  const otherEpoch = testUpdate(testRoom(1, 1), testIdentity(50));
  const forged: Sealer = (pos) => {
    const b = blobs[1]!(pos).slice();
    b[40]! ^= 1;
    return b;
  };
  for (const bad of [foreign, otherEpoch, forged]) {
    const doc = envelopeWith([blobs[0]!, bad]);
    assertRejected(validate(Y.encodeStateAsUpdate(doc)), 'bad-blob', 'bad-signature');
  }
  assertRejected(validate(Y.encodeStateAsUpdate(envelopeWith([() => new Uint8Array(10)]))), 'bad-blob', 'too-short');
  assertRejected(validate(Y.encodeStateAsUpdate(envelopeWith([(pos) => signedRaw(room.key, 2, 7, filled(1, 24), new Uint8Array(8), pos)]))), 'bad-blob', 'unknown-kind');
  // The epoch-1 blob is fine in the epoch-1 room.
  assert.ok(validateEnvelopeUpdate(Y.encodeStateAsUpdate(envelopeWith([otherEpoch])), testRoom(1, 1).roomKey, { clockOf: empty }).ok);
});

test('a struct whose blob is shorter than any blob ends the parse there: the bytes after it are not read', () => {
  const short = craftUpdate([{ client: 5, clock: 0, structs: [{ content: new Uint8Array(89) }, { content: sealedAt(blobs[0]!, 5, 1) }] }]);
  // Garbage after the short blob: a parse that read on would call the update malformed.
  assertRejected(validate(concatBytes(short.subarray(0, short.length - 1), new Uint8Array([0xff, 0xff, 0xff]))), 'bad-blob', 'too-short');
  // At an id the receiver holds it is skipped unchecked, as any held id is (rule 5).
  assert.ok(validate(short, (c) => (c === 5 ? 1 : 0)).ok);
});

test('a 64 MiB update of empty structs (the client cap) is refused at its first struct, not parsed whole', () => {
  // 16 million structs of 4 bytes each (origin 1:0, empty blob): parsed whole, that took 13 s
  // and 2.4 GB of heap; refused at the first, it takes microseconds.
  const struct = [0x83, 1, 0, 0];
  const head = [1, 0x80, 0x80, 0x80, 0x08, 5, 0]; // one client, 2^24 structs, client 5, clock 0
  const update = new Uint8Array(head.length + struct.length * 2 ** 24 + 1);
  update.set(head);
  update.set(struct, head.length);
  for (let filled = struct.length; filled < struct.length * 2 ** 24; filled *= 2) update.copyWithin(head.length + filled, head.length, head.length + filled);
  const started = performance.now();
  const verdict = validateEnvelopeUpdate(update, room.roomKey, { clockOf: () => 1, maxUpdateBytes: 64 * 1024 * 1024 + 64 });
  const ms = performance.now() - started;
  assertRejected(verdict, 'bad-blob', 'too-short');
  assert.ok(ms < 1000, `refused after ${ms.toFixed(0)} ms`);
});

test('rule 5: an oversized blob', () => {
  const doc = envelopeWith([blobs[0]!]);
  const update = Y.encodeStateAsUpdate(doc);
  assertRejected(validate(update, empty, { maxBlobBytes: envelopeLog(doc).get(0).length - 1 }), 'bad-blob', 'too-large');
});

test('rule 5: a blob valid elsewhere is refused at any other id', () => {
  const sealed = sealedAt(blobs[0]!, 7, 0);
  assert.ok(validate(craftUpdate([{ client: 7, clock: 0, structs: [{ content: sealed }] }])).ok);
  // Another client, or another clock (after a valid blob of its own), or a client that equals it mod 2^32.
  assertRejected(validate(craftUpdate([{ client: 8, clock: 0, structs: [{ content: sealed }] }])), 'bad-blob', 'bad-signature');
  assertRejected(validate(craftUpdate([{ client: 7, clock: 0, structs: [blobStruct(blobs[1]!), { content: sealed, origin: [7, 0] }] }])), 'bad-blob', 'bad-signature');
  assertRejected(validate(craftUpdate([{ client: 7 + 2 ** 32, clock: 0, structs: [{ content: sealed }] }])), 'bad-blob', 'bad-position');
  // A clock past u32, even when the receiver claims to hold everything before it.
  const far = craftUpdate([{ client: 7, clock: 2 ** 32, structs: [{ content: sealed, origin: [7, 2 ** 32 - 1] }] }]);
  assertRejected(validate(far, () => 2 ** 32), 'bad-blob', 'bad-position');
});

test('rule 5: a protocol-1 blob is refused as retired', () => {
  const v1 = sealProtocol1Link(room.key, testRoom(3).cap.writePub, filled(4, 24));
  assertRejected(validate(Y.encodeStateAsUpdate(envelopeWith([() => v1]))), 'bad-blob', 'retired-version');
});

test('the first refused blob ends the check: copies after it cost nothing', () => {
  const copy = sealedAt(blobs[0]!, 9, 0);
  const copies = Array.from({ length: 200 }, (_, i) => (i === 0 ? { content: copy } : { content: copy, origin: [5, i - 1] as [number, number] }));
  const verdict = validate(craftUpdate([{ client: 5, clock: 0, structs: copies }]));
  assertRejected(verdict, 'bad-blob', 'bad-signature');
  assert.match((verdict as { detail: string }).detail, /^blob 5:0:/);
});

test('blobs the receiver already holds are skipped, not checked again', () => {
  const doc = envelopeWith(blobs.slice(0, 2), 7);
  const receiver = createEnvelopeDoc();
  Y.applyUpdate(receiver, Y.encodeStateAsUpdate(doc));
  appendSealed(doc, [blobs[2]!]);
  const verdict = applyValidatedUpdate(receiver, Y.encodeStateAsUpdate(doc), room.roomKey, 'remote');
  assert.ok(verdict.ok);
  assert.deepEqual(verdict.blobs.map((b) => b.clock), [2]);
  assert.equal(verdict.whole, false, 'two of its three structs were held already');
  assert.equal(envelopeLog(receiver).length, 3);
  // Re-sending what the receiver has is accepted and changes nothing.
  const again = applyValidatedUpdate(receiver, Y.encodeStateAsUpdate(doc), room.roomKey, 'remote');
  assert.deepEqual(again, { ok: true, blobs: [], whole: false });
  assert.equal(envelopeLog(receiver).length, 3);
});

test('applyValidatedUpdate applies nothing from a rejected update', () => {
  const receiver = createEnvelopeDoc();
  let updates = 0;
  receiver.on('update', () => updates++);
  const bad = envelopeWith([blobs[0]!, testUpdate(testRoom(2), testIdentity(50))]);
  assertRejected(applyValidatedUpdate(receiver, Y.encodeStateAsUpdate(bad), room.roomKey, 'remote'), 'bad-blob');
  assert.equal(envelopeLog(receiver).length, 0);
  assert.equal(updates, 0);
  assert.equal(receiver.store.clients.size, 0);
});

test('a gap is filled once the sender answers the receiver\u2019s sync step 1', () => {
  const sender = envelopeWith(blobs.slice(0, 2), 7);
  const receiver = createEnvelopeDoc();
  const svBefore = Y.encodeStateVector(sender);
  appendSealed(sender, [blobs[2]!]);
  // The live broadcast of the newest blob arrives first: the receiver lacks 7:0 and 7:1.
  const live = Y.encodeStateAsUpdate(sender, svBefore);
  assertRejected(applyValidatedUpdate(receiver, live, room.roomKey, 'remote'), 'gap');
  // The receiver answers with its sync step 1 (its state vector); the sender's step 2 fills the gap.
  const step1 = Y.encodeStateVector(receiver);
  const step2 = Y.encodeStateAsUpdate(sender, step1);
  const verdict = applyValidatedUpdate(receiver, step2, room.roomKey, 'remote');
  assert.ok(verdict.ok);
  assert.equal(verdict.blobs.length, 3);
  assert.deepEqual(envelopeLog(receiver).toArray(), envelopeLog(sender).toArray());
  // The late live message is now harmless.
  assert.deepEqual(applyValidatedUpdate(receiver, live, room.roomKey, 'remote'), { ok: true, blobs: [], whole: false });
  assert.equal(receiver.store.pendingStructs, null);
});

test('gap is reported only for updates that break no other structural rule', () => {
  // Each of these starts past the receiver's clock (client 5 at 3) and is also broken otherwise.
  const deletes = craftUpdate([{ client: 5, clock: 3, structs: [blobStruct(blobs[0]!)] }], [[5, [[0, 1]]]]);
  assertRejected(validate(deletes), 'has-deletes');
  const notBinary = craftUpdate([{ client: 5, clock: 3, structs: [blobStruct(blobs[0]!), { ref: 4, origin: [5, 3], content: 'x' }] }]);
  assertRejected(validate(notBinary), 'bad-struct');
  const cycle = craftUpdate([
    { client: 5, clock: 3, structs: [blobStruct(blobs[0]!)] },
    { client: 1, clock: 0, structs: [blobStruct(blobs[1]!, { origin: [2, 0] })] },
    { client: 2, clock: 0, structs: [blobStruct(blobs[2]!, { origin: [1, 0] })] },
  ]);
  assertRejected(validate(cycle), 'bad-struct');
  const unknownOriginAndCycle = craftUpdate([
    { client: 1, clock: 0, structs: [blobStruct(blobs[0]!, { origin: [9, 9] }), blobStruct(blobs[1]!, { origin: [2, 0] })] },
    { client: 2, clock: 0, structs: [blobStruct(blobs[2]!, { origin: [1, 1] })] },
  ]);
  assertRejected(validate(unknownOriginAndCycle), 'bad-struct');
  // A gap alone stays a gap, and a gapped run may build on its own missing structs.
  assertRejected(validate(craftUpdate([{ client: 5, clock: 3, structs: [blobStruct(blobs[0]!, { origin: [5, 1] }), blobStruct(blobs[1]!, { origin: [5, 3] })] }])), 'gap');
});

test('a broken blob whose origin the receiver lacks is bad-blob on both paths: inline, and prepared then verified', () => {
  const broken = (pos: { client: number; clock: number }) => {
    const blob = blobs[0]!(pos).slice();
    blob[blob.length - 1]! ^= 1;
    return blob;
  };
  const twoStep = (update: Uint8Array): EnvelopeVerdict => {
    const p = prepareEnvelopeUpdate(update, room.roomKey, { clockOf: empty });
    if ('reason' in p) return p;
    return finishEnvelopeUpdate(p, p.checks.findIndex((c) => !verifySignature(c.signature, c.message, c.publicKey)));
  };
  const gappedAndBroken = craftUpdate([{ client: 1, clock: 0, structs: [blobStruct(blobs[1]!), blobStruct(broken, { origin: [9, 9] })] }]);
  for (const verdict of [validate(gappedAndBroken), twoStep(gappedAndBroken)]) assertRejected(verdict, 'bad-blob', 'bad-signature');
  // With sound blobs it is a gap on both, and a run past the receiver's clock stays a gap unchecked.
  const gapped = craftUpdate([{ client: 1, clock: 0, structs: [blobStruct(blobs[1]!), blobStruct(blobs[2]!, { origin: [9, 9] })] }]);
  for (const verdict of [validate(gapped), twoStep(gapped)]) assertRejected(verdict, 'gap');
  const late = craftUpdate([{ client: 1, clock: 4, structs: [blobStruct(broken)] }]);
  for (const verdict of [validate(late), twoStep(late)]) assertRejected(verdict, 'gap');
});

test('a room whose id is not a curve point rejects blobs without throwing', () => {
  const notAPoint = { writePub: new Uint8Array(32).fill(0xff), epoch: 0 };
  const verdict = validateEnvelopeUpdate(Y.encodeStateAsUpdate(envelopeWith([blobs[0]!])), notAPoint, { clockOf: empty });
  assertRejected(verdict, 'bad-blob', 'bad-signature');
});

test('held ids with other bytes are listed as conflicts, by content, without a signature check', () => {
  const sender = envelopeWith(blobs.slice(0, 2), 7);
  // The receiver holds 7:0 with other (equally valid) bytes: sealed for the same id by another write-key holder.
  const receiver = createEnvelopeDoc();
  Y.applyUpdate(receiver, Y.encodeStateAsUpdate(envelopeWith([blobs[3]!], 7)));
  const verdict = applyValidatedUpdate(receiver, Y.encodeStateAsUpdate(sender), room.roomKey, 'remote');
  assert.ok(verdict.ok);
  assert.deepEqual(verdict.blobs.map((b) => [b.client, b.clock]), [[7, 1]]);
  assert.deepEqual(verdict.conflicts?.map((b) => [b.client, b.clock]), [[7, 0]]);
  // Yjs keeps what the receiver held: the conflict is only reported.
  assert.notDeepEqual(envelopeLog(receiver).get(0), envelopeLog(sender).get(0));
  // The same bytes again: no conflict.
  assert.equal(applyValidatedUpdate(receiver, Y.encodeStateAsUpdate(receiver), room.roomKey, 'remote').ok, true);
  assert.equal((applyValidatedUpdate(receiver, Y.encodeStateAsUpdate(receiver), room.roomKey, 'remote') as { conflicts?: unknown }).conflicts, undefined);
});
