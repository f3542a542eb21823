// Bundles into a relay (docs/PROTOCOL.md §5): re-seeds a wiped or new relay from a .baton file.
// All rooms or none. Pass 1 reads the bundle as it arrives and verifies each room's pieces
// (in the verification pool, where the relay has one) against what the relay holds as soon
// as the room's text is in, in slices of the event loop (a bundle of tens of megabytes must
// not stall every other client); the body is not read further meanwhile, and nothing is
// touched. Pass 2 reserves the bytes of every room at once (or refuses the whole bundle),
// then applies the verified pieces: with the bytes reserved and a room only ever growing,
// nothing left can refuse them.
//
// Between the passes only each piece's bytes are kept, not its blobs: a byte view per blob
// costs about 100 bytes, so a bundle of 150,000 tiny blobs would hold its blob count, not its
// size. Pass 2 reads the blobs again from the piece (a parse, no signature).
import * as Y from 'yjs';
import { clockOfDoc, parseRoomName, splitEnvelopeUpdateSteps, type RoomAddress } from '#shared';
import { parseUpdate } from '#shared/envelope/parse-update.ts';
import type { RelayLimits } from '../config.ts';
import type { RoomRegistry } from '../rooms/registry.ts';
import type { Room } from '../rooms/room.ts';
import { streamBundle } from './read-bundle.ts';
import { Slice, runSteps } from '../slices.ts';
import { verifyInPool, verifyOnLoop, type VerifyBatch } from './verify.ts';
import { short } from '../short-name.ts';

export class BundleImportError extends Error {
  override name = 'BundleImportError';
  constructor(
    message: string,
    readonly room: string | null,
  ) {
    super(message);
  }
}

export interface ImportResult {
  /** Blobs added per room (0 for rooms the relay already held in full). */
  rooms: Record<string, number>;
  added: number;
}

/** Rooms one import may name: each is loaded at once while the import applies. */
export const MAX_IMPORT_ROOMS = 10_000;
/** Pieces small enough that verifying one takes a few tens of milliseconds at most. */
const PIECE_BYTES = 8 * 1024;
/** Pieces handed to the verifier at once. */
const BATCH_PIECES = 64;

interface Planned {
  address: RoomAddress;
  /** The verified pieces that add blobs: their bytes only (see above). */
  pieces: Uint8Array[];
  /** Bytes of the new blobs (the room-size rule), and of the pieces (what applying adds). */
  adding: number;
  reserve: number;
}

/** Reads a bundle's bytes and imports it; throws BundleError or BundleImportError. */
export function importBundleBytes(registry: RoomRegistry, limits: RelayLimits, bytes: Uint8Array, verify?: VerifyBatch): Promise<ImportResult> {
  return importBundleStream(registry, limits, [bytes], verify);
}

/**
 * Reads a bundle from its chunks as they arrive (a request body) and imports it; throws
 * BundleError or BundleImportError, after reading the rest of the input.
 */
export async function importBundleStream(
  registry: RoomRegistry,
  limits: RelayLimits,
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  verify?: VerifyBatch,
): Promise<ImportResult> {
  const slice = new Slice();
  const check = verify ?? (registry.verifier.threads > 0 ? verifyInPool(limits, registry.verifier, slice) : verifyOnLoop(limits, slice));
  const plan: Planned[] = [];
  // A refused room ends the reading (the rest of the input is read and dropped).
  await streamBundle(chunks, slice, async (name, take) => void plan.push(await verifyRoom(registry, limits, name, take, slice, check)), MAX_IMPORT_ROOMS);
  return applyPlan(registry, limits, plan, slice);
}

async function applyPlan(registry: RoomRegistry, limits: RelayLimits, plan: Planned[], slice: Slice): Promise<ImportResult> {
  const result: ImportResult = { rooms: {}, added: 0 };
  for (const p of plan) result.rooms[p.address.room] = 0;
  await applyAll(registry, limits, plan.filter((p) => p.pieces.length > 0), slice, result);
  return result;
}

/** Pass 1 for one room: split, verify, and check the room-size rule; touches nothing. */
async function verifyRoom(registry: RoomRegistry, limits: RelayLimits, name: string, take: () => Uint8Array, slice: Slice, verify: VerifyBatch): Promise<Planned> {
  const address = parseRoomName(name);
  if (!address) throw new BundleImportError(`bad room name ${name.slice(0, 60)}`, name);
  const { known, bytes } = await registry.with(address, (room) => ({ known: new Map(Y.decodeStateVector(room.stateVector())), bytes: room.bytes + room.reserved }));
  // Taken, not passed: once split, the room's bytes are held only by its pieces.
  const pieces = await runSteps(splitEnvelopeUpdateSteps(take(), PIECE_BYTES), slice);
  const planned: Planned = { address, pieces: [], adding: 0, reserve: 0 };
  for (let at = 0; at < pieces.length; at += BATCH_PIECES) {
    const verdict = await verify(address, pieces.slice(at, at + BATCH_PIECES), known);
    if (!verdict.ok) throw new BundleImportError(`room ${short(name)} refused: ${verdict.reason}`, name);
    for (const piece of verdict.pieces) {
      if (piece.blobs.length === 0) continue;
      planned.pieces.push(piece.update);
      for (const blob of piece.blobs) planned.adding += blob.length;
      planned.reserve += piece.update.length;
    }
    await slice.check();
  }
  if (bytes + planned.adding > limits.maxRoomBytes) throw new BundleImportError(`room ${short(name)} would exceed ${limits.maxRoomBytes} bytes`, name);
  return planned;
}

/** Pass 2: lease every room, reserve all their bytes or refuse, then apply in slices. */
async function applyAll(registry: RoomRegistry, limits: RelayLimits, plan: Planned[], slice: Slice, result: ImportResult): Promise<void> {
  const leased: Array<{ planned: Planned; room: Room; reserved: number }> = [];
  try {
    for (const planned of plan) {
      leased.push({ planned, room: await registry.acquire(planned.address), reserved: 0 });
      await slice.check();
    }
    // One synchronous pass: no write can slip in between the checks and the reservations.
    for (const { planned, room } of leased) {
      if (room.bytes + room.reserved + planned.adding > limits.maxRoomBytes) {
        throw new BundleImportError(`room ${short(room.name)} would exceed ${limits.maxRoomBytes} bytes`, room.name);
      }
    }
    for (const entry of leased) {
      entry.room.reserved += entry.planned.reserve;
      entry.reserved = entry.planned.reserve;
    }
    for (const entry of leased) {
      let added = 0;
      for (const piece of entry.planned.pieces) {
        entry.room.reserved -= piece.length;
        entry.reserved -= piece.length;
        added += entry.room.applyVerified(piece, newBlobs(piece, entry.room), null);
        await slice.check();
      }
      result.rooms[entry.room.name] = added;
      result.added += added;
    }
    await Promise.all(leased.map(({ room }) => registry.durable(room)));
  } finally {
    for (const entry of leased) {
      entry.room.reserved -= entry.reserved;
      registry.release(entry.room);
    }
  }
}

/** The blobs a verified piece adds to the room as it is now: those past the room's clocks. */
function newBlobs(piece: Uint8Array, room: Room): Uint8Array[] {
  const parsed = parseUpdate(piece, clockOfDoc(room.doc));
  // Verified in pass 1, so it parses; a piece that no longer did would add nothing.
  if ('reason' in parsed) return [];
  const blobs: Uint8Array[] = [];
  for (const run of parsed.runs.values()) blobs.push(...run.blobs.slice(Math.max(0, run.known - run.start)));
  return blobs;
}
