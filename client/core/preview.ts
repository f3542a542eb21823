// A thread's first screen, kept sealed on the device: its title and newest posts, so that
// opening it again shows them at once instead of after the whole plaintext doc is decoded
// (a thread of years takes a hundred milliseconds and more to load on a laptop, seconds on an
// old phone; this takes a few).
//
// At rest it is as unreadable as the envelope docs: XChaCha20-Poly1305 under
// crypto_generichash(32, "baton/preview/v1", readKey), with the space id as associated data,
// and no store ever holds a read key. Each post keeps its signature and is checked again when
// shown, so whoever can write the store can at most show an older first screen, never put
// words in an author's mouth. A record that does not open or parse is ignored.
//   record = "BPV1" || nonce:24 || ciphertext of UTF-8 JSON {v: 1, title, savedAt, posts: [Post], origins?: [id]}
// `origins`: the threads whose carried posts (docs/PROTOCOL.md §6, "Moved boards") this thread's
// owner-signed records named when it was saved; a carried post still verifies only against its `from`.
import type * as Y from 'yjs';
import {
  MAX_CARRIED_ORIGINS,
  aeadDecrypt,
  concatBytes,
  readThreadInfo,
  sodium,
  utf8,
  verifyThreadPost,
  type Capability,
  type ShownPost,
  type SpaceId,
} from '#shared';
import { newestThreadEntries, shownEntry } from './posts.ts';

/** Posts a preview keeps: one screen. */
export const PREVIEW_POSTS = 50;
/** A record larger than this is not read (50 posts of 20,000 characters fit several times). */
export const MAX_PREVIEW_BYTES = 8 * 1024 * 1024;

const MAGIC = utf8('BPV1');
const NONCE_BYTES = 24;

export interface ThreadPreview {
  title: string;
  /** When the device wrote it (its own clock), in milliseconds. */
  savedAt: number;
  /** Newest last, each marked verified or not, as `newestPosts` shows them. */
  posts: ShownPost[];
}

function previewKey(readKey: Uint8Array): Uint8Array {
  return sodium().crypto_generichash(32, utf8('baton/preview/v1'), readKey);
}

/** Seals the first screen of a thread's plaintext doc. */
export function sealPreview(cap: Capability, doc: Y.Doc, now = Date.now(), origins: ReadonlySet<string> = new Set()): Uint8Array {
  if (!cap.readKey || cap.kind !== 'thread') throw new RangeError('a preview is of a thread, sealed under its read key');
  const posts = newestThreadEntries(doc, PREVIEW_POSTS).map(postFields);
  const body = { v: 1, title: readThreadInfo(doc).title, savedAt: now, posts, ...(origins.size > 0 ? { origins: [...origins] } : {}) };
  const nonce = globalThis.crypto.getRandomValues(new Uint8Array(NONCE_BYTES));
  const sealed = sodium().crypto_aead_xchacha20poly1305_ietf_encrypt(utf8(JSON.stringify(body)), utf8(cap.spaceId), null, nonce, previewKey(cap.readKey));
  return concatBytes(MAGIC, nonce, sealed);
}

/** The preview a record holds, its posts' signatures checked; null if it does not open. */
export function openPreview(cap: Capability, record: Uint8Array): ThreadPreview | null {
  if (!cap.readKey || cap.kind !== 'thread') return null;
  if (record.length < MAGIC.length + NONCE_BYTES || record.length > MAX_PREVIEW_BYTES) return null;
  if (!MAGIC.every((b, i) => record[i] === b)) return null;
  const nonce = record.subarray(MAGIC.length, MAGIC.length + NONCE_BYTES);
  const plain = aeadDecrypt(record.subarray(MAGIC.length + NONCE_BYTES), utf8(cap.spaceId), nonce, previewKey(cap.readKey));
  if (!plain) return null;
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(plain));
  } catch {
    return null;
  }
  // This device wrote the record, with the origins the thread's owner-signed records named then.
  const named = (body as { origins?: unknown } | null)?.origins;
  const origins = new Set(Array.isArray(named) ? named.filter((o): o is string => typeof o === 'string').slice(0, MAX_CARRIED_ORIGINS) : []);
  return readPreviewBody(cap.spaceId, body, PREVIEW_POSTS, origins);
}

/** Only what a post is made of: whatever else a writer put in an entry stays out of the record. */
export function postFields(entry: Record<string, unknown>): Record<string, unknown> {
  const { id, author, name, ts, body, replyTo, attachments, sig, from } = entry;
  // The attachment list (thumbnails included) is signed with the post: it travels with it.
  return { id, author, name, ts, body, ...(replyTo !== undefined ? { replyTo } : {}), ...(attachments !== undefined ? { attachments } : {}), sig, ...(from !== undefined ? { from } : {}) };
}

/**
 * A preview's body as parsed JSON, its newest `max` posts' signatures checked; null if it is not
 * one. `origins`: threads whose carried posts verify here (client/core/carried.ts).
 */
export function readPreviewBody(spaceId: SpaceId, body: unknown, max = PREVIEW_POSTS, origins: ReadonlySet<string> = new Set()): ThreadPreview | null {
  if (typeof body !== 'object' || body === null) return null;
  const b = body as Record<string, unknown>;
  if (b.v !== 1 || typeof b.title !== 'string' || typeof b.savedAt !== 'number' || !Array.isArray(b.posts)) return null;
  const posts: ShownPost[] = [];
  for (const entry of b.posts.slice(-max)) {
    if (typeof entry !== 'object' || entry === null) continue;
    const p = entry as Record<string, unknown>;
    if (typeof p.id !== 'string' || typeof p.body !== 'string' || typeof p.ts !== 'number') continue;
    posts.push(shownEntry(p, verifyThreadPost(spaceId, p, origins)));
  }
  return { title: b.title, savedAt: b.savedAt, posts };
}
