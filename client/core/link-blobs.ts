// Link blobs (docs/PROTOCOL.md §2, §3): a board names each of its threads (and a moved board
// its successor, as a move link), a thread each of its files, by the child's write public key
// in clear, so blind mirrors can follow them. One place reads a link's child and one seals
// links, for every epoch a space writes into.
import type * as Y from 'yjs';
import {
  HEADER_LENGTH,
  LINK_BODY_LENGTH,
  isSpaceId,
  movedMap,
  publicKeyFromSpaceId,
  sealLinkBlob,
  spaceIdFromPublicKey,
  type RoomKey,
  type Sealer,
  type Capability,
  type SpaceId,
} from '#shared';
import { revisePosts } from './own-words.ts';
import { listThreadPosts } from './posts.ts';

/** The child a link blob names: its body, the child space's write public key (a copy). */
export function linkChild(blob: Uint8Array): Uint8Array {
  return blob.slice(HEADER_LENGTH, HEADER_LENGTH + LINK_BODY_LENGTH);
}

/** The child space a link blob names. */
export function linkChildId(blob: Uint8Array): SpaceId {
  return spaceIdFromPublicKey(linkChild(blob));
}

/**
 * Sealers of one link blob per child (a space id or a write public key), under a room's write
 * key; children in `moves` are successor boards, sealed as move links.
 */
export function linkSealers(key: RoomKey & { writeSecret: Uint8Array }, children: Iterable<SpaceId | Uint8Array>, moves: ReadonlySet<SpaceId> = new Set()): Sealer[] {
  const sealers: Sealer[] = [];
  for (const child of children) {
    const pub = typeof child === 'string' ? publicKeyFromSpaceId(child) : child;
    if (!pub) continue;
    const move = moves.has(typeof child === 'string' ? child : spaceIdFromPublicKey(child));
    sealers.push((pos) => sealLinkBlob(key, pub, pos, undefined, move));
  }
  return sealers;
}

/** The successors a board's move records name: their links are move links in every epoch. */
export function movedTo(cap: Capability, plain: Y.Doc | null): Set<SpaceId> {
  const out = new Set<SpaceId>();
  if (cap.kind !== 'board' || !plain) return out;
  for (const value of movedMap(plain).values()) {
    const to = (value as { to?: unknown } | null)?.to;
    if (isSpaceId(to)) out.add(to as SpaceId);
  }
  return out;
}

/**
 * The children a new epoch links (docs/PROTOCOL.md §3, epochs): all of a board's threads; of
 * a thread, only the files a verified post not deleted by its author still names, so a
 * deleted post's files are not carried into the new epoch (nor found there by mirrors).
 */
export function childrenToCarry(cap: Capability, plain: Y.Doc | null, children: Iterable<SpaceId>): SpaceId[] {
  if (cap.kind !== 'thread' || !plain) return [...children];
  const named = new Set<string>();
  for (const p of revisePosts(plain, cap.spaceId, listThreadPosts(plain, cap.spaceId))) for (const a of p.attachments) named.add(a.space);
  return [...children].filter((child) => named.has(child));
}
