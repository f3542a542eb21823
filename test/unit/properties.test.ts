// Property tests: every encoder round-trips, and the envelope validator never throws and
// accepts exactly the updates whose every new blob is valid at its own id: a blob moved
// anywhere else is refused, while an update re-encoded, split or merged keeps validating.
import { beforeAll, test } from 'vitest';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { fromBase64url, toBase64url } from '#shared/bytes.ts';
import { BlobKind, checkBlob, openBlob, sealLinkBlob, sealUpdateBlob } from '#shared/blob.ts';
import { decodeBundle, encodeBundle, type Bundle } from '#shared/bundle.ts';
import { accessLevel, capabilityFromSeeds, formatCapability, parseCapability, type AccessLevel } from '#shared/capability.ts';
import { MAX_EPOCH, parseRoomName, roomName, spaceIdFromPublicKey } from '#shared/ids.ts';
import { identityFromSeed } from '#shared/identity.ts';
import { MessageType, readReceiptBody, writeReceipt } from '#shared/protocol.ts';
import { initSodium } from '#shared/sodium.ts';
import { validateEnvelopeUpdate } from '#shared/envelope/validate.ts';
import { applyValidatedUpdate, createEnvelopeDoc, envelopeLog, type Sealer } from '#shared/envelope/doc.ts';
import { splitEnvelopeUpdate } from '#shared/envelope/split-update.ts';
import { filled, testIdentity, testLink, testRoom, testUpdate, type TestRoom } from '../support/rooms.ts';
import { sealProtocol1Link, signUnsigned, signedRaw } from '../support/craft-blob.ts';

const u32 = fc.integer({ min: 0, max: 0xffff_ffff });
const positionArb = fc.record({ client: u32, clock: u32 });

const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 });
const relayUrl = fc
  .record({
    scheme: fc.constantFrom('http', 'https', 'ws', 'wss'),
    host: fc.constantFrom('relay.example.org', '127.0.0.1', 'xn--80ak6aa92e.example', '[::1]', 'r.example'),
    port: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
    path: fc.constantFrom('', '/baton', '/a/b'),
  })
  .map(({ scheme, host, port, path }) => new URL(`${scheme}://${host}${port ? `:${port}` : ''}${path}`).href.replace(/\/+$/, ''));

/** BATON_FC_RUNS=<n> runs the validator properties longer, for a deeper search. */
const deep = Number(process.env.BATON_FC_RUNS) || 0;
const runs = (n: number) => ({ numRuns: deep || n });

let room: TestRoom;
/** Blobs sealed for wherever they are put. */
let validBlobs: Sealer[];
/** Blobs that are invalid wherever they are put. */
let invalidBlobs: Sealer[];

beforeAll(async () => {
  await initSodium();
  room = testRoom(1);
  validBlobs = [...Array.from({ length: 5 }, (_, i) => testUpdate(room, testIdentity(40 + i), `k${i}`, 'v'.repeat(i * 40))), testLink(room, testRoom(2).cap.writePub)];
  const v1 = sealProtocol1Link(room.key, testRoom(2).cap.writePub, filled(3, 24));
  invalidBlobs = [
    testUpdate(testRoom(3), testIdentity(40)), // another space
    testUpdate(testRoom(1, 1), testIdentity(40)), // another epoch
    (pos) => {
      const flipped = validBlobs[0]!(pos).slice();
      flipped[30]! ^= 4;
      return flipped; // forged
    },
    (pos) => validBlobs[1]!(pos).subarray(0, 60), // truncated
    (pos) => validBlobs[2]!({ client: pos.client, clock: pos.clock + 1 }), // sealed for the next clock
    (pos) => validBlobs[3]!({ client: (pos.client + 1) % 2 ** 32, clock: pos.clock }), // sealed for another client
    (pos) => signedRaw(room.key, 2, 9, filled(1, 24), new Uint8Array(40), pos), // unknown kind
    (pos) => signedRaw(room.key, 3, 1, filled(1, 24), new Uint8Array(40), pos), // bad version
    () => v1, // protocol 1
    () => new Uint8Array(0),
  ];
});

test('base64url round-trips, and only canonical text decodes', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 100 }), (b) => {
      assert.deepEqual(fromBase64url(toBase64url(b)), b);
    }),
  );
  fc.assert(
    fc.property(fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/ '), maxLength: 30 }), (text) => {
      const decoded = fromBase64url(text);
      if (decoded) assert.equal(toBase64url(decoded), text);
    }),
  );
});

test('capabilities round-trip at every level, with relay hints', () => {
  fc.assert(
    fc.property(
      fc.constantFrom('board', 'thread' as const),
      bytes32,
      bytes32,
      fc.constantFrom<AccessLevel>('mirror', 'read', 'write'),
      fc.uniqueArray(relayUrl, { maxLength: 4 }),
      (kind, writeSeed, readKey, level, relays) => {
        const cap = capabilityFromSeeds(kind, writeSeed, readKey, relays);
        const text = formatCapability(cap, level);
        const parsed = parseCapability(text);
        assert.equal(accessLevel(parsed), level);
        assert.equal(parsed.kind, kind);
        assert.equal(parsed.spaceId, cap.spaceId);
        assert.deepEqual(parsed.relays, cap.relays);
        assert.deepEqual(parsed.readKey, level === 'mirror' ? null : readKey);
        assert.deepEqual(parsed.write?.seed ?? null, level === 'write' ? writeSeed : null);
        assert.equal(formatCapability(parsed), text);
      },
    ),
    { numRuns: 60 },
  );
});

test('room names round-trip; whatever parses is canonical', () => {
  fc.assert(
    fc.property(bytes32, fc.integer({ min: 0, max: MAX_EPOCH }), (pub, epoch) => {
      const spaceId = spaceIdFromPublicKey(pub);
      const parsed = parseRoomName(roomName(spaceId, epoch));
      assert.ok(parsed);
      assert.equal(parsed.epoch, epoch);
      assert.deepEqual(parsed.writePub, pub);
    }),
  );
  const id = spaceIdFromPublicKey(filled(3));
  fc.assert(
    fc.property(fc.string({ unit: fc.constantFrom(...'0123456789.-+e x'), maxLength: 14 }), (suffix) => {
      const parsed = parseRoomName(`${id}.${suffix}`);
      if (parsed) assert.equal(roomName(parsed.spaceId, parsed.epoch), `${id}.${suffix}`);
    }),
  );
});

test('blobs seal and open to what went in', () => {
  const author = identityFromSeed(filled(77));
  fc.assert(
    fc.property(
      fc.constantFrom(BlobKind.update, BlobKind.snapshot),
      fc.uint8Array({ maxLength: 1500 }),
      fc.integer({ min: 0, max: MAX_EPOCH }),
      fc.uint8Array({ minLength: 24, maxLength: 24 }),
      positionArb,
      (kind, update, epoch, nonce, pos) => {
        const r = { ...room.key, epoch };
        const blob = sealUpdateBlob(r, kind, author, update, pos, nonce);
        const opened = openBlob(blob, r, pos);
        assert.ok(opened.ok && 'update' in opened);
        assert.equal(opened.kind, kind);
        assert.deepEqual(opened.update, update);
        assert.deepEqual(opened.author, author.publicKey);
      },
    ),
    { numRuns: 40 },
  );
  fc.assert(
    fc.property(bytes32, fc.integer({ min: 0, max: MAX_EPOCH }), positionArb, (child, epoch, pos) => {
      const r = { ...room.key, epoch };
      const opened = openBlob(sealLinkBlob(r, child, pos), r, pos);
      assert.ok(opened.ok && 'child' in opened);
      assert.deepEqual(opened.child, child);
    }),
    { numRuns: 40 },
  );
});

test('checkBlob and openBlob never throw on arbitrary or re-signed bytes', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 600 }), fc.boolean(), positionArb, (bytes, sign, pos) => {
      // Re-signed, the bytes get past the write signature and reach decryption and unpadding.
      let blob: Uint8Array = bytes;
      if (sign && bytes.length >= 26) {
        const unsigned = bytes.slice();
        unsigned[0] = 2;
        unsigned[1] = unsigned[1]! % 4;
        blob = signUnsigned(room.key, unsigned, pos);
      }
      const checked = checkBlob(blob, room.roomKey, pos);
      const opened = openBlob(blob, room.readKey, pos);
      assert.equal(typeof checked.ok, 'boolean');
      assert.equal(typeof opened.ok, 'boolean');
      if (checked.ok && checked.kind !== BlobKind.link) assert.equal(opened.ok, false);
    }),
    runs(300),
  );
});

test('bundles and receipts round-trip', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(bytes32, fc.nat(1000), fc.uint8Array({ maxLength: 200 })), { maxLength: 6 }), (entries) => {
      const bundle: Bundle = new Map(entries.map(([pub, epoch, update]) => [roomName(spaceIdFromPublicKey(pub), epoch), update]));
      assert.deepEqual(decodeBundle(encodeBundle(bundle)), bundle);
    }),
  );
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), (sv) => {
      const decoder = decoding.createDecoder(writeReceipt(sv));
      assert.equal(decoding.readVarUint(decoder), MessageType.receipt);
      assert.deepEqual(readReceiptBody(decoder), sv);
      assert.equal(decoding.hasContent(decoder), false);
    }),
  );
});

// --- The validator ---------------------------------------------------------------------

interface Entry {
  client: number;
  valid: boolean;
  pick: number;
  /** Where in the log to insert, as a fraction of its length. */
  at: number;
}

const entryArb = fc.record({ client: fc.integer({ min: 1, max: 3 }), valid: fc.boolean(), pick: fc.nat(), at: fc.double({ min: 0, max: 1, noNaN: true }) });

/** Builds an envelope doc by three writers inserting at random places; returns its state after each entry. */
function buildDoc(entries: Entry[]): { doc: Y.Doc; states: Uint8Array[]; blobs: Uint8Array[] } {
  const doc = createEnvelopeDoc();
  const states = [Y.encodeStateAsUpdate(doc)];
  const blobs: Uint8Array[] = [];
  for (const e of entries) {
    const pool = e.valid ? validBlobs : invalidBlobs;
    doc.clientID = e.client;
    const blob = pool[e.pick % pool.length]!({ client: e.client, clock: Y.getState(doc.store, e.client) });
    const log = envelopeLog(doc);
    log.insert(Math.floor(e.at * log.length), [blob]);
    states.push(Y.encodeStateAsUpdate(doc));
    blobs.push(blob);
  }
  return { doc, states, blobs };
}

function receiverWith(state: Uint8Array): Y.Doc {
  const doc = createEnvelopeDoc();
  Y.applyUpdate(doc, state);
  return doc;
}

/** After an accepted update: Yjs integrated everything, and (if the receiver held only valid blobs) every blob in the log is valid. */
function assertCleanApply(receiver: Y.Doc, update: Uint8Array, heldOnlyValid = true): void {
  Y.applyUpdate(receiver, update);
  assert.equal(receiver.store.pendingStructs, null, 'an accepted update left structs pending');
  assert.equal(receiver.store.pendingDs, null, 'an accepted update left deletes pending');
  if (!heldOnlyValid) return;
  for (const { blob, pos } of placedBlobs(receiver)) assert.ok(checkBlob(blob, room.roomKey, pos).ok);
}

/** Every blob of a doc with the id it sits at. */
function placedBlobs(doc: Y.Doc): Array<{ blob: Uint8Array; pos: { client: number; clock: number } }> {
  const out: Array<{ blob: Uint8Array; pos: { client: number; clock: number } }> = [];
  for (let item = envelopeLog(doc)._start; item; item = item.right) {
    item.content.getContent().forEach((blob, i) => out.push({ blob: blob as Uint8Array, pos: { client: item!.id.client, clock: item!.id.clock + i } }));
  }
  return out;
}

test('the validator accepts an update iff every new blob is valid', () => {
  fc.assert(
    fc.property(fc.array(entryArb, { minLength: 1, maxLength: 8 }), fc.nat(), (entries, cut) => {
      const { doc, states } = buildDoc(entries);
      // The receiver already holds the first k entries (whatever they were).
      const k = cut % (entries.length + 1);
      const receiver = receiverWith(states[k]!);
      const update = Y.encodeStateAsUpdate(doc);
      const verdict = validateEnvelopeUpdate(update, room.roomKey, { clockOf: (c) => Y.getState(receiver.store, c) });
      const allNewValid = entries.slice(k).every((e) => e.valid);
      assert.equal(verdict.ok, allNewValid, verdict.ok ? 'accepted an invalid blob' : `${verdict.reason}: ${verdict.detail}`);
      if (verdict.ok) {
        assert.equal(verdict.blobs.length, entries.length - k);
        assertCleanApply(receiver, update, entries.every((e) => e.valid));
        assert.equal(envelopeLog(receiver).length, entries.length);
      } else {
        assert.equal(verdict.reason, 'bad-blob');
      }
    }),
    runs(80),
  );
});

test('the validator never throws on arbitrary bytes', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 400 }), fc.nat(5), (update, held) => {
      const verdict = validateEnvelopeUpdate(update, room.roomKey, { clockOf: (c) => (c % 2 === 0 ? held : 0) });
      assert.equal(typeof verdict.ok, 'boolean');
      if (!verdict.ok) assert.equal(typeof verdict.reason, 'string');
    }),
    runs(500),
  );
});

const mutationArb = fc.oneof(
  fc.record({ type: fc.constant('flip' as const), at: fc.nat(), bit: fc.nat(7) }),
  fc.record({ type: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ type: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 6 }) }),
  fc.record({ type: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ type: fc.constant('splice' as const), at: fc.nat(), from: fc.nat(), length: fc.nat(200) }),
  fc.record({ type: fc.constant('byte' as const), at: fc.nat(), value: fc.constantFrom(0, 1, 0x7f, 0x80, 0xff, 3, 0x83, 0xc3, 0xa3) }),
);
type Mutation = typeof mutationArb extends fc.Arbitrary<infer M> ? M : never;

function mutate(update: Uint8Array, other: Uint8Array, mutations: Mutation[]): Uint8Array {
  let out = update.slice();
  for (const m of mutations) {
    if (out.length === 0) break;
    const at = m.at % out.length;
    if (m.type === 'flip') out[at]! ^= 1 << m.bit;
    else if (m.type === 'byte') out[at] = m.value;
    else if (m.type === 'truncate') out = out.slice(0, at);
    else if (m.type === 'insert') out = new Uint8Array([...out.subarray(0, at), ...m.bytes, ...out.subarray(at)]);
    else if (m.type === 'delete') out = new Uint8Array([...out.subarray(0, at), ...out.subarray(at + m.length)]);
    else {
      // Splice in a piece of another valid update: plausible structure, wrong place.
      const from = m.from % Math.max(1, other.length);
      out = new Uint8Array([...out.subarray(0, at), ...other.subarray(from, from + m.length), ...out.subarray(at)]);
    }
  }
  return out;
}

test('the validator never throws on mutated valid updates, and what it accepts applies cleanly', () => {
  fc.assert(
    fc.property(
      fc.array(entryArb.map((e) => ({ ...e, valid: true })), { minLength: 1, maxLength: 6 }),
      fc.nat(),
      fc.array(mutationArb, { minLength: 1, maxLength: 3 }),
      (entries, cut, mutations) => {
        const { doc, states } = buildDoc(entries);
        const k = cut % (entries.length + 1);
        const receiver = receiverWith(states[k]!);
        const update = Y.encodeStateAsUpdate(doc, cut % 2 === 0 ? undefined : Y.encodeStateVector(receiver));
        const mutated = mutate(update, states[Math.max(1, k)]!, mutations);
        const verdict = validateEnvelopeUpdate(mutated, room.roomKey, { clockOf: (c) => Y.getState(receiver.store, c) });
        if (verdict.ok) assertCleanApply(receiver, mutated);
      },
    ),
    runs(300),
  );
});

test('any blob moved to any other position is refused', () => {
  fc.assert(
    fc.property(fc.nat(), positionArb, positionArb, (pick, from, to) => {
      fc.pre(from.client !== to.client || from.clock !== to.clock);
      const blob = validBlobs[pick % validBlobs.length]!(from);
      assert.equal(checkBlob(blob, room.roomKey, from).ok, true);
      assert.deepEqual(checkBlob(blob, room.roomKey, to), { ok: false, reason: 'bad-signature' });
    }),
    runs(60),
  );
  // In an update: the blobs of a doc, re-appended by another client (a replay under fresh ids), or at the same
  // client's next clocks, are refused whole, whatever the receiver holds.
  fc.assert(
    fc.property(fc.array(entryArb.map((e) => ({ ...e, valid: true })), { minLength: 1, maxLength: 5 }), fc.integer({ min: 4, max: 0xffff_ffff }), fc.boolean(), (entries, fresh, sameClient) => {
      const { doc } = buildDoc(entries);
      const replayer = createEnvelopeDoc();
      Y.applyUpdate(replayer, Y.encodeStateAsUpdate(doc));
      replayer.clientID = sameClient ? entries[0]!.client : fresh;
      const before = Y.encodeStateVector(replayer);
      envelopeLog(replayer).push(envelopeLog(doc).toArray());
      const receiver = receiverWith(Y.encodeStateAsUpdate(doc));
      const verdict = validateEnvelopeUpdate(Y.encodeStateAsUpdate(replayer, before), room.roomKey, { clockOf: (c) => Y.getState(receiver.store, c) });
      assert.equal(verdict.ok, false);
      if (!verdict.ok) assert.equal(verdict.blobReason, 'bad-signature');
    }),
    runs(40),
  );
});

test('any update re-encoded, split, or merged from gap-free pieces keeps validating', () => {
  fc.assert(
    fc.property(
      fc.array(entryArb.map((e) => ({ ...e, valid: true })), { minLength: 1, maxLength: 8 }),
      fc.nat(),
      fc.integer({ min: 300, max: 4000 }),
      fc.array(fc.nat(), { maxLength: 4 }),
      (entries, cut, pieceBytes, joins) => {
        const { doc, states } = buildDoc(entries);
        const k = cut % (entries.length + 1);
        const receiverState = states[k]!;
        const update = Y.encodeStateAsUpdate(doc);
        const ok = (u: Uint8Array, into: Y.Doc) => {
          const verdict = applyValidatedUpdate(into, u, room.roomKey, 'remote');
          assert.ok(verdict.ok, verdict.ok ? '' : `${verdict.reason}: ${verdict.detail}`);
          assert.equal(verdict.conflicts, undefined, 'a re-encoded update moved a blob');
        };
        // Re-encoded: merged with nothing, a diff against the receiver, the state of a copy.
        for (const u of [Y.mergeUpdates([update]), Y.diffUpdate(update, Y.encodeStateVector(receiverWith(receiverState))), Y.encodeStateAsUpdate(receiverWith(update))]) {
          const receiver = receiverWith(receiverState);
          ok(u, receiver);
          assert.deepEqual(placedBlobs(receiver), placedBlobs(doc));
        }
        // Split into gap-free pieces, and neighbouring pieces merged again, applied in order.
        let pieces = splitEnvelopeUpdate(update, pieceBytes);
        for (const j of joins) {
          if (pieces.length < 2) break;
          const i = j % (pieces.length - 1);
          pieces = [...pieces.slice(0, i), Y.mergeUpdates([pieces[i]!, pieces[i + 1]!]), ...pieces.slice(i + 2)];
        }
        const receiver = receiverWith(receiverState);
        for (const p of pieces) ok(p, receiver);
        assert.deepEqual(placedBlobs(receiver), placedBlobs(doc));
      },
    ),
    runs(60),
  );
});
