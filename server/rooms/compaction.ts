// When a room's stored rows are merged into one: after enough commits (more for a big room),
// and when the room unloads. Each merge runs in the write queue, after the writes before it.
// A relay that alone writes its storage encodes the merged row from the loaded room's doc,
// which holds every stored row (and perhaps writes queued after them, which Yjs takes twice
// without harm): about a third of the work of reading every row back and merging them, and
// none of the garbage. A cluster node merges what storage holds, as other nodes write there too.
import * as Y from 'yjs';
import { concatBytes, splitEnvelopeUpdateSteps } from '#shared';
import type { RelayStorage } from '../storage/types.ts';
import { runSteps, Slice } from '../slices.ts';
import { ENCODE_SLICE_MS, encodeWholeRoom } from './room-encoding.ts';

/** Bytes of a merged row: a compacted room is stored in rows of about this size. */
const MERGED_ROW_BYTES = 1024 * 1024;
import type { Room } from './room.ts';
import type { WriteQueue } from './write-queue.ts';
import { say, str } from '../l10n.ts';

export class Compactor {
  readonly #compacting = new Set<string>();

  constructor(
    private readonly storage: RelayStorage,
    private readonly queue: WriteQueue,
    private readonly compactAfterRows: number,
    private readonly log: (line: string) => void,
  ) {}

  /**
   * After a commit: starts merging the rooms that have gathered enough rows. `fromDoc`: this
   * relay alone writes its storage.
   */
  committed(rooms: Iterable<string>, loaded: (name: string) => Room | undefined, fromDoc: boolean): void {
    for (const name of rooms) {
      const room = loaded(name);
      if (!room) continue;
      // Compaction rewrites the whole room on the event loop, so a big room waits for
      // proportionally more rows: the work per stored update stays constant as rooms grow.
      const threshold = Math.max(this.compactAfterRows, Math.floor(room.blobCount / 4));
      if (room.rows >= threshold && !this.#compacting.has(name)) {
        room.rows = 1;
        void this.compact(name, fromDoc ? room : undefined).catch(({ message }: Error) => this.log(`room: ${say(str`compaction failed: ${message}`, { id: 'relay.log.compactionFailed' })}`));
      }
    }
  }

  /**
   * Whether a room leaving memory has more rows than a compaction would leave: a compacted room
   * is stored in rows of up to 1 MiB, so it loads with several, and merging them again each
   * time it unloads would be work for nothing. Fewer rows than that means a row bigger than
   * compaction writes (stored before it wrote pieces), worth splitting.
   */
  worthCompacting(room: Room): boolean {
    const pieces = room.bytes / MERGED_ROW_BYTES;
    return room.rows > Math.max(1, 2 * Math.ceil(pieces)) || room.rows < pieces / 1.5;
  }

  /** Merges a room's stored updates into one, after the writes queued before it; from `room`'s doc when given. */
  compact(name: string, room?: Room): Promise<void> {
    this.#compacting.add(name);
    return this.queue
      .run(async () => {
        if (room && !room.destroyed) {
          // Encoded a slice at a time (a room of 64 MiB held the event loop for 170 ms and more in
          // one call), as the doc was when it began: every row stored so far is in it, and no
          // write of this room can commit meanwhile (they queue behind this).
          const merged = concatBytes(...(await encodeWholeRoom(room.doc, MERGED_ROW_BYTES)));
          // Stored as gap-free pieces of about 1 MiB: a room is then written and read a piece at
          // a time (a 64 MiB row held the event loop 300 ms to write, 130 ms to read).
          const pieces = await runSteps(splitEnvelopeUpdateSteps(merged, MERGED_ROW_BYTES), new Slice(ENCODE_SLICE_MS));
          const through = await this.storage.lastSeq(name);
          if (through > 0) await this.storage.compact(name, through, pieces);
          return;
        }
        const stored = await this.storage.load(name);
        if (stored.updates.length < 2) return;
        await this.storage.compact(name, stored.throughSeq, [Y.mergeUpdates(stored.updates)]);
      })
      .finally(() => this.#compacting.delete(name));
  }
}
