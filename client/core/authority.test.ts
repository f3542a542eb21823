import { beforeAll, describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import {
  addModRecord,
  generateIdentity,
  initSodium,
  moderationMap,
  readModRecords,
  signModRecord,
  toBase64url,
  verifyModRecord,
  MAX_REASON_CHARS,
  type Identity,
  type ModDraft,
  type ModRecord,
} from '#shared';
import { computeAuthority, hideOf, mayAct, mayRemove } from './authority.ts';
import { MemoryDeviceMemory } from './device-memory.ts';
import { ModerationBook } from './moderation.ts';
import { checkOwner } from './owner-book.ts';

const BOARD = 'iojj3XQJ8ZX9UtstPLpdcspnCb8dlBIb83SIAbQPb1w';
const THREAD = 'ck_F1uEZRwTEfka_FdjBXcL8vv5qbseSsxsUDao7bV4';
const POST = 'AAAAAAAAAAAAAAAAAAAAAA';

let owner: Identity, second: Identity, mod: Identity, writer: Identity;
const key = (i: Identity) => toBase64url(i.publicKey);
beforeAll(async () => {
  await initSodium();
  [owner, second, mod, writer] = [generateIdentity(), generateIdentity(), generateIdentity(), generateIdentity()];
});

let clock = 1_000;
const sign = (by: Identity, draft: ModDraft, board = BOARD) => signModRecord(by, board, { ts: clock++, ...draft });
const ok = (...records: ModRecord[]) => records.map((r) => verifyModRecord(BOARD, r.id, r));
const authorityOf = (...records: ModRecord[]) => computeAuthority(key(owner), ok(...records));

describe('the authority rule', () => {
  test('the owner appoints and dismisses moderators; the newest record wins', () => {
    const appoint = sign(owner, { kind: 'appoint', target: key(mod) });
    expect(authorityOf(appoint).moderators).toEqual([key(mod)]);
    const dismiss = sign(owner, { kind: 'dismiss', target: key(mod) });
    expect(authorityOf(appoint, dismiss).moderators).toEqual([]);
    // Replaying the old appointment (same record, or a copy) changes nothing; the order of arrival does not matter.
    expect(authorityOf(dismiss, appoint, appoint).moderators).toEqual([]);
    const again = sign(owner, { kind: 'appoint', target: key(mod) });
    expect(authorityOf(again, dismiss, appoint).moderators).toEqual([key(mod)]);
  });

  test('a dismissal wins a tie', () => {
    const a = sign(owner, { kind: 'appoint', target: key(mod), ts: 5 });
    const d = sign(owner, { kind: 'dismiss', target: key(mod), ts: 5 });
    expect(authorityOf(a, d).moderators).toEqual([]);
    expect(authorityOf(d, a).moderators).toEqual([]);
  });

  test('records by a writer who is neither owner nor moderator change nothing and are flagged', () => {
    const self = sign(writer, { kind: 'appoint', target: key(writer) });
    const hide = sign(writer, { kind: 'hide', thread: THREAD, post: POST });
    const owners = sign(writer, { kind: 'owner-add', target: key(writer) });
    const a = authorityOf(self, hide, owners);
    expect(a.owners).toEqual([key(owner)]);
    expect(a.moderators).toEqual([]);
    expect(a.hiddenPosts.size).toBe(0);
    expect(a.flagged.map((f) => [f.id, f.reason]).sort()).toEqual([self, hide, owners].map((r) => [r.id, 'no-authority']).sort());
  });

  test('a moderator hides; a moderator cannot appoint; a dismissed moderator\'s hides lapse', () => {
    const appoint = sign(owner, { kind: 'appoint', target: key(mod) });
    const hide = sign(mod, { kind: 'hide', thread: THREAD, post: POST, reason: 'spam' });
    const modAppoints = sign(mod, { kind: 'appoint', target: key(writer) });
    const a = authorityOf(appoint, hide, modAppoints);
    expect(hideOf(a, THREAD, POST, key(writer))).toMatchObject({ by: key(mod), reason: 'spam' });
    expect(a.moderators).toEqual([key(mod)]);
    expect(a.flagged.map((f) => f.id)).toEqual([modAppoints.id]);
    const dismiss = sign(owner, { kind: 'dismiss', target: key(mod) });
    expect(hideOf(authorityOf(appoint, hide, dismiss), THREAD, POST, key(writer))).toBeNull();
  });

  test('hide every post of a key, and unhide', () => {
    const hide = sign(owner, { kind: 'hide-key', target: key(writer), reason: 'impersonation' });
    const a = authorityOf(hide);
    expect(hideOf(a, THREAD, POST, key(writer))?.reason).toBe('impersonation');
    expect(hideOf(a, THREAD, POST, key(mod))).toBeNull();
    const unhide = sign(owner, { kind: 'unhide-key', target: key(writer) });
    expect(hideOf(authorityOf(unhide, hide), THREAD, POST, key(writer))).toBeNull();
    const post = sign(owner, { kind: 'hide', thread: THREAD, post: POST });
    const unpost = sign(owner, { kind: 'unhide', thread: THREAD, post: POST });
    expect(authorityOf(post, unpost).hiddenPosts.size).toBe(0);
  });

  test('forged signatures, records of another board and malformed records are flagged and ignored', () => {
    const appoint = sign(owner, { kind: 'appoint', target: key(writer) });
    const forged = { ...appoint, target: key(mod) };
    const elsewhere = sign(owner, { kind: 'appoint', target: key(mod) }, THREAD);
    const posing = { ...sign(writer, { kind: 'appoint', target: key(writer) }), by: key(owner) };
    const a = computeAuthority(key(owner), [verifyModRecord(BOARD, forged.id, forged), verifyModRecord(BOARD, elsewhere.id, elsewhere), verifyModRecord(BOARD, posing.id, posing)]);
    expect(a.moderators).toEqual([]);
    expect(a.flagged.map((f) => f.reason)).toEqual(['bad-signature', 'bad-signature', 'bad-signature']);
    expect(verifyModRecord(BOARD, 'other', appoint)).toMatchObject({ ok: false, reason: 'malformed' });
    expect(verifyModRecord(BOARD, appoint.id, { ...appoint, extra: 1 })).toMatchObject({ ok: false, reason: 'malformed' });
    expect(verifyModRecord(BOARD, appoint.id, { ...appoint, target: 'not a key' })).toMatchObject({ ok: false, reason: 'malformed' });
    expect(verifyModRecord(BOARD, appoint.id, null)).toMatchObject({ ok: false, reason: 'malformed' });
  });

  test('an oversized reason is refused when signing and when read', () => {
    expect(() => sign(owner, { kind: 'hide', thread: THREAD, post: POST, reason: 'x'.repeat(MAX_REASON_CHARS + 1) })).toThrow(/reason/);
    const fine = sign(owner, { kind: 'hide', thread: THREAD, post: POST, reason: 'x' });
    expect(verifyModRecord(BOARD, fine.id, { ...fine, reason: 'x'.repeat(100_000) })).toMatchObject({ ok: false, reason: 'malformed' });
  });

  test('a second owner acts as the owner; a key the chain does not reach does not', () => {
    const add = sign(owner, { kind: 'owner-add', target: key(second) });
    const appoint = sign(second, { kind: 'appoint', target: key(mod) });
    const a = authorityOf(add, appoint);
    expect(a.owners).toEqual([key(owner), key(second)].sort());
    expect(a.moderators).toEqual([key(mod)]);
    expect(mayAct(a, key(second), 'owner-add')).toBe(true);
    expect(mayAct(a, key(mod), 'owner-add')).toBe(false);
    expect(mayAct(a, key(mod), 'hide')).toBe(true);
    // The same appointment without the owner's record naming `second`: no chain, no effect.
    expect(authorityOf(appoint).moderators).toEqual([]);
  });

  test('removing a seized owner key: what it signed before stays if kept, anything later does not', () => {
    const add = sign(owner, { kind: 'owner-add', target: key(second) });
    const appoint = sign(owner, { kind: 'appoint', target: key(mod) });
    const removal = sign(second, { kind: 'owner-remove', target: key(owner), keep: [add.id, appoint.id] });
    // The seized key signs afterwards, backdated: it counts for nothing.
    const backdated = sign(owner, { kind: 'appoint', target: key(writer), ts: 1 });
    const hide = sign(owner, { kind: 'hide-key', target: key(mod), ts: 3 });
    const a = authorityOf(add, appoint, removal, backdated, hide);
    expect(a.owners).toEqual([key(second)]);
    expect(a.moderators).toEqual([key(mod)]);
    expect(a.hiddenKeys.size).toBe(0);
    expect(a.flagged.filter((f) => f.reason === 'voided').map((f) => f.id).sort()).toEqual([backdated.id, hide.id].sort());
  });

  test('two owners who remove each other (a seized key answering its removal) both lose authority', () => {
    const add = sign(owner, { kind: 'owner-add', target: key(second) });
    const r1 = sign(second, { kind: 'owner-remove', target: key(owner), keep: [add.id] });
    const r2 = sign(owner, { kind: 'owner-remove', target: key(second) });
    const a = authorityOf(add, r1, r2);
    expect(a.owners).toEqual([]);
    expect(authorityOf(r2, r1, add).owners).toEqual([]);
  });

  test('moderators remove members only when the owners allow it; the newest setting wins', () => {
    const appoint = sign(owner, { kind: 'appoint', target: key(mod) });
    expect(mayRemove(authorityOf(appoint), key(mod))).toBe(false);
    expect(mayRemove(authorityOf(appoint), key(owner))).toBe(true);
    const allow = sign(owner, { kind: 'allow-mod-remove', allow: true });
    expect(mayRemove(authorityOf(appoint, allow), key(mod))).toBe(true);
    const forbid = sign(owner, { kind: 'allow-mod-remove', allow: false });
    expect(mayRemove(authorityOf(forbid, appoint, allow), key(mod))).toBe(false);
    // A moderator cannot allow it themselves.
    expect(mayRemove(authorityOf(appoint, sign(mod, { kind: 'allow-mod-remove', allow: true })), key(mod))).toBe(false);
  });

  test('a board without an owner has no moderation: every record is flagged', () => {
    const a = computeAuthority(null, ok(sign(owner, { kind: 'appoint', target: key(mod) })));
    expect(a.moderators).toEqual([]);
    expect(a.flagged[0]?.reason).toBe('no-authority');
  });

  test('records taken out of the board map still count on a device that saw them', () => {
    const doc = new Y.Doc();
    const memory = new MemoryDeviceMemory();
    const appoint = sign(owner, { kind: 'appoint', target: key(mod) });
    const dismiss = sign(owner, { kind: 'dismiss', target: key(mod) });
    addModRecord(doc, appoint);
    addModRecord(doc, dismiss);
    expect(new ModerationBook(memory, BOARD).authority(doc, key(owner)).moderators).toEqual([]);
    // A writer deletes the dismissal from the shared map.
    moderationMap(doc).delete(dismiss.id);
    expect(readModRecords(doc, BOARD)).toHaveLength(1);
    expect(new ModerationBook(memory, BOARD).authority(doc, key(owner)).moderators).toEqual([]);
    // A device that never saw it is fooled: said so in docs/THREAT_MODEL.md.
    expect(new ModerationBook(new MemoryDeviceMemory(), BOARD).authority(doc, key(owner)).moderators).toEqual([key(mod)]);
    // Remembered garbage is ignored.
    memory.save(`moderation:${BOARD}`, [{ id: 'x' }, 5, { ...dismiss, ts: 99 }]);
    expect(new ModerationBook(memory, BOARD).authority(doc, key(owner)).moderators).toEqual([key(mod)]);
  });
});

describe('the owner a device goes by', () => {
  test('the first link\'s owner is remembered; a later link naming another is flagged', () => {
    const memory = new MemoryDeviceMemory();
    expect(checkOwner(memory, BOARD, undefined)).toEqual({ owner: null, conflict: false, linkOwner: null });
    expect(checkOwner(memory, BOARD, key(owner))).toEqual({ owner: key(owner), conflict: false, linkOwner: null });
    expect(checkOwner(memory, BOARD, key(writer))).toEqual({ owner: key(owner), conflict: true, linkOwner: key(writer) });
    expect(checkOwner(memory, BOARD, undefined)).toEqual({ owner: key(owner), conflict: false, linkOwner: null });
    memory.save(`owner:${BOARD}`, 'garbage');
    expect(checkOwner(memory, BOARD, key(writer)).owner).toBe(key(writer));
  });
});
