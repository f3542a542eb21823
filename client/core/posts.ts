// Listing a thread's posts, for every client (CLI, web, previews): one shape, one clamp, and
// a signature checked once per entry. A post entry's result is kept per process, keyed by the
// very object the plaintext doc holds (a changed or replaced entry is a new object, checked
// again), so no relay can plant a verdict; the same entry yields the same frozen object, so a
// view can tell an unchanged post by identity.
import type * as Y from 'yjs';
import { MAX_NAME_CHARS, MAX_POST_BODY_CHARS, postsMap, shownAttachments, verifyThreadPost, type ShownPost, type SpaceId } from '#shared';

/** The author field shown at most: a public key in base64url is 43 characters. */
const MAX_AUTHOR_CHARS = 64;

const seen = new WeakMap<object, { thread: string; origins: ReadonlySet<string>; shown: ShownPost }>();
const NO_ORIGINS: ReadonlySet<string> = new Set();

interface Candidate {
  id: string;
  ts: number;
  entry: Record<string, unknown>;
}

/** Entries shaped like posts (signatures not yet checked); junk is skipped. */
function candidates(doc: Y.Doc): Candidate[] {
  const out: Candidate[] = [];
  postsMap(doc).forEach((value, key) => {
    if (typeof value !== 'object' || value === null) return;
    const p = value as Record<string, unknown>;
    if (p.id !== key || typeof p.body !== 'string' || typeof p.ts !== 'number') return;
    out.push({ id: key, ts: p.ts, entry: p });
  });
  return out;
}

const byTime = (a: Candidate, b: Candidate) => a.ts - b.ts || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** `origins`: threads this one carries posts of (client/core/carried.ts); a new set is a new verdict. */
function shown(threadSpaceId: SpaceId, c: Candidate, origins: ReadonlySet<string>): ShownPost {
  const known = seen.get(c.entry);
  if (known && known.thread === threadSpaceId && (known.origins === origins || c.entry.from === undefined)) return known.shown;
  const post = shownEntry(c.entry, verifyThreadPost(threadSpaceId, c.entry, origins));
  seen.set(c.entry, { thread: threadSpaceId, origins, shown: post });
  return post;
}

/**
 * A post entry (already known to have a string id and body and a numeric ts) as shown. A
 * verified post is within the schema's limits already; an unverified one is cut to them, so
 * a forged megabyte body is never rendered whole.
 */
export function shownEntry(p: Record<string, unknown>, verified: boolean): ShownPost {
  const body = p.body as string;
  return Object.freeze({
    id: p.id as string,
    author: typeof p.author === 'string' ? p.author.slice(0, MAX_AUTHOR_CHARS) : '',
    name: typeof p.name === 'string' ? p.name.replace(/[\r\n]/g, ' ').slice(0, MAX_NAME_CHARS) : '',
    ts: p.ts as number,
    body: verified ? body : body.slice(0, MAX_POST_BODY_CHARS),
    replyTo: typeof p.replyTo === 'string' ? p.replyTo : null,
    attachments: shownAttachments(p, verified),
    verified,
  });
}

/** All posts, oldest first, each marked verified or not. */
export function listThreadPosts(doc: Y.Doc, threadSpaceId: SpaceId, origins: ReadonlySet<string> = NO_ORIGINS): ShownPost[] {
  return candidates(doc).sort(byTime).map((c) => shown(threadSpaceId, c, origins));
}

/** The newest `n` post entries as the doc holds them (signatures unchecked), oldest first. */
export function newestThreadEntries(doc: Y.Doc, n: number): Record<string, unknown>[] {
  const all = candidates(doc).sort(byTime);
  return all.slice(Math.max(0, all.length - n)).map((c) => c.entry);
}

/** The newest `n` posts, oldest first: only these signatures are checked. */
export function newestThreadPosts(doc: Y.Doc, threadSpaceId: SpaceId, n: number, origins: ReadonlySet<string> = NO_ORIGINS): ShownPost[] {
  const all = candidates(doc).sort(byTime);
  return all.slice(Math.max(0, all.length - n)).map((c) => shown(threadSpaceId, c, origins));
}
