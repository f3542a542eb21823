// A thread's first screen, published for readers who have never opened it (docs/PROTOCOL.md §6,
// "First screen"): its title and newest posts, signed with the thread's write key, in a small
// space of its own. A reader on a slow link fetches that space (a few kilobytes, its newest
// epoch only) before the thread, shows it, and replaces it with the thread once that has synced.
//
// The space's keys come from the thread's read key, so every reader can find it:
//   seed    = crypto_generichash(32, "baton/first-screen-write/v1", key = thread readKey)
//   readKey = crypto_generichash(32, "baton/first-screen-read/v1",  key = thread readKey)
// Its plaintext doc holds one Y.Map "firstScreen" whose key "signed" is the string
// base64url(sig) || "." || record, where record is JSON {v: 1, thread, title, savedAt, posts:
// [Post, at most 20, newest last]} and
//   sig = crypto_sign_detached("baton/first-screen/v1\n" || UTF-8 record, thread writeSecret).
// One string, so that a reader can take any value the space ever held on its own (the page's
// first script reads them without Yjs: client/web/first-screen/). A reader takes a record only
// when sig verifies against the thread's own write key and it names the thread; each post is
// checked again against its author. The seed being derivable by readers lets a reader append
// to the space, never a record another reader accepts.
import * as Y from 'yjs';
import {
  MAX_CARRIED_CHECKS,
  capabilityFromSeeds,
  carriedMap,
  originsOfRecords,
  concatBytes,
  fromBase64url,
  readThreadInfo,
  restrictCapability,
  sodium,
  toBase64url,
  utf8,
  verifySignature,
  type Capability,
} from '#shared';
import { newestThreadEntries } from './posts.ts';
import { postFields, readPreviewBody, type ThreadPreview } from './preview.ts';

/** Posts a published first screen holds: a phone's screen or two, a few kilobytes. */
export const FIRST_SCREEN_POSTS = 20;
/** A writer starts the space's next epoch after this many blobs, so a reader fetches few. */
export const FIRST_SCREEN_COMPACT_AFTER = 6;
/** A record larger than this is not read (20 posts of 20,000 characters fit). */
export const MAX_FIRST_SCREEN_CHARS = 1024 * 1024;

const WRITE_CONTEXT = utf8('baton/first-screen-write/v1');
const READ_CONTEXT = utf8('baton/first-screen-read/v1');
const SIGNING_PREFIX = utf8('baton/first-screen/v1\n');

/** The Y.Map of a first-screen space's plaintext doc. */
export function firstScreenMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap('firstScreen');
}

/**
 * The capability of a thread's first-screen space, at write level for a writer of the thread and
 * at read level for a reader; null without a read key.
 */
export function firstScreenCapability(thread: Capability): Capability | null {
  if (thread.kind !== 'thread' || !thread.readKey) return null;
  const s = sodium();
  const seed = s.crypto_generichash(32, WRITE_CONTEXT, thread.readKey);
  const readKey = s.crypto_generichash(32, READ_CONTEXT, thread.readKey);
  const cap = capabilityFromSeeds('thread', seed, readKey, thread.relays);
  return thread.write ? cap : restrictCapability(cap, 'read');
}

/** The signed first screen of a thread's plaintext doc (the value of "signed"), or null when it has no post yet. */
export function signFirstScreen(thread: Capability, doc: Y.Doc, now = Date.now()): string | null {
  if (!thread.write) throw new RangeError('a first screen is signed with the thread write key');
  const posts = newestThreadEntries(doc, FIRST_SCREEN_POSTS).map(postFields);
  if (posts.length === 0) return null;
  // A moved board's carried posts verify only with the owner-signed records that name their threads: copies go along.
  const carried = [...carriedMap(doc).values()].slice(0, MAX_CARRIED_CHECKS);
  const record = JSON.stringify({ v: 1, thread: thread.spaceId, title: readThreadInfo(doc).title, savedAt: now, posts, ...(carried.length > 0 ? { carried } : {}) });
  const sig = sodium().crypto_sign_detached(concatBytes(SIGNING_PREFIX, utf8(record)), thread.write.secretKey);
  return `${toBase64url(sig)}.${record}`;
}

/** The first screen a first-screen space's doc holds, checked; null if none is valid. */
export function readFirstScreen(thread: Capability, doc: Y.Doc): ThreadPreview | null {
  const signed = firstScreenMap(doc).get('signed');
  if (typeof signed !== 'string' || signed.length > MAX_FIRST_SCREEN_CHARS) return null;
  const dot = signed.indexOf('.');
  const sig = signed.slice(0, dot);
  const record = signed.slice(dot + 1);
  if (dot < 0) return null;
  let sigBytes: Uint8Array | null;
  try {
    sigBytes = fromBase64url(sig);
  } catch {
    return null;
  }
  if (!sigBytes || sigBytes.length !== 64 || !verifySignature(sigBytes, concatBytes(SIGNING_PREFIX, utf8(record)), thread.writePub)) return null;
  let body: unknown;
  try {
    body = JSON.parse(record);
  } catch {
    return null;
  }
  if (typeof body !== 'object' || body === null || (body as { thread?: unknown }).thread !== thread.spaceId) return null;
  // Any writer signs the record; the carried records in it count only under the owner the link names.
  const carried = (body as { carried?: unknown }).carried;
  const owner = thread.owner;
  const origins = Array.isArray(carried) && owner !== undefined ? originsOfRecords(thread.spaceId, carried, (by) => by === owner) : new Set<string>();
  return readPreviewBody(thread.spaceId, body, FIRST_SCREEN_POSTS, origins);
}

/** The id and time of a first screen's newest post, to tell which of two is newer. */
export function newestOf(preview: ThreadPreview | null): { id: string; ts: number } | null {
  const last = preview?.posts.at(-1);
  return last ? { id: last.id, ts: last.ts } : null;
}
