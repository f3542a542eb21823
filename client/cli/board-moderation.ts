// A board's moderation as this device sees it: the owner it remembers (client/core/owner-book.ts)
// and the authority the board's records give (client/core/authority.ts).
import { ModerationBook, checkOwner, type Authority, type DeviceMemory, type OwnerCheck, type Space } from '#client-core';
import { say, str } from './l10n.ts';
import { note } from './output.ts';

export interface BoardModeration {
  owner: OwnerCheck;
  authority: Authority;
}

/** `memory`: the device's (client/node's deviceStoresOf), sealed when its data directory is locked. */
export function boardModeration(memory: DeviceMemory, board: Space): BoardModeration {
  const owner = checkOwner(memory, board.spaceId, board.cap.owner);
  if (owner.conflict) {
    const named = owner.linkOwner;
    const first = owner.owner;
    note(say(str`this link names another owner (${named}) than the one this device first saw for the board (${first}); going by the first`, { id: 'cli.ownerConflict' }));
  }
  const authority = new ModerationBook(memory, board.spaceId).authority(board.requireRead(), owner.owner);
  return { owner, authority };
}
