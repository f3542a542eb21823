// A moved board as a client sees it (docs/PROTOCOL.md §6, "Moved boards"): the move an
// authority of the board signed, if any, and what this device's identity can do about it.
// Moves signed by anyone else are listed as refused and never followed.
import * as Y from 'yjs';
import { MoveError, addMoveRecord, movedMap, openInvite, readMoves, toBase64url, verifyMoveRecord, type Capability, type MoveRecord, type MoveRejection, type SpaceId } from '#shared';
import type { Authority } from './authority.ts';
import type { BatonClient } from './client.ts';
import type { DeviceMemory } from './device-memory.ts';
import { ClientError } from './errors.ts';
import { removers } from './move-authority.ts';
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
      /** The same, as a stable code a screen can say in the reader's language. */
      problemCode: MoveError['code'] | null;
      refused: RefusedMove[];
    };

export interface RefusedMove {
  to: string;
  by: string;
  reason: MoveRejection;
}

const NOT_MOVED: MoveState = Object.freeze({ moved: false, refused: [] });
/** Per board doc: the verdict and what it was made from (views ask on every render). */
const verdicts = new WeakMap<Y.Doc, { key: string; state: MoveState }>();

export interface MoveContext {
  /** The board's authority as this device sees it (its remembered owner and records); else from the link and the doc. */
  authority?: Authority;
  /**
   * Where this device remembers a move it followed: a writer can delete the record from the
   * board's shared map, and a device that saw it goes on following it (and writes it back).
   */
  memory?: DeviceMemory;
}

const scope = (boardId: string) => `moved:${boardId}`;

/** The board's move, judged against its authority; null-safe for spaces without a plaintext doc. */
export function moveState(board: Space, o: MoveContext = {}): MoveState {
  const doc = board.plain;
  if (board.cap.kind !== 'board' || !doc) return NOT_MOVED;
  const remembered = o.memory?.load(scope(board.spaceId)) ?? null;
  if (movedMap(doc).size === 0 && remembered === null) return NOT_MOVED;
  const isAuthority = removers(board, o.authority);
  const a = o.authority;
  const key = `${toBase64url(Y.encodeStateVector(doc))}\n${board.cap.owner}\n${a ? `${a.owners}/${a.moderators}/${a.moderatorsMayRemove}` : ''}\n${JSON.stringify(remembered)}`;
  const known = verdicts.get(doc);
  if (known && known.key === key) return known.state;
  const { refused, ...found } = readMoves(doc, board.spaceId, isAuthority);
  let move = found.move;
  const kept = remembered !== null ? verifyMoveRecord(board.spaceId, remembered, isAuthority) : null;
  if (kept?.ok && (!move || kept.record.at < move.at || (kept.record.at === move.at && kept.record.to < move.to))) move = kept.record;
  if (move && o.memory && JSON.stringify(remembered) !== JSON.stringify(move)) o.memory.save(scope(board.spaceId), move);
  const state: MoveState = move ? { ...describe(move, board), refused } : { moved: false, refused };
  // Entries left unchecked at this look (a flooded map) are checked at the next one: no caching.
  if (!refused.some((r) => r.reason === 'unchecked')) verdicts.set(doc, { key, state });
  return state;
}

/**
 * Writes a remembered move back into the board's map when a writer took it out, so devices that
 * did not see it yet still learn of it. Returns whether it wrote.
 */
export function restoreMove(board: Space, o: MoveContext = {}): boolean {
  const state = moveState(board, o);
  const doc = board.plain;
  if (!state.moved || !doc || board.access !== 'write' || !o.memory) return false;
  const record = o.memory.load(scope(board.spaceId)) as MoveRecord | null;
  if (!record || record.to !== state.to || movedMap(doc).has(`${record.to}/${record.by}`)) return false;
  addMoveRecord(doc, record);
  board.flush();
  return true;
}

function describe(move: MoveRecord, board: Space): Omit<Extract<MoveState, { moved: true }>, 'refused'> {
  const base = { moved: true as const, to: move.to, at: move.at, by: move.by, removed: move.removed };
  const me = toBase64url(board.identity.publicKey);
  if (!(me in move.invites)) return { ...base, invited: false, successor: null, problem: null, problemCode: null };
  try {
    const cap = openInvite(move, board.identity);
    return { ...base, invited: true, successor: { ...cap, owner: move.by }, problem: null, problemCode: null };
  } catch (err) {
    if (err instanceof MoveError) return { ...base, invited: false, successor: null, problem: err.message, problemCode: err.code };
    throw err;
  }
}

/**
 * Opens the successor of a moved board with the invite sealed to this device's identity.
 * Throws ClientError `moved` when the board moved without this identity (or its invite is bad).
 */
export async function followMove(client: BatonClient, board: Space, o: MoveContext = {}): Promise<Space> {
  const state = moveState(board, o);
  if (!state.moved) throw new ClientError('bad-input', 'this board has not moved');
  if (!state.successor) throw new ClientError('moved', state.problem ?? `this board moved without you (to ${state.to}); ask a member for the new link`);
  return client.open(state.successor);
}
