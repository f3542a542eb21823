// Who may move a board without a member: its owners, and its moderators when the owners
// allow it (docs/PROTOCOL.md §6, "Moved boards"), computed from the owner the board's link
// names and the moderation records its doc holds (client/core/authority.ts).
import * as Y from 'yjs';
import { addModRecord, readModRecords, signModRecord, toBase64url, type Identity } from '#shared';
import { computeAuthority, mayRemove, type Authority } from './authority.ts';
import type { Space } from './space.ts';

/** Per board doc: the authority and the doc state it was computed at (every record is a signature check). */
const computed = new WeakMap<Y.Doc, { at: string; owner: string | undefined; authority: Authority }>();

export function boardAuthority(board: Space): Authority | null {
  const doc = board.plain;
  if (!doc || board.cap.kind !== 'board') return null;
  const at = toBase64url(Y.encodeStateVector(doc));
  const known = computed.get(doc);
  if (known && known.at === at && known.owner === board.cap.owner) return known.authority;
  const authority = computeAuthority(board.cap.owner ?? null, readModRecords(doc, board.spaceId));
  computed.set(doc, { at, owner: board.cap.owner, authority });
  return authority;
}

/** Whether a key's move of this board counts: under `authority`, else the one from the link's owner and the doc's records. */
export function removers(board: Space, authority?: Authority): (key: string) => boolean {
  const a = authority ?? boardAuthority(board);
  return a ? (key) => mayRemove(a, key) : () => false;
}

/**
 * The successor's authority, signed by its owner (the mover): every other owner of the old
 * board is added as an owner, its moderators are appointed again and the owners' allowance to
 * remove is repeated; the removed keys are left out. Written into the successor's doc, unsealed.
 */
export function carryAuthority(old: Space, successor: Space, mover: Identity, removed: string[]): void {
  const a = boardAuthority(old);
  const doc = successor.requireWrite();
  if (!a) return;
  const me = successor.cap.owner;
  const skip = (k: string) => removed.includes(k) || k === me;
  doc.transact(() => {
    for (const k of a.owners) if (!skip(k)) addModRecord(doc, signModRecord(mover, successor.spaceId, { kind: 'owner-add', target: k }));
    for (const k of a.moderators) if (!skip(k)) addModRecord(doc, signModRecord(mover, successor.spaceId, { kind: 'appoint', target: k }));
    if (a.moderatorsMayRemove) addModRecord(doc, signModRecord(mover, successor.spaceId, { kind: 'allow-mod-remove', allow: true }));
  });
}

/**
 * The hides in force in the old board, signed again by the mover for the successor: a hidden
 * post stays hidden in the thread that carries it, a hidden key stays hidden. `threads` maps
 * each old thread to the one carrying it. Written into the successor's doc, unsealed.
 */
export function carryHides(old: Space, successor: Space, mover: Identity, threads: ReadonlyMap<string, string>): void {
  const a = boardAuthority(old);
  if (!a) return;
  const doc = successor.requireWrite();
  const reason = (r: string | null) => (r !== null ? { reason: r } : {});
  doc.transact(() => {
    for (const [subject, hide] of a.hiddenPosts) {
      const [thread, post] = subject.split('/');
      const carried = thread ? threads.get(thread) : undefined;
      if (carried && post) addModRecord(doc, signModRecord(mover, successor.spaceId, { kind: 'hide', thread: carried, post, ...reason(hide.reason) }));
    }
    for (const [key, hide] of a.hiddenKeys) addModRecord(doc, signModRecord(mover, successor.spaceId, { kind: 'hide-key', target: key, ...reason(hide.reason) }));
  });
}
