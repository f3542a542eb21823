// The app's side of a moved board (docs/PROTOCOL.md §6, "Moved boards"): the moved screen in
// place of the board, and the successor kept in the list of this device's boards in place of
// the old one once this identity's invitation opened. The move is judged with the authority
// this device goes by (its remembered owner and records) and remembered, so a writer who takes
// the record out of the board changes nothing here (and this device writes it back).
import { html } from 'lit';
import { formatCapability, type SpaceId } from '#shared';
import { boards, moveState, restoreMove, type Space } from '#client-core';
import { moveContext } from '../../lib/move-context.ts';
import type { Session } from '../../lib/session.ts';
import '../baton-moved/baton-moved.ts';

/** Moved boards whose old content the reader asked to see, in this page. */
const showOld = new Set<SpaceId>();

export function showOldBoard(spaceId: SpaceId, app: { requestUpdate(): void }): void {
  showOld.add(spaceId);
  app.requestUpdate();
}

/**
 * The moved screen for a board that moved (unless its reader asked to see the old one), else
 * null; the successor takes the old board's place in this device's list once its invitation opened.
 */
export function movedScreen(session: Session | null, board: Space | null) {
  if (!board?.plain || board.cap.kind !== 'board') return null;
  rememberSuccessor(session, board);
  if (showOld.has(board.spaceId)) return null;
  const state = moveState(board, moveContext(session, board));
  if (!state.moved) return null;
  return html`<baton-moved .state=${state} .boardId=${board.spaceId} .boardTitle=${boards.boardTitle(board)}></baton-moved>`;
}

const followed = new Set<SpaceId>();

/** Once an invitation opened: the successor, with write access, takes the old board's place in the list. */
function rememberSuccessor(session: Session | null, board: Space | null): void {
  if (!session || !board?.plain || board.cap.kind !== 'board') return;
  const context = moveContext(session, board);
  restoreMove(board, context);
  if (followed.has(board.spaceId)) return;
  const state = moveState(board, context);
  if (!state.moved || !state.successor) return;
  followed.add(board.spaceId);
  session.local.remember({ spaceId: state.to, kind: 'board', cap: formatCapability(state.successor), level: 'write', title: boards.boardTitle(board), openedAt: Date.now() });
  session.local.forget(board.spaceId);
}
