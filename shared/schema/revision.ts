// An author's own words taken back or changed (docs/PROTOCOL.md §6, "Deleting and editing"):
// delete and edit records in the thread doc's `revisions` map, signed by the post's author.
// Only records signed by the key that signed the post count.
import * as Y from 'yjs';
import { fromBase64url, toBase64url, utf8 } from '../bytes.ts';
import type { Identity } from '../identity.ts';
import { MAX_POST_BODY_CHARS } from '../limits.ts';
import { sodium, verifySignature } from '../sodium.ts';
import { isPostId, verifyPost, type Post } from './post.ts';

export interface Revision {
  id: string; // 16 random bytes, base64url: the key in the map
  post: string; // the post's id
  kind: 'delete' | 'edit';
  author: string; // the signer's identity key: counts only if it signed the post
  ts: number;
  /** edit: the new text. */
  body?: string;
  sig: string;
  /** A revision carried into a moved board's successor: the thread it was signed for (docs/PROTOCOL.md §6, "Moved boards"). */
  from?: string;
}

export const revisionsMap = (doc: Y.Doc) => doc.getMap<unknown>('revisions');

/**
 * What is left of a deleted post in the posts map once its author (or a compaction) has taken
 * its text out: who wrote it and when, without the body (docs/PROTOCOL.md §6).
 */
export interface Tombstone {
  id: string;
  author: string;
  name: string;
  ts: number;
  replyTo?: string;
  deleted: true;
}

export function revisionSigningText(threadSpaceId: string, r: Omit<Revision, 'sig'>): string {
  return `baton/revision/v1\n${threadSpaceId}\n${r.id}\n${r.post}\n${r.kind}\n${r.author}\n${r.ts}\n${r.body ?? ''}`;
}

export function signRevision(identity: Identity, threadSpaceId: string, draft: { post: string; kind: 'delete' | 'edit'; body?: string; ts?: number; id?: string }): Revision {
  if (!isPostId(draft.post)) throw new RangeError('a revision names a post id');
  if (draft.kind === 'edit' && (typeof draft.body !== 'string' || draft.body.length > MAX_POST_BODY_CHARS)) throw new RangeError(`an edit's text is at most ${MAX_POST_BODY_CHARS} characters`);
  if (draft.kind === 'delete' && draft.body !== undefined) throw new RangeError('a delete has no text');
  const fields: Omit<Revision, 'sig'> = {
    id: draft.id ?? toBase64url(sodium().randombytes_buf(16)),
    post: draft.post,
    kind: draft.kind,
    author: toBase64url(identity.publicKey),
    ts: draft.ts ?? Date.now(),
    ...(draft.kind === 'edit' ? { body: draft.body } : {}),
  };
  const sig = sodium().crypto_sign_detached(utf8(revisionSigningText(threadSpaceId, fields)), identity.secretKey);
  return { ...fields, sig: toBase64url(sig) };
}

const FIELDS = new Set(['id', 'post', 'kind', 'author', 'ts', 'body', 'sig', 'from']);
const NO_ORIGINS: ReadonlySet<string> = new Set();

/**
 * A well-formed revision whose signature holds for this thread, or null. A carried one (with
 * `from`) holds only for a thread this one carries (`origins`), signed for that thread.
 */
export function verifyRevision(threadSpaceId: string, key: string, value: unknown, origins: ReadonlySet<string> = NO_ORIGINS): Revision | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const r = value as Record<string, unknown>;
  if (r.from !== undefined && (typeof r.from !== 'string' || !origins.has(r.from))) return null;
  const signedFor = typeof r.from === 'string' ? r.from : threadSpaceId;
  if (r.id !== key || !isPostId(r.id) || !isPostId(r.post)) return null;
  if (r.kind !== 'delete' && r.kind !== 'edit') return null;
  if (Object.keys(r).some((k) => !FIELDS.has(k))) return null;
  if (typeof r.ts !== 'number' || !Number.isSafeInteger(r.ts) || r.ts < 0) return null;
  if (r.kind === 'edit' ? typeof r.body !== 'string' || r.body.length > MAX_POST_BODY_CHARS : r.body !== undefined) return null;
  const author = typeof r.author === 'string' ? fromBase64url(r.author) : null;
  const sig = typeof r.sig === 'string' ? fromBase64url(r.sig) : null;
  if (author?.length !== 32 || sig?.length !== 64) return null;
  const revision = { ...r } as unknown as Revision;
  return verifySignature(sig, utf8(revisionSigningText(signedFor, revision)), author) ? revision : null;
}

/** Verdicts kept per entry object, as for posts. */
const verdicts = new WeakMap<object, { thread: string; key: string; origins: ReadonlySet<string>; revision: Revision | null }>();

/** Every revision in the thread whose signature holds, grouped by post id, oldest first. */
export function readRevisions(doc: Y.Doc, threadSpaceId: string, origins: ReadonlySet<string> = NO_ORIGINS): Map<string, Revision[]> {
  const out = new Map<string, Revision[]>();
  revisionsMap(doc).forEach((value, key) => {
    let revision: Revision | null;
    const known = typeof value === 'object' && value !== null ? verdicts.get(value) : undefined;
    if (known && known.thread === threadSpaceId && known.key === key && known.origins === origins) revision = known.revision;
    else {
      revision = verifyRevision(threadSpaceId, key, value, origins);
      if (typeof value === 'object' && value !== null) verdicts.set(value, { thread: threadSpaceId, key, origins, revision });
    }
    if (!revision) return;
    const list = out.get(revision.post) ?? [];
    list.push(revision);
    out.set(revision.post, list);
  });
  for (const list of out.values()) list.sort((a, b) => a.ts - b.ts || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return out;
}

export function isTombstone(value: unknown): value is Tombstone {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return v.deleted === true && isPostId(v.id) && typeof v.author === 'string' && typeof v.ts === 'number' && v.body === undefined;
}

/**
 * The author deletes a post: the delete record, the post's entry replaced by a tombstone and
 * the post's edit records removed, in one change, so a snapshot of the doc holds none of its
 * text (Yjs keeps no content of what is deleted).
 */
export function deletePostText(doc: Y.Doc, revision: Revision, post: { id: string; author: string; name: string; ts: number; replyTo?: string | null }): void {
  doc.transact(() => {
    revisionsMap(doc).set(revision.id, { ...revision });
    const tomb: Tombstone = { id: post.id, author: post.author, name: post.name, ts: post.ts, deleted: true, ...(post.replyTo ? { replyTo: post.replyTo } : {}) };
    doc.getMap<unknown>('posts').set(post.id, tomb);
    revisionsMap(doc).forEach((value, key) => {
      const v = value as Record<string, unknown> | null;
      if (v && v.kind === 'edit' && v.post === post.id && v.author === post.author) revisionsMap(doc).delete(key);
    });
  });
}

/**
 * Before a snapshot (client/core/compactor.ts): every post its author deleted whose text is
 * still in the map becomes a tombstone, so the new epoch does not carry the text. Returns how many.
 */
export function tombstoneDeleted(doc: Y.Doc, threadSpaceId: string): number {
  const revisions = readRevisions(doc, threadSpaceId);
  const due: Array<{ revision: Revision; post: Post }> = [];
  doc.getMap<unknown>('posts').forEach((value, key) => {
    const del = (revisions.get(key) ?? []).find((r) => r.kind === 'delete');
    if (!del || isTombstone(value) || !verifyPost(threadSpaceId, value) || value.id !== key) return;
    const revision = (revisions.get(key) ?? []).find((r) => r.kind === 'delete' && r.author === value.author);
    if (revision) due.push({ revision, post: value });
  });
  if (due.length > 0) doc.transact(() => due.forEach(({ revision, post }) => deletePostText(doc, revision, post)));
  return due.length;
}
