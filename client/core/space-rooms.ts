// The epochs a space holds open (docs/PROTOCOL.md §3, epochs): the current one, newer
// candidates being tried, and older ones kept only for local writes no relay confirmed, with
// the relays they are dialled to. What scouting and compaction share; neither owns it.
import type * as Y from 'yjs';
import { parseRoomName, type Capability, type RoomName, type SpaceId } from '#shared';
import type { Written } from './delivery.ts';
import { EpochRoom } from './epoch-room.ts';
import type { SpaceContext } from './space-context.ts';

/**
 * The highest epoch a client opens or compacts into (docs/PROTOCOL.md §3, epochs): half the u32
 * range, so a writer cannot park a space at 0xFFFFFFFF, where it could never compact again.
 */
export const MAX_OPEN_EPOCH = 2 ** 31 - 1;

/** What the rooms report to their space. */
export interface RoomEvents {
  changed(room: EpochRoom): void;
  child(id: SpaceId): void;
  newerEpoch(epoch: number): void;
}

export class SpaceRooms {
  current!: EpochRoom;
  /** The current epoch and newer candidates, by epoch. */
  readonly byEpoch = new Map<number, EpochRoom>();
  /** Older epochs loaded for their unconfirmed local writes, until those are re-published. */
  retired: EpochRoom[] = [];
  /** The relays dialled (chosen by client/core/relay-choice.ts). */
  relays: string[] = [];
  closed = false;

  constructor(
    readonly cap: Capability,
    readonly ctx: SpaceContext,
    readonly plain: Y.Doc | null,
    private readonly events: RoomEvents,
  ) {}

  /** Every open room: the current epoch, candidates and retired epochs. */
  all(): EpochRoom[] {
    return [...this.byEpoch.values(), ...this.retired];
  }

  make(epoch: number, collect: boolean): EpochRoom {
    return new EpochRoom(
      epoch,
      {
        cap: this.cap,
        store: this.ctx.store,
        identity: this.ctx.identity,
        plain: this.plain,
        connection: this.ctx.connection,
        batchMs: this.ctx.batchMs,
        onProblem: this.ctx.onProblem,
        changed: (room) => this.events.changed(room),
        child: (id) => this.events.child(id),
        newerEpoch: (e) => this.events.newerEpoch(e),
      },
      { sealing: false, collect },
    );
  }

  /**
   * Opens the newest stored epoch that can be read (epoch 0, or one with a snapshot) as the
   * current one, and older ones that hold queued writes as retired. Returns how many epochs of
   * this space the store held.
   */
  async load(): Promise<number> {
    const local = (await this.ctx.store.rooms())
      .map((name) => parseRoomName(name))
      .filter((a) => a !== null && a.spaceId === this.cap.spaceId)
      .map((a) => a!.epoch)
      .filter((e) => e <= MAX_OPEN_EPOCH) // stored by an older client: never opened again
      .sort((a, b) => b - a);
    let chosen: EpochRoom | null = null;
    for (const epoch of local) {
      if (chosen) {
        // Older epochs matter only for local writes that may never have left this device.
        if ((await this.ctx.store.loadMeta(`${this.cap.spaceId}.${epoch}` as RoomName)).pending === 0) continue;
        const old = this.make(epoch, false);
        await old.load();
        this.retired.push(old);
        continue;
      }
      const room = this.make(epoch, Boolean(this.cap.write));
      this.byEpoch.set(epoch, room);
      await room.load();
      if (epoch === 0 || room.snapshots > 0) chosen = room;
    }
    if (!chosen) {
      chosen = this.make(0, false);
      this.byEpoch.set(0, chosen);
      await chosen.load();
    }
    this.current = chosen;
    if (chosen.bridge) chosen.bridge.sealing = true;
    return local.length;
  }

  /** Relays any open epoch of this space has synced with on this device. */
  syncedRelays(): string[] {
    const out: string[] = [];
    for (const room of this.all()) for (const r of room.syncedRelays()) if (!out.includes(r)) out.push(r);
    return out;
  }

  /**
   * The relays whose receipts cover every blob of a write of this device. A write in an epoch
   * since replaced travels in the current one: it counts once the current outbox is empty.
   */
  confirmedBy(written: Written): string[] {
    const room = this.all().find((r) => r.room === written.room);
    if (!room) return this.current.outbox().length === 0 ? [...this.relays] : [];
    if (written.blobs.length === 0) return [];
    return written.blobs.map((b) => room.receipts.coveredBy(b.client, b.clock)).reduce((all, some) => all.filter((r) => some.includes(r)));
  }

  /** The retired epochs' queued writes now travel in the current one: they close. */
  releaseRetired(settle: boolean): void {
    for (const old of this.retired.splice(0)) {
      if (settle) old.settle();
      void old.close();
    }
  }

  async close(): Promise<void> {
    // The current epoch first: closing its bridge seals anything pending.
    await this.current.close();
    await Promise.all(this.all().map((r) => r.close()));
  }
}
