// The relays a person added on this device alone (a reader's, or anyone's "only for me"):
// kept per board in lib/local.ts, and dialled by the board and its threads even once the
// board's list removes them (client/core/relay-choice.ts), until the person removes them.
import { isSpaceId, readThreadInfo } from '#shared';
import type { Space } from '#client-core';
import type { LocalState } from './local.ts';

/** Whose relays these are: the board's, for a board and for a thread of one. */
export function relayScope(space: Space): string {
  if (space.cap.kind === 'thread' && space.plain) {
    const board = readThreadInfo(space.plain).boardId;
    if (typeof board === 'string' && isSpaceId(board)) return board;
  }
  return space.spaceId;
}

/** Dials the relays this device keeps for the space's board (a no-op when it has them). */
export function keepOwnRelays(local: LocalState, ...spaces: (Space | null | undefined)[]): void {
  for (const space of spaces) {
    if (!space) continue;
    const own = local.ownRelays(relayScope(space));
    if (own.length > 0) space.keep(own);
  }
}
