// The owner of a board as this device first saw it (docs/PROTOCOL.md §1, "Owner"). Any writer
// can re-share a board's link naming itself as owner; a device keeps the owner of the first
// link it opened and flags a later link that names another.
import { isOwnerKey } from '#shared';
import type { DeviceMemory } from './device-memory.ts';

export interface OwnerCheck {
  /** The owner this device goes by: the one it saw first (null: none known). */
  owner: string | null;
  /** The link names another owner than the one remembered. */
  conflict: boolean;
  /** The owner the link named, when it differs. */
  linkOwner: string | null;
}

const scope = (boardId: string) => `owner:${boardId}`;

/** Checks a link's owner against the one remembered for the board, remembering it if none was. */
export function checkOwner(memory: DeviceMemory, boardId: string, linkOwner: string | undefined | null): OwnerCheck {
  const stored = memory.load(scope(boardId));
  const remembered = isOwnerKey(stored) ? stored : null;
  const named = isOwnerKey(linkOwner) ? linkOwner : null;
  if (remembered === null) {
    if (named !== null) memory.save(scope(boardId), named);
    return { owner: named, conflict: false, linkOwner: null };
  }
  if (named !== null && named !== remembered) return { owner: remembered, conflict: true, linkOwner: named };
  return { owner: remembered, conflict: false, linkOwner: null };
}

/** Forgets the remembered owner: the user chose to trust the owner of another link. */
export function trustOwner(memory: DeviceMemory, boardId: string, owner: string): void {
  if (!isOwnerKey(owner)) throw new RangeError('an owner is an identity public key');
  memory.save(scope(boardId), owner);
}
