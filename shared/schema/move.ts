// Moving a board without a member (docs/PROTOCOL.md §6, "Moved boards"): the signed record an
// owner or moderator leaves in the old board, and the invites it carries, each the successor's
// write keys sealed to one member's identity key.
import * as Y from 'yjs';
import { fromBase64url, toBase64url, utf8 } from '../bytes.ts';
import { capabilityFromSeeds, normaliseRelayUrl, type Capability } from '../capability.ts';
import { isSpaceId, type SpaceId } from '../ids.ts';
import type { Identity } from '../identity.ts';
import { sodium, verifySignature } from '../sodium.ts';

/** Invites one record may hold: members who posted, besides the one removed. */
export const MAX_INVITES = 512;
/** Keys one record may remove at once. */
export const MAX_REMOVED = 16;
/** Relays a record may name for the successor (as many as a capability's hints). */
export const MAX_MOVE_RELAYS = 32;
/**
 * Signatures a reader checks per look at a board's moved map: entries claiming an authority
 * beyond this are refused unchecked at that look. Each entry's verdict is kept while the entry
 * is unchanged, so every entry is checked once, and a flooded map is read whole over a few looks.
 */
export const MAX_MOVE_CHECKS = 1024;
/** What the invite seals: the successor's write seed and read key. */
const INVITE_PLAIN_BYTES = 64;
/** crypto_box_seal adds an ephemeral public key and a MAC. */
export const INVITE_SEALED_BYTES = INVITE_PLAIN_BYTES + 32 + 16;

export const movedMap = (doc: Y.Doc) => doc.getMap<unknown>('moved');

export interface MoveRecord {
  /** The successor board's space id. */
  to: SpaceId;
  at: number;
  /** The mover's identity public key, base64url: an owner or a moderator of the old board. */
  by: string;
  /** Identity keys left out of the successor. */
  removed: string[];
  /** The successor's relays (each a normalised base URL). */
  relays: string[];
  /** Identity key (base64url) -> sealed invite (base64url). */
  invites: Record<string, string>;
  sig: string;
}

/** `unchecked`: past the bound of signature checks per board (MAX_MOVE_CHECKS), refused unread. */
export type MoveRejection = 'malformed' | 'too-large' | 'bad-signature' | 'not-authority' | 'unchecked';

export class MoveError extends Error {
  override name = 'MoveError';
  constructor(
    readonly code: 'bad-invite' | 'wrong-key' | 'fake-successor' | 'not-invited' | 'too-large' | 'bad-input',
    message: string,
  ) {
    super(message);
  }
}

export function moveSigningText(boardSpaceId: string, r: Omit<MoveRecord, 'sig'>): string {
  const invites = Object.keys(r.invites)
    .sort()
    .map((k) => `${k}=${r.invites[k]}`)
    .join(',');
  return `baton/moved/v1\n${boardSpaceId}\n${r.to}\n${r.at}\n${r.by}\n${r.removed.join(',')}\n${r.relays.map(encodeURIComponent).join(',')}\n${invites}`;
}

/** X25519 public key of an Ed25519 identity key (null: not a valid point). */
function boxKeyOf(identityKey: Uint8Array): Uint8Array | null {
  try {
    return sodium().crypto_sign_ed25519_pk_to_curve25519(identityKey);
  } catch {
    return null;
  }
}

/** The successor's write seed and read key, sealed so only `member` can open them. */
export function sealInvite(successor: Capability, member: string): string {
  const key = fromBase64url(member);
  const box = key?.length === 32 ? boxKeyOf(key) : null;
  if (!box) throw new MoveError('bad-input', `not an identity key: ${member.slice(0, 43)}`);
  if (!successor.write || !successor.readKey) throw new MoveError('bad-input', 'an invite carries a write capability');
  const plain = new Uint8Array(INVITE_PLAIN_BYTES);
  plain.set(successor.write.seed, 0);
  plain.set(successor.readKey, 32);
  return toBase64url(sodium().crypto_box_seal(plain, box));
}

/**
 * Opens the invite sealed to `identity` in a verified record: the successor's write capability,
 * checked to be the board the record names (an invite for any other board is a fake successor).
 */
export function openInvite(record: MoveRecord, identity: Identity): Capability {
  const me = toBase64url(identity.publicKey);
  const sealed = record.invites[me];
  if (sealed === undefined) throw new MoveError('not-invited', 'this board moved without you: the move holds no invite for your key');
  const bytes = fromBase64url(sealed);
  if (!bytes || bytes.length !== INVITE_SEALED_BYTES) throw new MoveError('bad-invite', 'the invite for your key is damaged');
  const s = sodium();
  let plain: Uint8Array;
  try {
    const pk = s.crypto_sign_ed25519_pk_to_curve25519(identity.publicKey);
    const sk = s.crypto_sign_ed25519_sk_to_curve25519(identity.secretKey);
    plain = s.crypto_box_seal_open(bytes, pk, sk);
  } catch {
    throw new MoveError('wrong-key', 'the invite for your key does not open with your identity (sealed to another key)');
  }
  if (plain.length !== INVITE_PLAIN_BYTES) throw new MoveError('bad-invite', 'the invite for your key is damaged');
  const cap = capabilityFromSeeds('board', plain.slice(0, 32), plain.slice(32), record.relays);
  if (cap.spaceId !== record.to) throw new MoveError('fake-successor', 'the invite opens another board than the one the move names');
  return cap;
}

export interface MoveDraft {
  successor: Capability;
  removed: string[];
  /** Identity keys to invite (the removed ones are left out whatever this says). */
  members: Iterable<string>;
  at?: number;
}

/** A record signed by `by`: the mover, who must be an authority of the old board for anyone to follow it. */
export function signMove(boardSpaceId: string, by: Identity, draft: MoveDraft): MoveRecord {
  const removed = [...new Set(draft.removed)].sort();
  if (removed.length === 0 || removed.length > MAX_REMOVED) throw new MoveError('bad-input', `a move removes 1 to ${MAX_REMOVED} keys`);
  for (const k of removed) if (fromBase64url(k)?.length !== 32) throw new MoveError('bad-input', `not an identity key: ${k.slice(0, 43)}`);
  const invites: Record<string, string> = {};
  for (const member of draft.members) {
    if (removed.includes(member) || member in invites) continue;
    if (Object.keys(invites).length >= MAX_INVITES) throw new MoveError('too-large', `a move invites at most ${MAX_INVITES} members`);
    invites[member] = sealInvite(draft.successor, member);
  }
  const relays = draft.successor.relays.map(normaliseRelayUrl).slice(0, MAX_MOVE_RELAYS);
  const body = { to: draft.successor.spaceId, at: draft.at ?? Date.now(), by: toBase64url(by.publicKey), removed, relays, invites };
  const sig = sodium().crypto_sign_detached(utf8(moveSigningText(boardSpaceId, body)), by.secretKey);
  return { ...body, sig: toBase64url(sig) };
}

export function addMoveRecord(doc: Y.Doc, record: MoveRecord): void {
  movedMap(doc).set(`${record.to}/${record.by}`, record);
}

/** Shape and size of an entry as a writer may have written it. */
function parseRecord(value: unknown): { ok: true; record: MoveRecord } | { ok: false; reason: MoveRejection } {
  if (typeof value !== 'object' || value === null) return { ok: false, reason: 'malformed' };
  const v = value as Record<string, unknown>;
  if (!isSpaceId(v.to) || typeof v.at !== 'number' || !Number.isSafeInteger(v.at) || typeof v.by !== 'string' || typeof v.sig !== 'string') return { ok: false, reason: 'malformed' };
  if (typeof v.sig !== 'string' || v.sig.length !== 86 || !isKeyText(v.by)) return { ok: false, reason: 'malformed' };
  if (!Array.isArray(v.removed) || !Array.isArray(v.relays) || typeof v.invites !== 'object' || v.invites === null || Array.isArray(v.invites)) return { ok: false, reason: 'malformed' };
  const invites = v.invites as Record<string, unknown>;
  const keys = Object.keys(invites);
  if (v.removed.length > MAX_REMOVED || v.relays.length > MAX_MOVE_RELAYS || keys.length > MAX_INVITES) return { ok: false, reason: 'too-large' };
  if (!v.removed.every(isKeyText) || !keys.every(isKeyText)) return { ok: false, reason: 'malformed' };
  if (!keys.every((k) => typeof invites[k] === 'string' && (invites[k] as string).length <= 2 * INVITE_SEALED_BYTES)) return { ok: false, reason: 'too-large' };
  const relays: string[] = [];
  for (const r of v.relays) {
    if (typeof r !== 'string') return { ok: false, reason: 'malformed' };
    try {
      if (normaliseRelayUrl(r) !== r) return { ok: false, reason: 'malformed' };
    } catch {
      return { ok: false, reason: 'malformed' };
    }
    relays.push(r);
  }
  return {
    ok: true,
    record: { to: v.to, at: v.at, by: v.by, removed: [...(v.removed as string[])], relays, invites: { ...(invites as Record<string, string>) }, sig: v.sig },
  };
}

const isKeyText = (k: unknown): k is string => typeof k === 'string' && k.length === 43 && fromBase64url(k)?.length === 32;

/** One entry's verdict: the record when it is well formed, within bounds, signed by its `by`, and `by` is an authority. */
export function verifyMoveRecord(
  boardSpaceId: string,
  value: unknown,
  isAuthority: (key: string) => boolean,
): { ok: true; record: MoveRecord } | { ok: false; reason: MoveRejection } {
  const parsed = parseRecord(value);
  if (!parsed.ok) return parsed;
  // Authority first: a record claiming no authority costs no signature check.
  if (!isAuthority(parsed.record.by)) return { ok: false, reason: 'not-authority' };
  if (!signatureHolds(boardSpaceId, parsed.record)) return { ok: false, reason: 'bad-signature' };
  return parsed;
}

function signatureHolds(boardSpaceId: string, r: MoveRecord): boolean {
  const key = fromBase64url(r.by);
  const sig = fromBase64url(r.sig);
  return key?.length === 32 && sig?.length === 64 && verifySignature(sig, utf8(moveSigningText(boardSpaceId, r)), key);
}

export interface MoveVerdicts {
  /** The move clients follow: the earliest valid record (then the lowest successor id). */
  move: MoveRecord | null;
  /** Entries refused, with why (for a flag in the UI; never followed). */
  refused: { to: string; by: string; reason: MoveRejection }[];
}

type Verdict = ReturnType<typeof verifyMoveRecord>;
/** Signature verdicts per entry object (Yjs hands back the same object until it is replaced). */
const signed = new WeakMap<object, { board: string; ok: boolean }>();

/** The board's moved map as a client judges it. */
export function readMoves(doc: Y.Doc, boardSpaceId: string, isAuthority: (key: string) => boolean): MoveVerdicts {
  const valid: MoveRecord[] = [];
  const refused: MoveVerdicts['refused'] = [];
  let checks = 0;
  const counted = () => ++checks <= MAX_MOVE_CHECKS;
  movedMap(doc).forEach((value, key) => {
    const verdict = judge(boardSpaceId, key, value, isAuthority, counted);
    if (verdict.ok) valid.push(verdict.record);
    else {
      const v = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
      refused.push({ to: typeof v.to === 'string' ? v.to.slice(0, 43) : '', by: typeof v.by === 'string' ? v.by.slice(0, 43) : '', reason: verdict.reason });
    }
  });
  valid.sort((a, b) => a.at - b.at || (a.to < b.to ? -1 : a.to > b.to ? 1 : 0));
  return { move: valid[0] ?? null, refused };
}

/** One entry: filed under `<to>/<by>`, its signature verdict reused while the entry is the same object. */
function judge(boardSpaceId: string, key: string, value: unknown, isAuthority: (key: string) => boolean, counted: () => boolean): Verdict {
  const parsed = parseRecord(value);
  if (!parsed.ok) return parsed;
  const r = parsed.record;
  if (key !== `${r.to}/${r.by}`) return { ok: false, reason: 'malformed' };
  if (!isAuthority(r.by)) return { ok: false, reason: 'not-authority' };
  const known = signed.get(value as object);
  if (known?.board === boardSpaceId) return known.ok ? parsed : { ok: false, reason: 'bad-signature' };
  if (!counted()) return { ok: false, reason: 'unchecked' };
  const ok = signatureHolds(boardSpaceId, r);
  signed.set(value as object, { board: boardSpaceId, ok });
  return ok ? parsed : { ok: false, reason: 'bad-signature' };
}
