// Differential fuzz of the envelope validator against Yjs itself: valid updates of several
// shapes (including replays of held blobs under fresh ids, and copies spliced in), mutated at
// random. Whatever the validator accepts must apply in Yjs with nothing pending, no deletes,
// nothing but `log`, and only blobs valid at their own ids. Seeded: BATON_FUZZ_SEED replays a
// run, BATON_FUZZ_RUNS runs longer. Mutated at the level of structs too, every update goes to
// the relay's validator (in one call, and as its verification pool splits it) and to the
// client's (inline, and as its off-thread check sees it): all four must agree.
import assert from 'node:assert/strict';
import { beforeAll, it } from 'vitest';
import * as Y from 'yjs';
import {
  appendSealed,
  applyValidatedUpdate,
  blobAt,
  checkBlob,
  clockOfDoc,
  createEnvelopeDoc,
  DEFAULT_LIMITS,
  envelopeLog,
  finishEnvelopeUpdate,
  initSodium,
  MAX_RECEIVED_UPDATE_BYTES,
  prepareEnvelopeUpdate,
  validateEnvelopeUpdate,
  verifySignature,
  type EnvelopeVerdict,
} from '#shared';
import { checkDetached } from '#client-core/update-check.ts';
import { craftUpdate } from '../support/craft-update.ts';
import { createPrng } from '../support/prng.ts';
import { mutateStructs } from '../support/struct-mutations.ts';
import { testIdentity, testRoom, testUpdate, type TestRoom } from '../support/rooms.ts';

const SEED = Number(process.env.BATON_FUZZ_SEED) || 20261127;
const RUNS = Number(process.env.BATON_FUZZ_RUNS) || 3000;

let room: TestRoom;
let baseUpdate: Uint8Array;
let senders: Uint8Array[];

beforeAll(async () => {
  await initSodium();
  room = testRoom(5);
  const author = testIdentity(60);
  const blob = (i: number) => testUpdate(room, author, `k${i}`, `v${i}`);
  // The receiver holds three blobs of client 1.
  const base = createEnvelopeDoc();
  base.clientID = 1;
  appendSealed(base, [blob(0), blob(1), blob(2)]);
  baseUpdate = Y.encodeStateAsUpdate(base);
  senders = [];
  {
    // Client 2 inserts in the middle and at the end: whole state, and the diff.
    const d = createEnvelopeDoc();
    Y.applyUpdate(d, baseUpdate);
    d.clientID = 2;
    const at = { client: 2, clock: 0 };
    envelopeLog(d).insert(1, [blob(3)(at)]);
    appendSealed(d, [blob(4)]);
    senders.push(Y.encodeStateAsUpdate(d), Y.encodeStateAsUpdate(d, Y.encodeStateVector(base)));
  }
  {
    // A fresh client of its own.
    const d = createEnvelopeDoc();
    d.clientID = 3;
    appendSealed(d, [blob(5), blob(0)]);
    senders.push(Y.encodeStateAsUpdate(d));
  }
  // Hand-built: origins across clients.
  senders.push(craftUpdate([{ client: 9, clock: 0, structs: [{ origin: [1, 2], content: blob(4) }, { rightOrigin: [1, 0], content: blob(5) }] }]));
  {
    // A replay of the held blobs under a fresh client: refused, and a seed of plausible structure.
    const d = createEnvelopeDoc();
    Y.applyUpdate(d, baseUpdate);
    d.clientID = 77;
    const sv = Y.encodeStateVector(d);
    envelopeLog(d).push(envelopeLog(d).toArray());
    senders.push(Y.encodeStateAsUpdate(d, sv));
  }
});

function mutate(u: Uint8Array, prng: ReturnType<typeof createPrng>): Uint8Array {
  const a = Array.from(u);
  const k = 1 + prng.int(4);
  for (let i = 0; i < k && a.length > 0; i++) {
    const op = prng.int(6);
    const p = prng.int(a.length);
    if (op === 0) a[p] = prng.int(256);
    else if (op === 1) a[p]! ^= 1 << prng.int(8);
    else if (op === 2) a.splice(p, 1);
    else if (op === 3) a.splice(p, 0, prng.int(256));
    else if (op === 4) a[p] = prng.pick([0, 1, 2, 3, 10, 0x43, 0x83, 0xc3, 0x23, 0x7f, 0x80, 0xff]);
    else {
      const q = prng.int(a.length);
      a.splice(q, 0, ...a.slice(p, p + prng.int(40)));
    }
  }
  return new Uint8Array(a);
}

/** Every blob of the doc sits at an id its signature covers. */
function everyBlobValidWhereItSits(doc: Y.Doc): boolean {
  for (let item = envelopeLog(doc)._start; item; item = item.right) {
    const content = item.content.getContent();
    for (let i = 0; i < content.length; i++) {
      const blob = content[i];
      if (!(blob instanceof Uint8Array) || !checkBlob(blob, room.roomKey, { client: item.id.client, clock: item.id.clock + i }).ok) return false;
    }
  }
  return true;
}

it(`mutated updates: whatever the validator accepts applies cleanly (seed ${SEED}, ${RUNS} runs)`, () => {
  const prng = createPrng(SEED);
  let accepted = 0;
  const reasons: Record<string, number> = {};
  for (let i = 0; i < RUNS; i++) {
    const doc = createEnvelopeDoc();
    Y.applyUpdate(doc, baseUpdate);
    const update = prng.bool(0.1) ? senders[prng.int(senders.length)]! : mutate(senders[prng.int(senders.length)]!, prng);
    const verdict = validateEnvelopeUpdate(update, room.roomKey, { clockOf: clockOfDoc(doc) });
    if (!verdict.ok) {
      reasons[verdict.reason] = (reasons[verdict.reason] ?? 0) + 1;
      continue;
    }
    accepted++;
    const where = `seed ${SEED}, run ${i}: ${Buffer.from(update).toString('hex').slice(0, 120)}`;
    assert.doesNotThrow(() => Y.applyUpdate(doc, update), where);
    assert.equal(doc.store.pendingStructs, null, `pending structs, ${where}`);
    assert.equal(doc.store.pendingDs, null, `pending deletes, ${where}`);
    assert.deepEqual([...doc.share.keys()], ['log'], `another type, ${where}`);
    let deleted = false;
    doc.store.clients.forEach((structs) => structs.forEach((s) => (deleted ||= s.deleted)));
    assert.equal(deleted, false, `a delete, ${where}`);
    assert.ok(everyBlobValidWhereItSits(doc), `a blob at an id it is not signed for, ${where}`);
  }
  console.log(`# ${RUNS} updates: accepted ${accepted}, refused ${JSON.stringify(reasons)}`);
  assert.ok(accepted > 0 && Object.keys(reasons).length >= 3, 'the runs reached both verdicts');
});

/** The relay's verdict as its verification pool reaches it: the structural pass, then the checks. */
function preparedVerdict(update: Uint8Array, doc: Y.Doc): EnvelopeVerdict {
  const prepared = prepareEnvelopeUpdate(update, room.roomKey, relayOptions(doc));
  if (!('checks' in prepared)) return prepared;
  return finishEnvelopeUpdate(prepared, prepared.checks.findIndex((c) => !verifySignature(c.signature, c.message, c.publicKey)));
}

const relayOptions = (doc: Y.Doc) => ({
  clockOf: clockOfDoc(doc),
  heldBlob: (pos: { client: number; clock: number }) => blobAt(doc, pos),
  maxUpdateBytes: DEFAULT_LIMITS.maxUpdateBytes,
  maxBlobBytes: DEFAULT_LIMITS.maxBlobBytes,
});

it(`struct-level mutations: the relay (both paths) and the client (inline and off-thread) give one verdict, and apply alike (seed ${SEED}, ${RUNS} runs)`, () => {
  const prng = createPrng(SEED + 1);
  const holder = createEnvelopeDoc();
  Y.applyUpdate(holder, baseUpdate);
  const held = envelopeLog(holder).toArray();
  let accepted = 0;
  for (let i = 0; i < RUNS; i++) {
    const source = senders[prng.int(senders.length)]!;
    const update = prng.bool(0.3) ? mutate(mutateStructs(source, held, prng), prng) : mutateStructs(source, held, prng);
    const relay = createEnvelopeDoc();
    Y.applyUpdate(relay, baseUpdate);
    const client = createEnvelopeDoc();
    Y.applyUpdate(client, baseUpdate);
    const where = `seed ${SEED}, run ${i}: ${Buffer.from(update).toString('hex').slice(0, 160)}`;
    const verdicts = {
      relay: validateEnvelopeUpdate(update, room.roomKey, relayOptions(relay)).ok,
      pool: preparedVerdict(update, relay).ok,
      offThread: checkDetached({ update, room: room.roomKey, stateVector: Y.encodeStateVector(client), maxUpdateBytes: MAX_RECEIVED_UPDATE_BYTES }).verdict.ok,
      client: applyValidatedUpdate(client, update, room.roomKey, 'relay', { maxUpdateBytes: MAX_RECEIVED_UPDATE_BYTES }).ok,
    };
    assert.ok(Object.values(verdicts).every((ok) => ok === verdicts.relay), `verdicts differ ${JSON.stringify(verdicts)}, ${where}`);
    if (!verdicts.relay) continue;
    accepted++;
    Y.applyUpdate(relay, update);
    assert.equal(relay.store.pendingStructs, null, `pending structs, ${where}`);
    assert.ok(Buffer.from(Y.encodeStateAsUpdate(relay)).equals(Buffer.from(Y.encodeStateAsUpdate(client))), `relay and client differ, ${where}`);
    assert.ok(everyBlobValidWhereItSits(relay), `a blob at an id it is not signed for, ${where}`);
  }
  console.log(`# ${RUNS} struct-level mutations: accepted ${accepted}, every verdict alike`);
  assert.ok(accepted > 0 && accepted < RUNS, 'the runs reached both verdicts');
});

it('the replay seed itself is refused at its first copy', () => {
  const doc = createEnvelopeDoc();
  Y.applyUpdate(doc, baseUpdate);
  const verdict = validateEnvelopeUpdate(senders[senders.length - 1]!, room.roomKey, { clockOf: clockOfDoc(doc) });
  assert.equal(verdict.ok, false);
  if (!verdict.ok) assert.match(verdict.detail, /^blob 77:0: bad-signature/);
});
