// Bulk catch-up of one room with a remote relay over HTTP: pull what it holds that we lack
// (validated piece by piece through the room), then push what it lacks, in pieces under
// its update limit. Used after outages, for rooms without a live link, and on a poll.
import * as Y from 'yjs';
import { splitEnvelopeUpdate } from '#shared';
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
  /** Ours after the exchange: where the next pull compares from. */
  localSv: Uint8Array;
  /** Ids at which the remote holds other bytes than we do. */
  conflicts: number;
}

/** Blobs that a holder of state vector `have` lacks of `want` (one struct is one blob). */
export function blobsMissing(have: Uint8Array, want: Uint8Array): number {
  const h = Y.decodeStateVector(have);
  let missing = 0;
  for (const [client, clock] of Y.decodeStateVector(want)) missing += Math.max(0, clock - (h.get(client) ?? 0));
  return missing;
}

/** Receives a remote update into the room in gap-free pieces; returns blobs added. */
export async function receiveInPieces(room: Room, update: Uint8Array, maxUpdateBytes: number, origin: unknown): Promise<number> {
  if (isEmptyUpdate(update)) return 0;
  let added = 0;
  for (const piece of splitEnvelopeUpdate(update, maxUpdateBytes)) {
    // Signatures checked in the verifier's threads: a long catch-up never stalls other rooms.
    const result = await room.receiveVerified(piece, origin);
    if (!result.ok) throw new RefusedError(`${result.code} (${result.reason}): ${result.detail.slice(0, 120)}`);
    added += result.added;
  }
  return added;
}

/**
 * Pulls what the remote holds from `since` on (our state vector at the last exchange; ours now
 * when unknown): besides what we lack, the remote's bytes at the ids we gained since then, which
 * the validator compares with ours. State vectors alone never carry an id both sides hold, so
 * without this two valid blobs at one id (a displaced write, docs/PROTOCOL.md §3) would go
 * unnoticed between relays.
 */
export async function pullRoom(room: Room, remote: RemoteRelay, maxUpdateBytes: number, origin: unknown, since: Uint8Array | null = null): Promise<number> {
  const ours = room.stateVector();
  const update = await remote.pull(room.name, since ? lowerTo(ours, since) : ours);
  return receiveInPieces(room, update, maxUpdateBytes, origin);
}

/** Per client, the smaller clock of the two vectors (clients absent from `since` at 0). */
export function lowerTo(sv: Uint8Array, since: Uint8Array): Uint8Array {
  const before = Y.decodeStateVector(since);
  const out = new Map<number, number>();
  for (const [client, clock] of Y.decodeStateVector(sv)) out.set(client, Math.min(clock, before.get(client) ?? 0));
  return Y.encodeStateVector(out);
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

export async function syncRoom(room: Room, remote: RemoteRelay, maxUpdateBytes: number, origin: unknown, since: Uint8Array | null = null): Promise<BulkResult> {
  const conflictsBefore = room.conflicts;
  const pulled = await pullRoom(room, remote, maxUpdateBytes, origin, since);
  const { pushed, remoteSv } = await pushRoom(room, remote);
  return { pulled, pushed, remoteSv, localSv: room.stateVector(), conflicts: room.conflicts - conflictsBefore };
}

function isEmptyUpdate(update: Uint8Array): boolean {
  return update.length === 0 || (update.length === 2 && update[0] === 0 && update[1] === 0);
}
