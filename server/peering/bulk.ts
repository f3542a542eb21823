// Bulk catch-up of one room with a remote relay over HTTP: pull what it holds that we lack
// (validated piece by piece through the room), then push what it lacks, in pieces under
// its update limit. Used after outages, for rooms without a live link, and on a poll.
import * as Y from 'yjs';
import { splitEnvelopeUpdate } from '../../shared/index.ts';
import type { Room } from '../rooms/room.ts';
import { GapError, RemoteError, type RemoteRelay } from './remote.ts';

/** The remote sent something the validator refused: a broken or lying peer. */
export class RefusedError extends Error {
  override name = 'RefusedError';
}

export interface BulkResult {
  pulled: number;
  pushed: number;
  /** The remote's state vector after the exchange. */
  remoteSv: Uint8Array;
}

/** Blobs that a holder of state vector `have` lacks of `want` (one struct is one blob). */
export function blobsMissing(have: Uint8Array, want: Uint8Array): number {
  const h = Y.decodeStateVector(have);
  let missing = 0;
  for (const [client, clock] of Y.decodeStateVector(want)) missing += Math.max(0, clock - (h.get(client) ?? 0));
  return missing;
}

/** Receives a remote update into the room in gap-free pieces; returns blobs added. */
export function receiveInPieces(room: Room, update: Uint8Array, maxUpdateBytes: number, origin: unknown): number {
  if (isEmptyUpdate(update)) return 0;
  let added = 0;
  for (const piece of splitEnvelopeUpdate(update, maxUpdateBytes)) {
    const result = room.receive(piece, origin);
    if (!result.ok) throw new RefusedError(`${result.code} (${result.reason}): ${result.detail.slice(0, 120)}`);
    added += result.added;
  }
  return added;
}

export async function pullRoom(room: Room, remote: RemoteRelay, maxUpdateBytes: number, origin: unknown): Promise<number> {
  const update = await remote.pull(room.name, room.stateVector());
  return receiveInPieces(room, update, maxUpdateBytes, origin);
}

/** Pushes what the remote lacks; returns the blobs it lacked and its state vector after. */
export async function pushRoom(room: Room, remote: RemoteRelay): Promise<{ pushed: number; remoteSv: Uint8Array }> {
  let remoteSv = await remote.stateVector(room.name);
  let pushed = 0;
  for (let attempt = 0; attempt < 4; attempt++) {
    const missing = blobsMissing(remoteSv, room.stateVector());
    if (missing === 0) return { pushed, remoteSv };
    try {
      for (const piece of splitEnvelopeUpdate(room.diff(remoteSv), remote.maxUpdateBytes)) remoteSv = await remote.post(room.name, piece);
      pushed += missing;
    } catch (err) {
      // The remote lost or never had something the pieces build on: start again from what it holds.
      if (err instanceof GapError) remoteSv = err.sv;
      else throw err;
    }
  }
  throw new RemoteError('the peer keeps reporting gaps', true);
}

export async function syncRoom(room: Room, remote: RemoteRelay, maxUpdateBytes: number, origin: unknown): Promise<BulkResult> {
  const pulled = await pullRoom(room, remote, maxUpdateBytes, origin);
  const { pushed, remoteSv } = await pushRoom(room, remote);
  return { pulled, pushed, remoteSv };
}

function isEmptyUpdate(update: Uint8Array): boolean {
  return update.length === 0 || (update.length === 2 && update[0] === 0 && update[1] === 0);
}
