// What loaded rooms cost in memory, estimated, and the relay-wide bound on it. A stored room
// costs its bytes on disk; loaded, each blob is also a Yjs item with its id, content and byte
// view on the JS heap. Measured, a room of 64 MiB of 170-byte link blobs (380,000 items) took
// about 220 MiB once loaded, so three such rooms, reached by three WebSockets, took a relay
// from 460 to 1,165 MiB. Loads are admitted against the bound instead (registry.ts).
import { countEnvelopeStructsSteps } from '#shared';
import type { Slice } from '../slices.ts';

/** Heap a loaded blob costs beyond its bytes (measured about 430; rounded up). */
export const LOADED_BLOB_BYTES = 448;

/** A room of `bytes` holding `blobs` blobs, loaded. */
export function loadedRoomBytes(bytes: number, blobs: number): number {
  return bytes + blobs * LOADED_BLOB_BYTES;
}

/** The blobs stored rows hold, counted a slice at a time; a row that is not a plain envelope update counts as tiny blobs. */
export async function countStoredBlobs(rows: readonly Uint8Array[], slice: Slice): Promise<number> {
  let blobs = 0;
  for (const row of rows) {
    const steps = countEnvelopeStructsSteps(row);
    let step = steps.next();
    while (!step.done) {
      await slice.check();
      step = steps.next();
    }
    blobs += step.value ?? Math.ceil(row.length / 64);
  }
  return blobs;
}

/** Thrown by a load the bound does not allow, even with every idle room unloaded. */
export class RoomMemoryFull extends Error {
  override name = 'RoomMemoryFull';
}
