import { beforeAll, test } from 'vitest';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { toBase64url } from '../bytes.ts';
import { createSpace } from '../capability.ts';
import { generateIdentity } from '../identity.ts';
import { initSodium } from '../sodium.ts';
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
  const verdicts = readMoves(doc, old.spaceId, isOwner);
  assert.equal(verdicts.move?.to, record.to);
  assert.deepEqual(verdicts.refused.map((r) => r.reason).sort(), ['malformed', 'not-authority']);
  assert.equal(readMoves(new Y.Doc(), old.spaceId, isOwner).move, null);
});
