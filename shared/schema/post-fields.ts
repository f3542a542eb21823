// What a post is made of and the text its author signs (docs/PROTOCOL.md §6), apart from
// signing and checking, so that code without libsodium (the web page's first script, which
// checks signatures with WebCrypto) reads posts by the same rules.
import { fromBase64url } from '../bytes.ts';
import { MAX_NAME_CHARS, MAX_POST_BODY_CHARS } from '../limits.ts';

export interface Post {
  id: string; // 16 random bytes, base64url
  author: string; // Ed25519 identity public key, base64url
  name: string;
  ts: number; // milliseconds since the epoch
  body: string;
  replyTo?: string;
  sig: string; // base64url Ed25519 signature
  /** A post carried into a successor board: the thread it was written (and signed) in. */
  from?: string;
}

export function postSigningText(threadSpaceId: string, p: Omit<Post, 'author' | 'sig'>): string {
  return `baton/post/v1\n${threadSpaceId}\n${p.id}\n${p.ts}\n${p.replyTo ?? ''}\n${p.name}\n${p.body}`;
}

/** Checks a draft like a reader would, so nobody publishes a post that others reject. */
export function checkPostFields(p: { name: unknown; body: unknown; ts: unknown; id: unknown; replyTo?: unknown }): string | null {
  if (typeof p.name !== 'string' || p.name.length > MAX_NAME_CHARS || /[\r\n]/.test(p.name)) return `a name is at most ${MAX_NAME_CHARS} characters, on one line`;
  if (typeof p.body !== 'string' || p.body.length > MAX_POST_BODY_CHARS) return `a post body is at most ${MAX_POST_BODY_CHARS} characters`;
  if (typeof p.ts !== 'number' || !Number.isSafeInteger(p.ts) || p.ts < 0) return 'a post time is a whole number of milliseconds';
  if (!isPostId(p.id)) return 'a post id is 16 bytes of base64url';
  if (p.replyTo !== undefined && !isPostId(p.replyTo)) return 'replyTo must be a post id';
  return null;
}

export function isPostId(value: unknown): value is string {
  if (typeof value !== 'string' || value.length !== 22) return false;
  const bytes = fromBase64url(value);
  return bytes !== null && bytes.length === 16;
}
