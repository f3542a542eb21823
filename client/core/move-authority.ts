// Who may move a board without a member: its owners, and its moderators when the owners
// allow it (docs/PROTOCOL.md §6, "Moved boards"), computed from the owner the board's link
// names and the moderation records its doc holds (client/core/authority.ts).
import { addModRecord, readModRecords, signModRecord, type Identity } from '#shared';
import { computeAuthority, type Authority } from './authority.ts';
import type { Space } from './space.ts';

export function boardAuthority(board: Space): Authority | null {
  if (!board.plain || board.cap.kind !== 'board') return null;
  return computeAuthority(board.cap.owner ?? null, readModRecords(board.plain, board.spaceId));
}

/** Whether a key's move of this board counts. */
export function mayRemove(board: Space): (key: string) => boolean {
  const a = boardAuthority(board);
  if (!a) return () => false;
  return (key) => a.owners.includes(key) || (a.moderatorsMayRemove && a.moderators.includes(key));
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
