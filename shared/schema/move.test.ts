import { beforeAll, test } from 'vitest';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { toBase64url } from '../bytes.ts';
import { createSpace } from '../capability.ts';
import { generateIdentity } from '../identity.ts';
import { initSodium, sodium } from '../sodium.ts';

const sodiumVerify = (sig: Uint8Array, msg: Uint8Array, pk: Uint8Array) => sodium().crypto_sign_verify_detached(sig, msg, pk);
import { INVITE_SEALED_BYTES, MAX_INVITES, MoveError, addMoveRecord, movedMap, openInvite, readMoves, sealInvite, signMove, verifyMoveRecord, type MoveRecord } from './move.ts';

beforeAll(async () => {
  await initSodium();
});

const key = (id: { publicKey: Uint8Array }) => toBase64url(id.publicKey);

function setup() {
  const owner = generateIdentity();
  const bob = generateIdentity();
  const mallory = generateIdentity();
  const old = createSpace('board');
  const successor = createSpace('board', ['https://relay.example']);
  const record = signMove(old.spaceId, owner, { successor, removed: [key(mallory)], members: [key(owner), key(bob), key(mallory)] });
  const isOwner = (k: string) => k === key(owner);
  return { owner, bob, mallory, old, successor, record, isOwner };
}

test('an invited member opens the successor; the removed one has no invite', () => {
  const { owner, bob, mallory, old, successor, record, isOwner } = setup();
  assert.deepEqual(Object.keys(record.invites).sort(), [key(owner), key(bob)].sort());
  assert.ok(!(key(mallory) in record.invites));
  assert.equal(verifyMoveRecord(old.spaceId, record, isOwner).ok, true);
  const cap = openInvite(record, bob);
  assert.equal(cap.spaceId, successor.spaceId);
  assert.deepEqual(cap.write?.seed, successor.write?.seed);
  assert.deepEqual(cap.relays, ['https://relay.example']);
  assert.throws(() => openInvite(record, mallory), (e: MoveError) => e.code === 'not-invited' && /moved without you/.test(e.message));
});

test('a record is valid only for its board, signed, by an authority', () => {
  const { bob, old, record, isOwner } = setup();
  assert.deepEqual(verifyMoveRecord(createSpace('board').spaceId, record, isOwner), { ok: false, reason: 'bad-signature' });
  // A writer who is not an authority signs a move of their own: well formed, validly signed, ignored.
  const fake = signMove(old.spaceId, bob, { successor: createSpace('board'), removed: [key(generateIdentity())], members: [key(bob)] });
  assert.deepEqual(verifyMoveRecord(old.spaceId, fake, isOwner), { ok: false, reason: 'not-authority' });
  // Tampering with any field breaks the signature: an invite added, the successor swapped.
  const extra = { ...record, invites: { ...record.invites, [key(generateIdentity())]: record.invites[key(bob)]! } };
  assert.deepEqual(verifyMoveRecord(old.spaceId, extra, isOwner), { ok: false, reason: 'bad-signature' });
  assert.deepEqual(verifyMoveRecord(old.spaceId, { ...record, to: createSpace('board').spaceId }, isOwner), { ok: false, reason: 'bad-signature' });
  assert.deepEqual(verifyMoveRecord(old.spaceId, { ...record, removed: [] }, isOwner), { ok: false, reason: 'bad-signature' });
});

test('forged invites, invites sealed to the wrong key and fake successors are refused with clear errors', () => {
  const { owner, bob, old, successor } = setup();
  // openInvite is given records as verifyMoveRecord passed them; these are what an authority
  // could have signed by mistake, or a bug: each is still refused when opened.
  const other = generateIdentity();
  const wrongKey: MoveRecord = signMove(old.spaceId, owner, { successor, removed: [key(generateIdentity())], members: [] });
  // Bob's entry holds an invite sealed to another key: it does not open for him.
  const sealedToOther = sealInvite(successor, key(other));
  const r1 = { ...wrongKey, invites: { [key(bob)]: sealedToOther } };
  assert.throws(() => openInvite(r1, bob), (e: MoveError) => e.code === 'wrong-key' && /does not open with your identity/.test(e.message));
  // An invite that opens but names another board than the record: a fake successor.
  const decoy = createSpace('board');
  const r2 = { ...wrongKey, invites: { [key(bob)]: sealInvite(decoy, key(bob)) } };
  assert.throws(() => openInvite(r2, bob), (e: MoveError) => e.code === 'fake-successor');
  // Damaged bytes.
  const r3 = { ...wrongKey, invites: { [key(bob)]: 'AAAA' } };
  assert.throws(() => openInvite(r3, bob), (e: MoveError) => e.code === 'bad-invite');
  assert.equal(sealedToOther.length, Math.ceil((INVITE_SEALED_BYTES * 4) / 3));
});

test('oversized and malformed records are refused before any signature check', () => {
  const { owner, old, record } = setup();
  const isOwner = (k: string) => k === key(owner);
  const many: Record<string, string> = {};
  for (let i = 0; i <= MAX_INVITES; i++) many[key(generateIdentity())] = 'x';
  assert.deepEqual(verifyMoveRecord(old.spaceId, { ...record, invites: many }, isOwner), { ok: false, reason: 'too-large' });
  const big = { ...record, invites: { [key(owner)]: 'A'.repeat(100_000) } };
  assert.deepEqual(verifyMoveRecord(old.spaceId, big, isOwner), { ok: false, reason: 'too-large' });
  assert.deepEqual(verifyMoveRecord(old.spaceId, { ...record, removed: Array(17).fill(key(owner)) }, isOwner), { ok: false, reason: 'too-large' });
  for (const bad of [null, 'moved', 42, { ...record, to: 'nope' }, { ...record, at: 1.5 }, { ...record, relays: ['ftp://x'] }, { ...record, invites: [] }]) {
    assert.deepEqual(verifyMoveRecord(old.spaceId, bad, isOwner), { ok: false, reason: 'malformed' });
  }
  assert.throws(() => signMove(old.spaceId, owner, { successor: createSpace('board'), removed: [], members: [] }), MoveError);
});

test('readMoves follows the earliest move an authority signed, and lists the others as refused', () => {
  const { owner, bob, old, record, isOwner } = setup();
  const doc = new Y.Doc();
  const fake = signMove(old.spaceId, bob, { successor: createSpace('board'), removed: [key(owner)], members: [key(bob)], at: record.at - 1000 });
  addMoveRecord(doc, fake);
  addMoveRecord(doc, record);
  movedMap(doc).set('junk', { hello: 1 });
  // Well formed and signed, but filed under another key than <to>/<by>: refused.
  movedMap(doc).set(`${record.to}/elsewhere`, record);
  const verdicts = readMoves(doc, old.spaceId, isOwner);
  assert.equal(verdicts.move?.to, record.to);
  assert.deepEqual(verdicts.refused.map((r) => r.reason).sort(), ['malformed', 'malformed', 'not-authority']);
  assert.equal(readMoves(new Y.Doc(), old.spaceId, isOwner).move, null);
});

test('a writer who fills the moved map costs a reader at most MAX_MOVE_CHECKS signature checks per look, each entry once', async () => {
  const { setSignatureVerifier, installedSignatureVerifier } = await import('../sodium.ts');
  const { MAX_MOVE_CHECKS } = await import('./move.ts');
  const { old, record, isOwner } = setup();
  const doc = new Y.Doc();
  // 300 entries that claim the owner but carry broken signatures, and 300 that claim nobody.
  const broken = record.sig.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'));
  for (let i = 0; i < MAX_MOVE_CHECKS + 100; i++) {
    addMoveRecord(doc, { ...record, to: createSpace('board').spaceId, sig: broken });
    addMoveRecord(doc, { ...record, to: createSpace('board').spaceId, by: key(generateIdentity()) });
  }
  addMoveRecord(doc, record);
  let checks = 0;
  const before = installedSignatureVerifier();
  setSignatureVerifier((sig, msg, pk) => {
    checks++;
    return before ? before(sig, msg, pk) : sodiumVerify(sig, msg, pk);
  });
  try {
    const verdicts = readMoves(doc, old.spaceId, isOwner);
    assert.equal(checks, MAX_MOVE_CHECKS);
    assert.equal(verdicts.refused.length, 2 * (MAX_MOVE_CHECKS + 100) + 1);
    const reasons = new Map<string, number>();
    for (const r of verdicts.refused) reasons.set(r.reason, (reasons.get(r.reason) ?? 0) + 1);
    assert.deepEqual(Object.fromEntries(reasons), { 'bad-signature': MAX_MOVE_CHECKS, unchecked: 101, 'not-authority': MAX_MOVE_CHECKS + 100 });
    assert.equal(verdicts.move, null, 'past the bound the real record is not read at this look');
    // Verdicts are kept per entry: the next look checks only the rest, and finds the move; then nothing is checked again.
    checks = 0;
    assert.equal(readMoves(doc, old.spaceId, isOwner).move?.to, record.to);
    assert.equal(checks, 101);
    checks = 0;
    readMoves(doc, old.spaceId, isOwner);
    assert.equal(checks, 0);
  } finally {
    setSignatureVerifier(before);
  }
});
