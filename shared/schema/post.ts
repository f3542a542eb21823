// Posts: signed by the author's identity key, so the shared write key never decides who
// wrote what (docs/PROTOCOL.md §6).
import { fromBase64url, toBase64url, utf8 } from '../bytes.ts';
import type { Identity } from '../identity.ts';
import { sodium, verifySignature } from '../sodium.ts';
import { cleanAttachment, type Attachment } from './attachment.ts';

export { checkPostFields, isPostId, postSigningText, type Post } from './post-fields.ts';
import { checkPostFields, postSigningText, type Post } from './post-fields.ts';

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
