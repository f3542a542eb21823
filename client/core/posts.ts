// Listing a thread's posts without checking each signature on every call: a post entry's
// verdict is kept per process, keyed by the very object the plaintext doc holds (a changed or
// replaced entry is a new object, checked again), so no relay can plant a verdict.
import type * as Y from 'yjs';
import { postsMap, verifyPost, type ShownPost, type SpaceId } from '../../shared/index.ts';

const verdicts = new WeakMap<object, { thread: string; ok: boolean }>();

function verified(threadSpaceId: SpaceId, entry: object): boolean {
  const known = verdicts.get(entry);
  if (known && known.thread === threadSpaceId) return known.ok;
  const ok = verifyPost(threadSpaceId, entry);
  verdicts.set(entry, { thread: threadSpaceId, ok });
  return ok;
}

interface Candidate {
  id: string;
  ts: number;
  entry: Record<string, unknown>;
}

/** Entries shaped like posts (signatures not yet checked); junk is skipped as listPosts does. */
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

function shown(threadSpaceId: SpaceId, c: Candidate): ShownPost {
  return shownEntry(c.entry, verified(threadSpaceId, c.entry));
}

/** A post entry (already known to have a string id and body and a numeric ts) as shown. */
export function shownEntry(p: Record<string, unknown>, verified: boolean): ShownPost {
  return {
    id: p.id as string,
    author: typeof p.author === 'string' ? p.author : '',
    name: typeof p.name === 'string' ? p.name.replace(/[\r\n]/g, ' ') : '',
    ts: p.ts as number,
    body: p.body as string,
    replyTo: typeof p.replyTo === 'string' ? p.replyTo : null,
    verified,
  };
}

/** All posts, oldest first, each marked verified or not (as listPosts in shared/, with verdicts kept). */
export function listThreadPosts(doc: Y.Doc, threadSpaceId: SpaceId): ShownPost[] {
  return candidates(doc).sort(byTime).map((c) => shown(threadSpaceId, c));
}

/** The newest `n` post entries as the doc holds them (signatures unchecked), oldest first. */
export function newestThreadEntries(doc: Y.Doc, n: number): Record<string, unknown>[] {
  const all = candidates(doc).sort(byTime);
  return all.slice(Math.max(0, all.length - n)).map((c) => c.entry);
}

/** The newest `n` posts, oldest first: only these signatures are checked. */
export function newestThreadPosts(doc: Y.Doc, threadSpaceId: SpaceId, n: number): ShownPost[] {
  const all = candidates(doc).sort(byTime);
  return all.slice(Math.max(0, all.length - n)).map((c) => shown(threadSpaceId, c));
}
