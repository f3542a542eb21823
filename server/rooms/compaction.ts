// When a room's stored rows are merged into one: after enough commits (more for a big room),
// and when the room unloads. Each merge runs in the write queue, after the writes before it.
// A relay that alone writes its storage encodes the merged row from the loaded room's doc,
// which holds every stored row (and perhaps writes queued after them, which Yjs takes twice
// without harm): about a third of the work of reading every row back and merging them, and
// none of the garbage. A cluster node merges what storage holds, as other nodes write there too.
import * as Y from 'yjs';
import { concatBytes } from '#shared';
import type { RelayStorage } from '../storage/types.ts';
import { encodeWholeRoom } from './room-encoding.ts';
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

  /** Merges a room's stored updates into one, after the writes queued before it; from `room`'s doc when given. */
  compact(name: string, room?: Room): Promise<void> {
    this.#compacting.add(name);
    return this.queue
      .run(async () => {
        if (room && !room.destroyed) {
          // Encoded a slice at a time (a room of 64 MiB held the event loop for 170 ms and more in
          // one call), as the doc was when it began: every row stored so far is in it, and no
          // write of this room can commit meanwhile (they queue behind this).
          const merged = concatBytes(...(await encodeWholeRoom(room.doc, 1024 * 1024)));
          const through = await this.storage.lastSeq(name);
          if (through > 0) await this.storage.compact(name, through, merged);
          return;
        }
        const stored = await this.storage.load(name);
        if (stored.updates.length < 2) return;
        await this.storage.compact(name, stored.throughSeq, Y.mergeUpdates(stored.updates));
      })
      .finally(() => this.#compacting.delete(name));
  }
}
