// The thread doc (docs/PROTOCOL.md §6): title, posts and the story-so-far summary.
import * as Y from 'yjs';
import type { SpaceId } from '../ids.ts';
import { clampTitle } from './board.ts';
import { cleanAttachment, type Attachment } from './attachment.ts';
import { verifyPost, type Post } from './post.ts';

export interface ThreadInfo {
  title: string;
  createdAt: number;
  boardId: string;
}

export interface ShownPost {
  id: string;
  author: string;
  name: string;
  ts: number;
  body: string;
  replyTo: string | null;
  /** The files a verified post carries (none for an unverified one: its list is not trusted). */
  attachments: readonly Attachment[];
  /** False: the signature failed; show it as unverified, never as its claimed author. */
  verified: boolean;
}

export const threadMap = (doc: Y.Doc) => doc.getMap<unknown>('thread');
export const postsMap = (doc: Y.Doc) => doc.getMap<unknown>('posts');
export const summaryText = (doc: Y.Doc) => doc.getText('summary');

export function initThreadDoc(doc: Y.Doc, info: ThreadInfo): void {
  doc.transact(() => {
    threadMap(doc).set('title', clampTitle(info.title));
    threadMap(doc).set('createdAt', info.createdAt);
    threadMap(doc).set('boardId', info.boardId);
  });
}

export function readThreadInfo(doc: Y.Doc): ThreadInfo {
  const m = threadMap(doc);
  const title = m.get('title');
  const createdAt = m.get('createdAt');
  const boardId = m.get('boardId');
  return {
    title: typeof title === 'string' ? title : '',
    createdAt: typeof createdAt === 'number' ? createdAt : 0,
    boardId: typeof boardId === 'string' ? boardId : '',
  };
}

export function addPost(doc: Y.Doc, post: Post): void {
  postsMap(doc).set(post.id, post);
}

/** All posts, oldest first, each marked verified or not. Entries that are not posts at all are skipped. */
export function listPosts(doc: Y.Doc, threadSpaceId: SpaceId): ShownPost[] {
  const shown: ShownPost[] = [];
  postsMap(doc).forEach((value, key) => {
    if (typeof value !== 'object' || value === null) return;
    const p = value as Record<string, unknown>;
    if (p.id !== key || typeof p.body !== 'string' || typeof p.ts !== 'number') return;
    const verified = verifyPost(threadSpaceId, p);
    shown.push({
      id: key,
      author: typeof p.author === 'string' ? p.author : '',
      name: typeof p.name === 'string' ? p.name.replace(/[\r\n]/g, ' ') : '',
      ts: p.ts,
      body: p.body,
      replyTo: typeof p.replyTo === 'string' ? p.replyTo : null,
      attachments: shownAttachments(p, verified),
      verified,
    });
  });
  return shown.sort((a, b) => a.ts - b.ts || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** A verified post's attachment list as shown: plain copies, frozen; none otherwise. */
export function shownAttachments(p: Record<string, unknown>, verified: boolean): readonly Attachment[] {
  if (!verified || !Array.isArray(p.attachments)) return Object.freeze([]);
  return Object.freeze((p.attachments as Attachment[]).map((a) => Object.freeze(cleanAttachment(a))));
}
