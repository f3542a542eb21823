// What the web client judges a board's move by (client/core/moved.ts): the authority this
// device goes by (the owner it saw first, the records it remembers) and its memory of moves.
import type { SpaceId } from '#shared';
import { ModerationBook, checkOwner, type MoveContext, type Space } from '#client-core';
import type { Session } from './session.ts';

const books = new Map<SpaceId, ModerationBook>();

export function moveContext(session: Session | null, board: Space): MoveContext {
  if (!session || !board.plain || board.cap.kind !== 'board') return {};
  const memory = session.local.memory();
  let book = books.get(board.spaceId);
  if (!book) books.set(board.spaceId, (book = new ModerationBook(memory, board.spaceId)));
  return { memory, authority: book.authority(board.plain, checkOwner(memory, board.spaceId, board.cap.owner).owner) };
}
