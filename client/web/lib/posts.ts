// A thread's posts for display, verified once each: Yjs hands back the same object for an
// entry until it is replaced, so a signature is checked again only when its post changes.
// (listPosts in shared/ checks every post on every call; a thread with thousands of posts
// would stall on each incoming one.)
import type * as Y from 'yjs';
import { MAX_NAME_CHARS, MAX_POST_BODY_CHARS, postsMap, verifyPost, type ShownPost, type SpaceId } from '../../../shared/index.ts';

export class PostCache {
  private readonly seen = new WeakMap<object, ShownPost | null>();

  list(doc: Y.Doc, threadSpaceId: SpaceId): ShownPost[] {
    const shown: ShownPost[] = [];
    postsMap(doc).forEach((value, key) => {
      if (typeof value !== 'object' || value === null) return;
      let post = this.seen.get(value);
      if (post === undefined) {
        post = toShown(key, value as Record<string, unknown>, threadSpaceId);
        this.seen.set(value, post);
      }
      if (post && post.id === key) shown.push(post);
    });
    return shown.sort((a, b) => a.ts - b.ts || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
}

function toShown(key: string, p: Record<string, unknown>, threadSpaceId: SpaceId): ShownPost | null {
  if (p.id !== key || typeof p.body !== 'string' || typeof p.ts !== 'number') return null;
  const verified = verifyPost(threadSpaceId, p);
  // A verified post is within the limits already; an unverified one is cut to them for display.
  return {
    id: key,
    author: typeof p.author === 'string' ? p.author.slice(0, 64) : '',
    name: typeof p.name === 'string' ? p.name.replace(/[\r\n]/g, ' ').slice(0, MAX_NAME_CHARS) : '',
    ts: p.ts,
    body: verified ? p.body : p.body.slice(0, MAX_POST_BODY_CHARS),
    replyTo: typeof p.replyTo === 'string' ? p.replyTo : null,
    verified,
  };
}
