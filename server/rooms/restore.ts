// A loaded room's doc rebuilt from its stored rows (Yjs updates the relay validated when they
// arrived, or merges of them). A room of 64 MiB of tiny blobs took 760 ms in one
// Y.applyUpdate, and every other room waited: anyone who can reach such a room could stall
// the relay once per load. So big rows are split into gap-free pieces (every struct after what
// it builds on) and small rows merged into pieces, each applied in a slice of its own.
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { splitEnvelopeUpdateSteps } from '#shared';
import type { Slice } from '../slices.ts';
import { say, str } from '../l10n.ts';

/** Small rows are merged up to this and applied together: a few milliseconds of Yjs work. */
export const RESTORE_PIECE_BYTES = 256 * 1024;
/**
 * A row up to this size applies whole (about 12 ms for the smallest blobs): the rows a
 * compaction writes (compaction.ts), which splitting would only copy. Bigger ones (stored
 * before compaction wrote pieces) are split.
 */
const WHOLE_ROW_BYTES = 1024 * 1024 + 64 * 1024;

/**
 * Yjs's v1 decoder copies each blob into a buffer of its own: for a blob of 170 bytes, about
 * 390 bytes of native memory and an ArrayBuffer object, allocated and freed one by one on every
 * load and unload (a room of 120,000 such blobs cost 45 MiB of them, and the allocator kept the
 * freed pieces). Restored blobs are views into the piece applied instead: pieces are what this
 * file makes (merges and splits, or whole rows read for this load), so what they hold is at most
 * the room's stored bytes, which its memory estimate counts. Updates from the network are still
 * copied (room.ts): a view would keep a whole socket read alive.
 */
class ViewingDecoderV1 extends Y.UpdateDecoderV1 {
  override readBuf(): Uint8Array {
    return decoding.readVarUint8Array(this.restDecoder);
  }
}

function applyStored(doc: Y.Doc, piece: Uint8Array): void {
  Y.applyUpdateV2(doc, piece, null, ViewingDecoderV1);
}

/** Applies rows merged, or one by one when one of them is damaged; the number skipped. Pieces applied go to `applied`. */
function applyRows(doc: Y.Doc, rows: Uint8Array[], applied: Uint8Array[] = []): number {
  if (rows.length === 0) return 0;
  try {
    // Stored updates were validated when they arrived; merged, they apply in one pass.
    const piece = rows.length === 1 ? rows[0]! : Y.mergeUpdates(rows);
    applyStored(doc, piece);
    applied.push(piece);
    return 0;
  } catch {
    // fall through to row by row
  }
  let skipped = 0;
  for (const row of rows) {
    try {
      applyStored(doc, row);
      applied.push(row);
    } catch {
      skipped++;
    }
  }
  return skipped;
}

function reportSkipped(name: string, skipped: number, log: (line: string) => void): void {
  const room = `${name.slice(0, 8)}…`;
  if (skipped > 0) log(`room: ${say(str`${room} skipped ${skipped} damaged stored updates`, { id: 'relay.log.skippedDamaged' })}`);
}

/** Every row in one pass (a room constructed from rows it is given at once). */
export function restoreAll(doc: Y.Doc, rows: Uint8Array[], name: string, log: (line: string) => void): void {
  reportSkipped(name, applyRows(doc, rows), log);
}

/**
 * Every row, a piece at a time, pausing whenever the slice is due. Resolves with the pieces
 * applied, in order (null if a row was damaged): together they are the whole doc, and its blobs
 * are views into them, so a whole-room answer of the room as loaded can be these
 * (server/sync/answers.ts) instead of a second copy.
 */
export async function restoreInSlices(doc: Y.Doc, rows: Uint8Array[], slice: Slice, name: string, log: (line: string) => void): Promise<Uint8Array[] | null> {
  const applied: Uint8Array[] = [];
  let skipped = 0;
  let group: Uint8Array[] = [];
  let groupBytes = 0;
  const applyGroup = async () => {
    skipped += applyRows(doc, group, applied);
    group = [];
    groupBytes = 0;
    await slice.check();
  };
  for (const row of rows) {
    if (row.length <= RESTORE_PIECE_BYTES) {
      group.push(row);
      groupBytes += row.length;
      if (groupBytes >= RESTORE_PIECE_BYTES) await applyGroup();
      continue;
    }
    await applyGroup();
    if (row.length <= WHOLE_ROW_BYTES) {
      group.push(row);
      await applyGroup();
      continue;
    }
    // A row that is not a plain envelope update comes back whole, and applies (or not) as one.
    const steps = splitEnvelopeUpdateSteps(row, RESTORE_PIECE_BYTES);
    try {
      for (let step = steps.next(); !step.done; step = steps.next()) {
        if (step.value !== null) {
          applyStored(doc, step.value);
          applied.push(step.value);
        }
        await slice.check();
      }
    } catch {
      skipped++;
    }
  }
  await applyGroup();
  reportSkipped(name, skipped, log);
  // A damaged row may have left part of itself in the doc: the pieces would not be the whole of it.
  return skipped === 0 ? applied : null;
}
