// The boards API: boards, threads, posts, summaries and relays, over open spaces.
import {
  THREAD_NONCE_LENGTH,
  addBoardRelay,
  removeBoardRelay,
  addPost,
  addThreadEntry,
  appendSealed,
  createSpace,
  deriveThreadCapability,
  formatCapability,
  fromBase64url,
  initBoardDoc,
  initThreadDoc,
  isPostId,
  listThreadEntries,
  normaliseRelayUrl,
  postsMap,
  readBoardInfo,
  readThreadInfo,
  revisionsMap,
  signPost,
  signRevision,
  deletePostText,
  sodium,
  summaryText,
  toBase64url,
  withRelays,
  type Attachment,
  type BoardThread,
  type Capability,
  type ShownPost,
  type SpaceId,
} from '#shared';
import type { BatonClient } from './client.ts';
import type { Written } from './delivery.ts';
import { ClientError } from './errors.ts';
import { linkSealers } from './link-blobs.ts';
import { LOCAL_BLOB } from './origins.ts';
import { threadOrigins } from './carried.ts';
import { PostWatch, revisePosts, type RevisedPost } from './own-words.ts';
import { listThreadPosts, newestThreadPosts } from './posts.ts';
import { diffSplice } from './splice.ts';
import type { Space } from './space.ts';

export interface Capabilities {
  write: string;
  read: string;
  mirror: string;
}

export function capabilitiesOf(space: Space, extraRelays: string[] = []): Capabilities {
  return linksOf(withRelays(space.cap, extraRelays));
}

/** The three links of a capability (a moved board's successor, before it is open). */
export function linksOf(cap: Capability): Capabilities {
  return {
    write: formatCapability(cap, 'write'),
    read: formatCapability(cap, 'read'),
    mirror: formatCapability(cap, 'mirror'),
  };
}

export async function createBoard(client: BatonClient, o: { title: string; relays: string[] }): Promise<{ board: Space; caps: Capabilities }> {
  const relays = o.relays.map(normaliseRelayUrl);
  // The creator owns the board: its identity key travels in every link (docs/PROTOCOL.md §1).
  const board = await client.open(createSpace('board', relays, toBase64url(client.identity.publicKey)));
  const doc = board.requireWrite();
  doc.transact(() => {
    initBoardDoc(doc, { title: o.title, createdAt: Date.now() });
    for (const r of relays) addBoardRelay(doc, r, { boardSpaceId: board.spaceId, identity: client.identity });
  });
  board.flush();
  return { board, caps: capabilitiesOf(board) };
}

export interface NewThread {
  thread: Space;
  id: SpaceId;
  caps: Capabilities;
  postId: string | null;
}

/** A new thread of a board: derived keys, an entry in the board's map, and a link blob. */
export async function createThread(client: BatonClient, board: Space, o: { title: string; body?: string }): Promise<NewThread> {
  const boardDoc = board.requireWrite();
  const nonce = sodium().randombytes_buf(THREAD_NONCE_LENGTH);
  // The thread syncs with every relay the board does.
  const cap = withRelays(deriveThreadCapability(board.cap, nonce), board.relays());
  const thread = await client.open(cap);
  const threadDoc = thread.requireWrite();
  const createdAt = Date.now();
  initThreadDoc(threadDoc, { title: o.title, createdAt, boardId: board.spaceId });
  const postId = o.body !== undefined && o.body !== '' ? writePost(client, thread, { body: o.body }) : null;
  thread.flush();
  addThreadEntry(boardDoc, cap.spaceId, { nonce: toBase64url(nonce), title: o.title, createdAt, author: toBase64url(client.identity.publicKey) });
  board.flush();
  appendLink(board, cap.writePub);
  return { thread, id: cap.spaceId, caps: capabilitiesOf(thread), postId };
}

/** Link blobs are local writes like any other: the space tracks them by their origin. */
function appendLink(board: Space, childWritePub: Uint8Array): void {
  const write = board.cap.write!;
  appendSealed(board.envelope, linkSealers({ ...board.key, writeSecret: write.secretKey }, [childWritePub]), LOCAL_BLOB);
}

/** Opens one of a board's threads by its id, with the board's access (read or write). */
export async function openThread(client: BatonClient, board: Space, threadId: string): Promise<Space> {
  return client.open(threadCapability(board, threadId));
}

/** The capability of a thread the board lists, at the board's access level, with its relays. */
export function threadCapability(board: Space, threadId: string): Capability {
  const entry = listThreads(board).find((t) => t.id === threadId);
  if (!entry) throw new ClientError('not-found', `no thread ${threadId.slice(0, 43)} in this board`);
  const nonce = fromBase64url(entry.nonce)!;
  return withRelays(deriveThreadCapability(board.cap, nonce, entry.id), board.relays());
}

export function listThreads(board: Space): BoardThread[] {
  return listThreadEntries(board.requireRead());
}

export function boardTitle(board: Space): string {
  return readBoardInfo(board.requireRead()).title;
}

export function threadTitle(thread: Space): string {
  return readThreadInfo(thread.requireRead()).title;
}

export function threadSummary(thread: Space): string {
  return summaryText(thread.requireRead()).toString();
}

/** All posts, oldest first, each marked verified or not (each signature checked once per process). */
export function posts(thread: Space): ShownPost[] {
  return listThreadPosts(thread.requireRead(), thread.spaceId, threadOrigins(thread));
}

/** The newest `n` posts, oldest first, checking only their signatures: a large thread opens fast. */
export function newestPosts(thread: Space, n: number): ShownPost[] {
  return newestThreadPosts(thread.requireRead(), thread.spaceId, n, threadOrigins(thread));
}

export interface PostInput {
  body: string;
  replyTo?: string;
  /** Files already sealed into their spaces (attachments.ts, sealFiles). */
  attachments?: Attachment[];
}

function writePost(client: BatonClient, thread: Space, o: PostInput): string {
  const doc = thread.requireWrite();
  if (o.replyTo !== undefined && !isPostId(o.replyTo)) throw new ClientError('bad-input', 'a reply names a post id (22 characters)');
  let post;
  try {
    post = signPost(client.identity, {
      threadSpaceId: thread.spaceId,
      name: client.name,
      body: o.body,
      ...(o.replyTo !== undefined ? { replyTo: o.replyTo } : {}),
      ...(o.attachments !== undefined ? { attachments: o.attachments } : {}),
    });
  } catch (err) {
    throw new ClientError('bad-input', (err as Error).message);
  }
  addPost(doc, post);
  return post.id;
}

/** A post written: its id, and the blobs it was sealed into (for Space.whenDelivered and confirmedBy). */
export interface Posted {
  id: string;
  written: Written;
}

/** Posts to a thread; the post is sealed at once, into one blob unless it is very large. */
export function post(client: BatonClient, thread: Space, o: PostInput): Posted {
  const id = writePost(client, thread, o);
  return { id, written: thread.flush() };
}

/** Whether a post id is in a thread (for replies). */
export function hasPost(thread: Space, id: string): boolean {
  return postsMap(thread.requireRead()).has(id);
}

/** Posts as their authors last left them: deleted ones without text, edited ones with history (client/core/own-words.ts). */
export function revisedPosts(thread: Space, watch?: PostWatch): RevisedPost[] {
  const doc = thread.requireRead();
  const origins = threadOrigins(thread);
  return revisePosts(doc, thread.spaceId, listThreadPosts(doc, thread.spaceId, origins), watch, origins);
}

/** One of this identity's own posts, as it stands: refuses another's post, or one deleted already. */
function ownPost(client: BatonClient, thread: Space, postId: string): RevisedPost {
  if (!isPostId(postId)) throw new ClientError('bad-input', 'a post id is 22 characters');
  const found = revisedPosts(thread).find((p) => p.id === postId);
  if (!found) throw new ClientError('not-found', `no post ${postId} in this thread`);
  if (!found.verified || found.author !== toBase64url(client.identity.publicKey)) throw new ClientError('bad-input', 'only its author can delete or edit a post', 'not-author');
  if (found.deleted) throw new ClientError('bad-input', 'this post is deleted already', 'post-deleted');
  return found;
}

/**
 * Deletes one of this identity's posts: a signed delete record, and the post's text taken out
 * of the doc, so no later snapshot carries it (older epochs and other devices' copies keep it).
 */
export function deletePost(client: BatonClient, thread: Space, postId: string): Written {
  const doc = thread.requireWrite();
  const post = ownPost(client, thread, postId);
  deletePostText(doc, signRevision(client.identity, thread.spaceId, { post: postId, kind: 'delete' }), post);
  return thread.flush();
}

/** Replaces the text of one of this identity's posts; readers show it marked edited, with the earlier text. */
export function editPost(client: BatonClient, thread: Space, postId: string, body: string): Written {
  const doc = thread.requireWrite();
  const post = ownPost(client, thread, postId);
  if (body === post.body) throw new ClientError('bad-input', 'the new text is the same as the old', 'unchanged');
  let revision;
  try {
    revision = signRevision(client.identity, thread.spaceId, { post: postId, kind: 'edit', body });
  } catch (err) {
    throw new ClientError('bad-input', (err as Error).message);
  }
  revisionsMap(doc).set(revision.id, revision);
  return thread.flush();
}

/** Rewrites the summary with the smallest edit, so concurrent edits elsewhere survive. */
export function editSummary(thread: Space, text: string): void {
  const doc = thread.requireWrite();
  const summary = summaryText(doc);
  const splice = diffSplice(summary.toString(), text);
  if (!splice) return;
  doc.transact(() => {
    summary.delete(splice.index, splice.remove);
    summary.insert(splice.index, splice.insert);
  });
  thread.flush();
}

/**
 * Adds a relay to the board's relay map, signed by this device's identity (every member then
 * may sync with it, within their own limits) and connects to it.
 */
export function addRelay(board: Space, url: string): string {
  const relay = normaliseRelayUrl(url);
  const doc = board.requireWrite();
  addBoardRelay(doc, relay, { boardSpaceId: board.spaceId, identity: board.identity });
  board.flush();
  board.connect([relay]);
  return relay;
}

/**
 * Removes a relay from the board's relay map with a removal signed by this device's identity
 * (docs/PROTOCOL.md §6): members stop dialling it unless they added it themselves. False when
 * the list does not name it (or it is removed already).
 */
export function removeRelay(board: Space, url: string): boolean {
  const relay = normaliseRelayUrl(url);
  const doc = board.requireWrite();
  if (!removeBoardRelay(doc, relay, { boardSpaceId: board.spaceId, identity: board.identity })) return false;
  board.flush();
  return true;
}
