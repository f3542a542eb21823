// How a sync connection gets into its room and out again. The room is loaded (a room the
// relay's memory bound refuses is counted, not logged; any other failure is logged), then a
// slot is taken in it (slots.ts: so many per room, and per source where addresses are real),
// and when the connection closes the slot and the room's lease are given back.
import type { RoomAddress } from '#shared';
import type { RelayConfig } from '../config.ts';
import type { RoomRegistry } from '../rooms/registry.ts';
import type { Room, RoomMember } from '../rooms/room.ts';
import { RoomMemoryFull } from '../rooms/room-memory.ts';
import { short } from '../short-name.ts';
import type { Closing } from './inbound.ts';
import { admit } from './slots.ts';
import type { SourceTally } from './sources.ts';
import { say, str } from '../l10n.ts';

/** A room loaded for a connection, or how the connection is closed because it could not be. */
export type Loaded = { room: Room } | { refused: Closing };

export class RoomEntry {
  #room: Room | null = null;

  constructor(
    private readonly address: RoomAddress,
    private readonly registry: RoomRegistry,
    private readonly config: RelayConfig,
    private readonly sources: SourceTally,
    /** The source address, only when the relay counts connections per source. */
    private readonly source: string | null,
  ) {}

  /** The room the connection has a slot in, once it has one. */
  get room(): Room | null {
    return this.#room;
  }

  /** Loads (or finds) the room and leases it; pair a loaded room with take() or release(). */
  load(): Promise<Loaded> {
    return this.registry.acquire(this.address).then(
      (room) => ({ room }),
      (err: Error) => {
        if (err instanceof RoomMemoryFull) return { refused: { code: 1013, reason: 'relay is busy, try again later' } }; // counted, not logged
        const [room, reason] = [short(this.address.room), err.message];
        this.config.log(`sync: ${say(str`cannot open room ${room}: ${reason}`, { id: 'relay.log.roomUnopenable' })}`);
        return { refused: { code: 1011, reason: 'room unavailable' } };
      },
    );
  }

  /** Takes a slot in the loaded room for `member`; when there is none, the room is released and the close is returned. */
  take(room: Room, member: RoomMember): Closing | null {
    const fromSource = this.source === null ? null : this.sources.count(room.name, this.source);
    const refused = admit(room, fromSource, { perSource: this.config.perSourceConnections, perRoom: this.config.limits.maxConnectionsPerRoom, graceMs: this.config.slotGraceMs });
    if (refused) {
      this.registry.release(room);
      return { code: 1013, reason: refused };
    }
    this.#room = room;
    if (this.source !== null) this.sources.add(room.name, this.source);
    room.join(member);
    return null;
  }

  /** Gives back a loaded room the connection no longer wants (it closed while the room loaded). */
  release(room: Room): void {
    this.registry.release(room);
  }

  /** Gives back the slot and the room, if the connection had them. */
  leave(member: RoomMember): void {
    const room = this.#room;
    if (!room) return;
    this.#room = null;
    if (this.source !== null) this.sources.remove(room.name, this.source);
    room.leave(member);
    this.registry.release(room);
  }
}
