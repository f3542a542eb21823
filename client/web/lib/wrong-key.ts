// A link whose read key was mistyped: the board's data arrives, every signature on it holds
// (the relay checked the writers' signatures before storing it), yet none of it decrypts.
// Readers can tell this apart from forged data, and say so in plain words.
import { msg } from '@lit/localize';
import { parseRoomName, type SpaceId } from '#shared';
import type { ClientProblem, Space } from '#client-core';

/** The space a client problem names, when it is a signed blob that did not decrypt. */
export function undecryptedSpace(problem: ClientProblem): SpaceId | null {
  if (problem.kind !== 'blob-dropped' || problem.reason !== 'decrypt-failed') return null;
  return parseRoomName(problem.room)?.spaceId ?? null;
}

/** Whether nothing of the space has decrypted yet (a reader's doc with no one's changes in it). */
export function nothingDecrypted(space: Space): boolean {
  return space.plain !== null && space.plain.store.clients.size === 0;
}

/** What the screen says instead of an empty board that waits forever. */
export function wrongKeyWords(kind: 'board' | 'thread'): { title: string; body: string } {
  if (kind === 'board') {
    return {
      title: msg('This link’s key does not open this board', { id: 'wrongKey.boardTitle' }),
      body: msg('The board is on the relay and its data arrives, but the key in this link is not the one it was written with: a letter may have changed when the link was copied. Ask for the link again.', { id: 'wrongKey.boardBody' }),
    };
  }
  return {
    title: msg('This link’s key does not open this thread', { id: 'wrongKey.threadTitle' }),
    body: msg('The thread is on the relay and its data arrives, but the key in this link is not the one it was written with: a letter may have changed when the link was copied. Ask for the link again.', { id: 'wrongKey.threadBody' }),
  };
}
