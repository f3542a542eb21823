// A board's moderation as this device sees it: the owner it remembers (client/core/owner-book.ts)
// and the authority the board's records give (client/core/authority.ts).
import { ModerationBook, checkOwner, type Authority, type OwnerCheck, type Space } from '#client-core';
import { MemoryFile, defaultDataDir } from '#client-node';
import type { Args } from './args.ts';
import { say, str } from './l10n.ts';
import { note } from './output.ts';

export interface BoardModeration {
  owner: OwnerCheck;
  authority: Authority;
}

export function boardModeration(args: Args, board: Space): BoardModeration {
  const memory = new MemoryFile(args.data ?? defaultDataDir());
  const owner = checkOwner(memory, board.spaceId, board.cap.owner);
  if (owner.conflict) {
    const named = owner.linkOwner;
    const first = owner.owner;
    note(say(str`this link names another owner (${named}) than the one this device first saw for the board (${first}); going by the first`, { id: 'cli.ownerConflict' }));
  }
  const authority = new ModerationBook(memory, board.spaceId).authority(board.requireRead(), owner.owner);
  return { owner, authority };
}
