// Posts: signed by the author's identity key, so the shared write key never decides who
// wrote what (docs/PROTOCOL.md §6).
import { fromBase64url, toBase64url, utf8 } from '../bytes.ts';
import type { Identity } from '../identity.ts';
import { MAX_NAME_CHARS, MAX_POST_BODY_CHARS } from '../limits.ts';
import { sodium, verifySignature } from '../sodium.ts';
import { attachmentsSigningLine, checkAttachments, cleanAttachment, type Attachment } from './attachment.ts';

export interface Post {
  id: string; // 16 random bytes, base64url
  author: string; // Ed25519 identity public key, base64url
  name: string;
  ts: number; // milliseconds since the epoch
  body: string;
  replyTo?: string;
  /** Files the post carries (docs/PROTOCOL.md §6, "Attachments"); absent when none. */
  attachments?: Attachment[];
  sig: string; // base64url Ed25519 signature
}

export interface PostDraft {
  threadSpaceId: string;
  name: string;
  body: string;
  replyTo?: string;
  attachments?: Attachment[];
  ts?: number;
  id?: string;
}

export class PostError extends Error {
  override name = 'PostError';
}

/**
 * The text a post signature covers. A post without attachments signs version 1; one with
 * attachments signs version 2, which adds the attachment list as one line before the body,
 * so the list can be neither stripped nor added without breaking the signature.
 */
export function postSigningText(threadSpaceId: string, p: Omit<Post, 'author' | 'sig'>): string {
  const head = `${threadSpaceId}\n${p.id}\n${p.ts}\n${p.replyTo ?? ''}\n${p.name}\n`;
  if (p.attachments === undefined) return `baton/post/v1\n${head}${p.body}`;
  return `baton/post/v2\n${head}${attachmentsSigningLine(p.attachments)}\n${p.body}`;
}

/** Checks a draft like a reader would, so nobody publishes a post that others reject. */
export function checkPostFields(p: { name: unknown; body: unknown; ts: unknown; id: unknown; replyTo?: unknown; attachments?: unknown }): string | null {
  if (typeof p.name !== 'string' || p.name.length > MAX_NAME_CHARS || /[\r\n]/.test(p.name)) return `a name is at most ${MAX_NAME_CHARS} characters, on one line`;
  if (typeof p.body !== 'string' || p.body.length > MAX_POST_BODY_CHARS) return `a post body is at most ${MAX_POST_BODY_CHARS} characters`;
  if (typeof p.ts !== 'number' || !Number.isSafeInteger(p.ts) || p.ts < 0) return 'a post time is a whole number of milliseconds';
  if (!isPostId(p.id)) return 'a post id is 16 bytes of base64url';
  if (p.replyTo !== undefined && !isPostId(p.replyTo)) return 'replyTo must be a post id';
  if (p.attachments !== undefined) return checkAttachments(p.attachments);
  return null;
}

export function isPostId(value: unknown): value is string {
  if (typeof value !== 'string' || value.length !== 22) return false;
  const bytes = fromBase64url(value);
  return bytes !== null && bytes.length === 16;
}

export function newPostId(): string {
  return toBase64url(sodium().randombytes_buf(16));
}

export function signPost(identity: Identity, draft: PostDraft): Post {
  const fields = {
    id: draft.id ?? newPostId(),
    name: draft.name,
    ts: draft.ts ?? Date.now(),
    body: draft.body,
    ...(draft.replyTo !== undefined ? { replyTo: draft.replyTo } : {}),
    ...(draft.attachments !== undefined && draft.attachments.length > 0 ? { attachments: draft.attachments.map(cleanAttachment) } : {}),
  };
  const problem = checkPostFields(fields);
  if (problem) throw new PostError(problem);
  const sig = sodium().crypto_sign_detached(utf8(postSigningText(draft.threadSpaceId, fields)), identity.secretKey);
  return { ...fields, author: toBase64url(identity.publicKey), sig: toBase64url(sig) };
}

/** True only for a well-formed post whose signature verifies for this thread. */
export function verifyPost(threadSpaceId: string, post: unknown): post is Post {
  if (typeof post !== 'object' || post === null) return false;
  const p = post as Record<string, unknown>;
  if (checkPostFields(p as Parameters<typeof checkPostFields>[0]) !== null) return false;
  if (typeof p.author !== 'string' || typeof p.sig !== 'string') return false;
  const author = fromBase64url(p.author);
  const sig = fromBase64url(p.sig);
  if (!author || author.length !== 32 || !sig || sig.length !== 64) return false;
  const text = postSigningText(threadSpaceId, p as unknown as Post);
  return verifySignature(sig, utf8(text), author);
}
