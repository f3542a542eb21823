// When a room's stored rows are merged into one: after enough commits (more for a big room),
// and when the room unloads. Each merge runs in the write queue, after the writes before it.
import * as Y from 'yjs';
import type { RelayStorage } from '../storage/types.ts';
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

  /** After a commit: starts merging the rooms that have gathered enough rows. */
  committed(rooms: Iterable<string>, loaded: (name: string) => Room | undefined): void {
    for (const name of rooms) {
      const room = loaded(name);
      if (!room) continue;
      // Compaction rewrites the whole room on the event loop, so a big room waits for
      // proportionally more rows: the work per stored update stays constant as rooms grow.
      const threshold = Math.max(this.compactAfterRows, Math.floor(room.blobCount / 4));
      if (room.rows >= threshold && !this.#compacting.has(name)) {
        room.rows = 1;
        void this.compact(name).catch(({ message }: Error) => this.log(`room: ${say(str`compaction failed: ${message}`, { id: 'relay.log.compactionFailed' })}`));
      }
    }
  }

  /** Merges a room's stored updates into one, after the writes queued before it. */
  compact(name: string): Promise<void> {
    this.#compacting.add(name);
    return this.queue
      .run(async () => {
        const stored = await this.storage.load(name);
        if (stored.updates.length < 2) return;
        await this.storage.compact(name, stored.throughSeq, Y.mergeUpdates(stored.updates));
      })
      .finally(() => this.#compacting.delete(name));
  }
}
