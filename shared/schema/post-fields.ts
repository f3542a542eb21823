// What a post is made of and the text its author signs (docs/PROTOCOL.md §6), apart from
// signing and checking, so that code without libsodium (the web page's first script, which
// checks signatures with WebCrypto) reads posts by the same rules.
import { fromBase64url } from '../bytes.ts';
import { MAX_NAME_CHARS, MAX_POST_BODY_CHARS } from '../limits.ts';
import { attachmentsSigningLine, checkAttachments, type Attachment } from './attachment.ts';

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
  /** A post carried into a successor board: the thread it was written (and signed) in. */
  from?: string;
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
