// Posts carried into a successor board keep their signatures (docs/PROTOCOL.md §6, "Moved
// boards"): a post is signed for the thread it was written in, so a carried post names that
// thread in `from`, and verifies only if a record signed by an authority of the successor
// says this thread carries that one. A writer of the successor cannot add such a record, so
// it cannot make a post written anywhere else show as verified here.
import * as Y from 'yjs';
import { fromBase64url, toBase64url, utf8 } from '../bytes.ts';
import { isSpaceId, type SpaceId } from '../ids.ts';
import type { Identity } from '../identity.ts';
import { sodium, verifySignature } from '../sodium.ts';
import { verifyPost, type Post } from './post.ts';

/** Threads one thread may carry: the one it replaces and those that one carried, through successive moves. */
export const MAX_CARRIED_ORIGINS = 16;
/** Carried records a reader checks per thread. */
export const MAX_CARRIED_CHECKS = 16;

export const carriedMap = (doc: Y.Doc) => doc.getMap<unknown>('carried');

export interface CarriedRecord {
  /** Thread space ids whose posts this thread carries. */
  origins: SpaceId[];
  at: number;
  by: string;
  sig: string;
}

export function carriedSigningText(threadSpaceId: string, r: Omit<CarriedRecord, 'sig'>): string {
  return `baton/carried/v1\n${threadSpaceId}\n${r.origins.join(',')}\n${r.at}\n${r.by}`;
}

export function signCarried(threadSpaceId: string, by: Identity, origins: SpaceId[], at = Date.now()): CarriedRecord {
  const list = [...new Set(origins)].slice(0, MAX_CARRIED_ORIGINS);
  const body = { origins: list, at, by: toBase64url(by.publicKey) };
  const sig = sodium().crypto_sign_detached(utf8(carriedSigningText(threadSpaceId, body)), by.secretKey);
  return { ...body, sig: toBase64url(sig) };
}

export function addCarriedRecord(doc: Y.Doc, record: CarriedRecord): void {
  carriedMap(doc).set(record.by, record);
}

/** Every origin named by a valid record (well formed, signed by its `by`, `by` an authority). */
export function carriedOrigins(doc: Y.Doc, threadSpaceId: string, isAuthority: (key: string) => boolean): Set<SpaceId> {
  const records: unknown[] = [];
  carriedMap(doc).forEach((value, key) => {
    // Filed under its signer's key, or it is not one.
    if (typeof value === 'object' && value !== null && (value as Record<string, unknown>).by === key) records.push(value);
  });
  return originsOfRecords(threadSpaceId, records, isAuthority);
}

/** The same, for records found elsewhere (a thread's published first screen carries copies). */
export function originsOfRecords(threadSpaceId: string, records: readonly unknown[], isAuthority: (key: string) => boolean): Set<SpaceId> {
  const origins = new Set<SpaceId>();
  let checks = 0;
  for (const value of records) {
    if (typeof value !== 'object' || value === null) continue;
    const v = value as Record<string, unknown>;
    if (typeof v.by !== 'string' || typeof v.sig !== 'string' || typeof v.at !== 'number' || !Number.isSafeInteger(v.at)) continue;
    if (!Array.isArray(v.origins) || v.origins.length > MAX_CARRIED_ORIGINS || !v.origins.every(isSpaceId)) continue;
    if (!isAuthority(v.by) || ++checks > MAX_CARRIED_CHECKS) continue;
    const by = fromBase64url(v.by);
    const sig = fromBase64url(v.sig);
    if (by?.length !== 32 || sig?.length !== 64) continue;
    const record = { origins: v.origins as SpaceId[], at: v.at, by: v.by };
    if (!verifySignature(sig, utf8(carriedSigningText(threadSpaceId, record)), by)) continue;
    for (const o of record.origins) origins.add(o);
  }
  return origins;
}

/**
 * A post entry's verdict in a thread: signed for this thread, or carried (its `from` names a
 * thread this one carries, and it is signed for that thread).
 */
export function verifyThreadPost(threadSpaceId: string, post: unknown, origins: ReadonlySet<string>): post is Post {
  const from = typeof post === 'object' && post !== null ? (post as Record<string, unknown>).from : undefined;
  if (from === undefined) return verifyPost(threadSpaceId, post);
  return typeof from === 'string' && origins.has(from) && verifyPost(from, post);
}
