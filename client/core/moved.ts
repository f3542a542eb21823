// A moved board as a client sees it (docs/PROTOCOL.md §6, "Moved boards"): the move an
// authority of the board signed, if any, and what this device's identity can do about it.
// Moves signed by anyone else are listed as refused and never followed.
import * as Y from 'yjs';
import { MoveError, movedMap, openInvite, readMoves, toBase64url, type Capability, type MoveRecord, type MoveRejection, type SpaceId } from '#shared';
import type { BatonClient } from './client.ts';
import { ClientError } from './errors.ts';
import { mayRemove } from './move-authority.ts';
import type { Space } from './space.ts';

export type MoveState =
  | { moved: false; refused: RefusedMove[] }
  | {
      moved: true;
      to: SpaceId;
      at: number;
      /** The authority that moved it. */
      by: string;
      removed: string[];
      /** This device's identity holds an invite that opens the successor. */
      invited: boolean;
      /** The successor's write capability (with the relays the move names), when invited. */
      successor: Capability | null;
      /** Why the invite did not open, when one is there for this identity but is bad. */
      problem: string | null;
      refused: RefusedMove[];
    };

export interface RefusedMove {
  to: string;
  by: string;
  reason: MoveRejection;
}

const NOT_MOVED: MoveState = Object.freeze({ moved: false, refused: [] });
/** Per board doc: the verdict and the doc's state vector it was made at (views ask on every render). */
const verdicts = new WeakMap<Y.Doc, { at: string; owner: string | undefined; state: MoveState }>();

/** The board's move, judged against its authority; null-safe for spaces without a plaintext doc. */
export function moveState(board: Space): MoveState {
  const doc = board.plain;
  if (board.cap.kind !== 'board' || !doc || movedMap(doc).size === 0) return NOT_MOVED;
  const at = toBase64url(Y.encodeStateVector(doc));
  const known = verdicts.get(doc);
  if (known && known.at === at && known.owner === board.cap.owner) return known.state;
  const { move, refused } = readMoves(doc, board.spaceId, mayRemove(board));
  const state: MoveState = move ? { ...describe(move, board), refused } : { moved: false, refused };
  verdicts.set(doc, { at, owner: board.cap.owner, state });
  return state;
}

function describe(move: MoveRecord, board: Space): Omit<Extract<MoveState, { moved: true }>, 'refused'> {
  const base = { moved: true as const, to: move.to, at: move.at, by: move.by, removed: move.removed };
  const me = toBase64url(board.identity.publicKey);
  if (!(me in move.invites)) return { ...base, invited: false, successor: null, problem: null };
  try {
    const cap = openInvite(move, board.identity);
    return { ...base, invited: true, successor: { ...cap, owner: move.by }, problem: null };
  } catch (err) {
    if (err instanceof MoveError) return { ...base, invited: false, successor: null, problem: err.message };
    throw err;
  }
}

/**
 * Opens the successor of a moved board with the invite sealed to this device's identity.
 * Throws ClientError `moved` when the board moved without this identity (or its invite is bad).
 */
export async function followMove(client: BatonClient, board: Space): Promise<Space> {
  const state = moveState(board);
  if (!state.moved) throw new ClientError('bad-input', 'this board has not moved');
  if (!state.successor) throw new ClientError('moved', state.problem ?? `this board moved without you (to ${state.to}); ask a member for the new link`);
  return client.open(state.successor);
}
