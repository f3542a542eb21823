// Removing a member (docs/PROTOCOL.md §6, "Moved boards"): an owner or allowed moderator makes
// a successor board with new keys, carries every thread's current content into it (posts keep
// their signatures, named by `from`), and leaves in the old board a signed move record with
// the successor's write keys sealed to every other member who posted, and a link blob naming
// the successor so blind mirrors follow it.
import {
  MAX_INVITES,
  MAX_MOVE_RELAYS,
  THREAD_NONCE_LENGTH,
  addBoardRelay,
  addCarriedRecord,
  addMoveRecord,
  addThreadEntry,
  appendSealed,
  capabilityFromSeeds,
  deriveThreadCapability,
  fromBase64url,
  initBoardDoc,
  initThreadDoc,
  listBoardRelays,
  postsMap,
  readBoardInfo,
  readRevisions,
  revisionsMap,
  readThreadInfo,
  signCarried,
  signMove,
  sodium,
  summaryText,
  toBase64url,
  withRelays,
  type Capability,
  type MoveRecord,
  type SpaceId,
} from '#shared';
import type * as Y from 'yjs';
import { capabilitiesOf, listThreads, openThread, revisedPosts, type Capabilities } from './boards.ts';
import { threadOrigins } from './carried.ts';
import type { BatonClient } from './client.ts';
import { ClientError } from './errors.ts';
import { linkSealers } from './link-blobs.ts';
import { carryAuthority, carryHides, removers } from './move-authority.ts';
import { moveState, type MoveContext } from './moved.ts';
import { LOCAL_BLOB } from './origins.ts';
import type { Space } from './space.ts';

/** Posts carried per transaction: each transaction is one blob, which has a size limit. */
const CARRY_BATCH_BYTES = 96 * 1024;

export interface Removal {
  successor: Space;
  /** The successor's links, to hand to read-only members (they get no invite). */
  caps: Capabilities;
  move: MoveRecord;
  /** Identity keys invited (everyone who posted, but the removed). */
  invited: string[];
  threads: number;
  posts: number;
}

export function isIdentityKeyText(text: string): boolean {
  return typeof text === 'string' && text.length === 43 && fromBase64url(text)?.length === 32;
}

/**
 * Moves `board` to a successor without `member`. The board's threads are opened and synced
 * first (within `timeoutMs` each), so the successor carries what the relays hold.
 */
export async function removeMember(client: BatonClient, board: Space, member: string, o: { timeoutMs?: number } & MoveContext = {}): Promise<Removal> {
  if (board.cap.kind !== 'board') throw new ClientError('bad-input', 'members are removed from a board, not a thread');
  const boardDoc = board.requireWrite();
  if (!isIdentityKeyText(member)) throw new ClientError('bad-input', 'a member is named by an identity key (43 characters of base64url)');
  const me = toBase64url(client.identity.publicKey);
  if (member === me) throw new ClientError('bad-input', 'you cannot remove your own key (another owner or a moderator can)', 'remove-self');
  if (!removers(board, o.authority)(me)) throw new ClientError('forbidden', 'only an owner of this board, or a moderator the owners allowed, can remove a member');
  const state = moveState(board, o);
  if (state.moved) throw new ClientError('moved', `this board already moved (to ${state.to})`);

  const entries = listThreads(board);
  const olds = await Promise.all(entries.map((e) => openThread(client, board, e.id)));
  await Promise.allSettled(olds.map((t) => t.whenSynced({ timeoutMs: o.timeoutMs ?? 10_000 })));
  // What the authors left, thread by thread: posts they deleted stay behind, but their keys are
  // still members who posted. Counted before anything is written, so a move too large to sign fails whole.
  const revised = olds.map((old) => revisedPosts(old).filter((p) => p.verified && !p.tampered));
  const authors = new Set<string>([me, ...revised.flatMap((list) => list.map((p) => p.author))]);
  authors.delete(member);
  if (authors.size > MAX_INVITES) throw new ClientError('bad-input', `a move invites at most ${MAX_INVITES} members who posted; this board has ${authors.size}`);

  const relays = [...new Set([...board.cap.relays, ...listBoardRelays(boardDoc)])].slice(0, MAX_MOVE_RELAYS);
  const s = sodium();
  // The mover owns the successor: it signs the records that carry posts and authority into it.
  const successorCap: Capability = capabilityFromSeeds('board', s.randombytes_buf(32), s.randombytes_buf(32), relays, me);
  const successor = await client.open(successorCap);
  const newDoc = successor.requireWrite();
  const info = readBoardInfo(boardDoc);
  newDoc.transact(() => {
    initBoardDoc(newDoc, { title: info.title, createdAt: info.createdAt || Date.now() });
    for (const r of relays) addBoardRelay(newDoc, r, { boardSpaceId: successor.spaceId, identity: client.identity });
  });
  carryAuthority(board, successor, client.identity, [member]);
  successor.flush();

  const carriedThreads = new Map<string, string>();
  let carried = 0;
  for (let i = 0; i < olds.length; i++) {
    const old = olds[i]!;
    const entry = entries[i]!;
    if (!old.plain) continue;
    const nonce = s.randombytes_buf(THREAD_NONCE_LENGTH);
    const cap = withRelays(deriveThreadCapability(successor.cap, nonce), relays);
    const thread = await client.open(cap);
    const doc = thread.requireWrite();
    const tInfo = readThreadInfo(old.plain);
    doc.transact(() => {
      initThreadDoc(doc, { title: tInfo.title || entry.title, createdAt: tInfo.createdAt || entry.createdAt, boardId: successor.spaceId });
      addCarriedRecord(doc, signCarried(cap.spaceId, client.identity, [old.spaceId, ...threadOrigins(old)]));
      summaryText(doc).insert(0, summaryText(old.plain!).toString());
    });
    thread.flush();
    // Edited posts come with their authors' edits.
    const kept = revised[i]!.filter((p) => !p.deleted);
    carried += carryPosts(old, doc, thread, kept.map((p) => p.id));
    carryEdits(old, doc, thread, new Set(kept.map((p) => p.id)));
    carriedThreads.set(old.spaceId, cap.spaceId);
    addThreadEntry(newDoc, cap.spaceId, { nonce: toBase64url(nonce), title: entry.title, createdAt: entry.createdAt, author: entry.author });
    successor.flush();
    appendLinks(successor, [cap.spaceId]);
  }

  carryHides(board, successor, client.identity, carriedThreads);
  successor.flush();

  const record = signMove(board.spaceId, client.identity, { successor: successorCap, removed: [member], members: authors });
  addMoveRecord(boardDoc, record);
  board.flush();
  // A move link: mirrors of the old board follow the successor as a board (docs/PROTOCOL.md §2).
  appendLinks(board, [successor.spaceId], new Set([successor.spaceId]));
  return { successor, caps: capabilitiesOf(successor), move: record, invited: Object.keys(record.invites), threads: olds.length, posts: carried };
}

/** Copies verified posts as the doc holds them, each naming the thread it was signed for. */
function carryPosts(old: Space, doc: Y.Doc, thread: Space, ids: string[]): number {
  const from = postsMap(old.plain!);
  const target = postsMap(doc);
  let batch: Record<string, unknown>[] = [];
  let size = 0;
  const write = () => {
    if (batch.length === 0) return;
    const items = batch;
    doc.transact(() => {
      for (const p of items) target.set(p.id as string, p);
    });
    thread.flush();
    batch = [];
    size = 0;
  };
  for (const id of ids) {
    const e = from.get(id) as Record<string, unknown>;
    const post: Record<string, unknown> = { id: e.id, author: e.author, name: e.name, ts: e.ts, body: e.body, sig: e.sig, from: typeof e.from === 'string' ? e.from : old.spaceId };
    if (typeof e.replyTo === 'string') post.replyTo = e.replyTo;
    const bytes = 400 + 3 * ((e.body as string).length + (e.name as string).length);
    if (size + bytes > CARRY_BATCH_BYTES) write();
    batch.push(post);
    size += bytes;
  }
  write();
  return ids.length;
}

/** The authors' own edits of carried posts, each naming the thread it was signed for. */
function carryEdits(old: Space, doc: Y.Doc, thread: Space, ids: ReadonlySet<string>): void {
  const revisions = readRevisions(old.plain!, old.spaceId, threadOrigins(old));
  const edits = [...revisions.entries()].filter(([post]) => ids.has(post)).flatMap(([, list]) => list.filter((r) => r.kind === 'edit'));
  if (edits.length === 0) return;
  doc.transact(() => {
    for (const r of edits) revisionsMap(doc).set(r.id, { ...r, from: r.from ?? old.spaceId });
  });
  thread.flush();
}

function appendLinks(board: Space, children: SpaceId[], moves?: ReadonlySet<SpaceId>): void {
  const write = board.cap.write!;
  appendSealed(board.envelope, linkSealers({ ...board.key, writeSecret: write.secretKey }, children, moves), LOCAL_BLOB);
}
