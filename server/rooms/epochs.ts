// Epochs of a space (docs/PROTOCOL.md §3, epochs): when each first held a snapshot, which older
// ones are past retention, and telling the members of an older epoch that a newer one began.
import { parseRoomName, type RoomAddress } from '#shared';
import type { RelayStorage } from '../storage/types.ts';
import type { Room } from './room.ts';
import { say, str } from '../l10n.ts';

export interface EpochOptions {
  /** An older epoch is kept this long after a newer one first held a snapshot. */
  epochRetentionMs: number;
  log: (line: string) => void;
}

/** Epochs held of a space in storage, ascending. */
export async function storedEpochs(storage: RelayStorage, spaceId: string): Promise<number[]> {
  const rooms = await storage.listRoomsWithPrefix(`${spaceId}.`);
  return rooms
    .map((r) => parseRoomName(r))
    .filter((a): a is RoomAddress => a !== null && a.spaceId === spaceId)
    .map((a) => a.epoch)
    .sort((a, b) => a - b);
}

export class EpochMarks {
  /** Per space, when each epoch first held a snapshot. */
  readonly #snapshots = new Map<string, Map<number, number>>();
  /** Settles once the marks stored by earlier runs are read. */
  readonly loaded: Promise<void>;
  #lastRetention = 0;

  constructor(
    private readonly options: EpochOptions,
    private readonly storage: RelayStorage,
    /** The rooms loaded now, whose members may need to hear of a newer epoch. */
    private readonly loadedRooms: () => Iterable<Room>,
  ) {
    this.loaded = storage.listSnapshotMarks().then(
      (marks) => {
        for (const [room, at] of marks) this.#record(room, at);
      },
      ({ message }: Error) => options.log(`room: ${say(str`cannot read snapshot marks: ${message}`, { id: 'relay.log.marksUnreadable' })}`),
    );
  }

  /**
   * An older epoch whose retention is over: a newer epoch of its space has held a snapshot for
   * longer than the retention period. Such a room is dropped and not fetched from peers again.
   */
  isRetired(name: string, now = Date.now()): boolean {
    const address = parseRoomName(name);
    const marks = address && this.#snapshots.get(address.spaceId);
    if (!address || !marks) return false;
    for (const [epoch, at] of marks) if (epoch > address.epoch && now - at >= this.options.epochRetentionMs) return true;
    return false;
  }

  /** The stored rooms whose retention is over. */
  async retired(now = Date.now()): Promise<string[]> {
    await this.loaded;
    const names: string[] = [];
    for (const spaceId of this.#snapshots.keys()) {
      for (const epoch of await storedEpochs(this.storage, spaceId)) {
        const name = `${spaceId}.${epoch}`;
        if (this.isRetired(name, now)) names.push(name);
      }
    }
    return names;
  }

  /** Retention is checked hourly (more often when the period itself is short); true once per period. */
  due(now = Date.now()): boolean {
    if (now - this.#lastRetention < Math.min(3_600_000, this.options.epochRetentionMs / 4)) return false;
    this.#lastRetention = now;
    return true;
  }

  /** The newest epoch of a space known to hold a snapshot here, or -1. */
  newestSnapshotEpoch(spaceId: string): number {
    const marks = this.#snapshots.get(spaceId);
    let newest = -1;
    if (marks) for (const epoch of marks.keys()) if (epoch > newest) newest = epoch;
    return newest;
  }

  /** The room accepted a snapshot blob: its epoch has begun. */
  noteSnapshot(room: Room): void {
    const at = Date.now();
    // Once per epoch: a large snapshot arrives as several blobs, and clients need one hint.
    if (!this.#record(room.name, at)) return;
    this.#announce(room);
    this.storage.markSnapshot(room.name, at).catch(({ message }: Error) => this.options.log(`room: ${say(str`cannot record a snapshot mark: ${message}`, { id: 'relay.log.markUnwritable' })}`));
  }

  #record(name: string, at: number): boolean {
    const address = parseRoomName(name);
    if (!address) return false;
    let marks = this.#snapshots.get(address.spaceId);
    if (!marks) this.#snapshots.set(address.spaceId, (marks = new Map()));
    if (marks.has(address.epoch)) return false;
    marks.set(address.epoch, at);
    return true;
  }

  /**
   * Clients still in an older epoch of the room's space hear of the new one at once, rather
   * than at their next periodic epoch check: a live thread does not go quiet for them when a
   * writer compacts.
   */
  #announce(room: Room): void {
    const { spaceId, epoch } = room.address;
    for (const other of this.loadedRooms()) {
      if (other.address.spaceId !== spaceId || other.address.epoch >= epoch) continue;
      for (const member of other.members) {
        try {
          member.newerEpoch?.(epoch);
        } catch {
          // a member that cannot take a message is closing
        }
      }
    }
  }
}
