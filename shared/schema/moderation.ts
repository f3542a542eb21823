// Moderation records (docs/PROTOCOL.md §6, "Moderation"): signed by an identity key, kept in
// the board doc's `moderation` map under their id. The shared write key lets any writer put a
// record there; what a record may do is decided by who signed it (client/core/authority.ts),
// against the owner the board's links carry.
import * as Y from 'yjs';
import { fromBase64url, toBase64url, utf8 } from '../bytes.ts';
import { isSpaceId } from '../ids.ts';
import type { Identity } from '../identity.ts';
import { sodium, verifySignature } from '../sodium.ts';
import { isPostId } from './post.ts';

/** Kinds this version acts on; other well-formed kinds verify and are handed on unread. */
export const MOD_KINDS = ['owner-add', 'owner-remove', 'appoint', 'dismiss', 'allow-mod-remove', 'hide', 'hide-key', 'unhide', 'unhide-key'] as const;
export type KnownModKind = (typeof MOD_KINDS)[number];

export const MAX_REASON_CHARS = 500;
/** Opaque signed payload of kinds other versions define (a moved board's record, say). */
export const MAX_DATA_CHARS = 64 * 1024;
export const MAX_KEEP_IDS = 1000;

export interface ModRecord {
  /** 16 random bytes, base64url: the record's key in the map. */
  id: string;
  kind: string;
  /** The signer's identity public key, base64url. */
  by: string;
  ts: number;
  /** An identity key: the owner added or removed, the moderator appointed or dismissed, the key hidden. */
  target?: string;
  /** hide, unhide: the thread's space id and the post id. */
  thread?: string;
  post?: string;
  /** allow-mod-remove: whether moderators may remove members. */
  allow?: boolean;
  /** owner-remove: ids of records the removed key signed that still count. */
  keep?: string[];
  reason?: string;
  data?: string;
  sig: string;
}

export type ModDraft = Omit<ModRecord, 'id' | 'by' | 'sig' | 'ts'> & { id?: string; ts?: number };

export class ModerationError extends Error {
  override name = 'ModerationError';
}

export const moderationMap = (doc: Y.Doc) => doc.getMap<unknown>('moderation');

const KIND_PATTERN = /^[a-z][a-z-]{0,31}$/;

export function isIdentityKey(value: unknown): value is string {
  return typeof value === 'string' && value.length === 43 && fromBase64url(value)?.length === 32;
}

export function modSigningText(boardSpaceId: string, r: Omit<ModRecord, 'sig'>): string {
  const allow = r.allow === undefined ? '' : r.allow ? '1' : '0';
  // Free text last, so no field's content can pose as the next field.
  return `baton/moderation/v1\n${boardSpaceId}\n${r.id}\n${r.kind}\n${r.by}\n${r.ts}\n${r.target ?? ''}\n${r.thread ?? ''}\n${r.post ?? ''}\n${allow}\n${(r.keep ?? []).join(',')}\n${r.data ?? ''}\n${r.reason ?? ''}`;
}

/** Why a record is not well formed, or null. Fields a kind needs are required; others must be absent. */
export function checkModFields(r: Record<string, unknown>): string | null {
  if (!isPostId(r.id)) return 'a record id is 16 bytes of base64url';
  if (typeof r.kind !== 'string' || !KIND_PATTERN.test(r.kind)) return 'a record kind is a short lower-case word';
  if (!isIdentityKey(r.by)) return 'a record names its signer';
  if (typeof r.ts !== 'number' || !Number.isSafeInteger(r.ts) || r.ts < 0) return 'a record time is a whole number of milliseconds';
  if (r.target !== undefined && !isIdentityKey(r.target)) return 'a target is an identity key';
  if (r.thread !== undefined && !isSpaceId(r.thread)) return 'a thread is a space id';
  if (r.post !== undefined && !isPostId(r.post)) return 'a post is a post id';
  if (r.allow !== undefined && typeof r.allow !== 'boolean') return 'allow is true or false';
  if (r.keep !== undefined && (!Array.isArray(r.keep) || r.keep.length > MAX_KEEP_IDS || !r.keep.every(isPostId))) return `keep lists at most ${MAX_KEEP_IDS} record ids`;
  if (r.reason !== undefined && (typeof r.reason !== 'string' || r.reason.length > MAX_REASON_CHARS)) return `a reason is at most ${MAX_REASON_CHARS} characters`;
  if (r.data !== undefined && (typeof r.data !== 'string' || r.data.length > MAX_DATA_CHARS)) return `data is at most ${MAX_DATA_CHARS} characters`;
  const need = (...fields: string[]) => fields.every((f) => r[f] !== undefined);
  switch (r.kind as KnownModKind) {
    case 'owner-add':
    case 'owner-remove':
    case 'appoint':
    case 'dismiss':
    case 'hide-key':
    case 'unhide-key':
      return need('target') ? null : `a ${r.kind} record names a target key`;
    case 'allow-mod-remove':
      return need('allow') ? null : 'an allow-mod-remove record says true or false';
    case 'hide':
    case 'unhide':
      return need('thread', 'post') ? null : `a ${r.kind} record names a thread and a post`;
    default:
      return null;
  }
}

export function signModRecord(identity: Identity, boardSpaceId: string, draft: ModDraft): ModRecord {
  const fields: Omit<ModRecord, 'sig'> = {
    ...draft,
    id: draft.id ?? toBase64url(sodium().randombytes_buf(16)),
    by: toBase64url(identity.publicKey),
    ts: draft.ts ?? Date.now(),
  };
  for (const k of Object.keys(fields) as (keyof typeof fields)[]) if (fields[k] === undefined) delete fields[k];
  const problem = checkModFields(fields as unknown as Record<string, unknown>);
  if (problem) throw new ModerationError(problem);
  const sig = sodium().crypto_sign_detached(utf8(modSigningText(boardSpaceId, fields)), identity.secretKey);
  return { ...fields, sig: toBase64url(sig) };
}

export type ModVerdict = { ok: true; record: ModRecord } | { ok: false; reason: 'malformed' | 'bad-signature'; detail: string; by: string | null; id: string | null };

const FIELDS = ['id', 'kind', 'by', 'ts', 'target', 'thread', 'post', 'allow', 'keep', 'reason', 'data', 'sig'];

/** Checks one map entry: well formed, no unknown fields, signed by `by` for this board. */
export function verifyModRecord(boardSpaceId: string, key: string, value: unknown): ModVerdict {
  const v = (typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {}) as Record<string, unknown>;
  const by = isIdentityKey(v.by) ? v.by : null;
  const id = isPostId(v.id) ? v.id : null;
  const bad = (reason: 'malformed' | 'bad-signature', detail: string): ModVerdict => ({ ok: false, reason, detail, by, id });
  if (v.id !== key) return bad('malformed', 'the entry is not under its own id');
  const extra = Object.keys(v).find((k) => !FIELDS.includes(k));
  if (extra !== undefined) return bad('malformed', `unknown field ${extra.slice(0, 32)}`);
  const problem = checkModFields(v);
  if (problem) return bad('malformed', problem);
  const sig = typeof v.sig === 'string' ? fromBase64url(v.sig) : null;
  if (!sig || sig.length !== 64) return bad('malformed', 'a signature is 64 bytes of base64url');
  const record = { ...v, keep: v.keep === undefined ? undefined : [...(v.keep as string[])] } as unknown as ModRecord;
  if (record.keep === undefined) delete record.keep;
  if (!verifySignature(sig, utf8(modSigningText(boardSpaceId, record)), fromBase64url(record.by)!)) return bad('bad-signature', 'the signature does not verify');
  return { ok: true, record };
}

/** Verdicts kept per entry object: Yjs hands back the same object until the entry is replaced. */
const verdicts = new WeakMap<object, { board: string; key: string; verdict: ModVerdict }>();

/** Every entry of the board's moderation map with its verdict (at most `max`, by key order). */
export function readModRecords(doc: Y.Doc, boardSpaceId: string, max = 10_000): ModVerdict[] {
  const out: ModVerdict[] = [];
  const keys = [...moderationMap(doc).keys()].sort().slice(0, max);
  for (const key of keys) {
    const value = moderationMap(doc).get(key);
    if (typeof value === 'object' && value !== null) {
      const known = verdicts.get(value);
      if (known && known.board === boardSpaceId && known.key === key) {
        out.push(known.verdict);
        continue;
      }
      const verdict = verifyModRecord(boardSpaceId, key, value);
      verdicts.set(value, { board: boardSpaceId, key, verdict });
      out.push(verdict);
    } else out.push(verifyModRecord(boardSpaceId, key, value));
  }
  return out;
}

/** Puts a signed record in the board doc. An entry already under that id is never replaced. */
export function addModRecord(doc: Y.Doc, record: ModRecord): void {
  if (moderationMap(doc).has(record.id)) throw new ModerationError('a record with this id exists');
  moderationMap(doc).set(record.id, { ...record });
}
