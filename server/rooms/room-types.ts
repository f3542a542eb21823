// The types a room shares with its members, links and the peering layer.
import type { BlobRejection, EnvelopeRejection, SpaceId } from '#shared';
import type { Room } from './room.ts';

/** Anything attached to a room that speaks the sync protocol: a client or a peer's connection. */
export interface RoomMember {
  /** `droppable`: presence, which a member far behind may miss rather than queue. */
  send(message: Uint8Array, droppable?: boolean): void;
  /** Set on connections that another relay opened: they keep the room loaded but start no peering. */
  readonly peer?: boolean;
  /** A newer epoch of this room's space now holds a snapshot here (message 101, for clients that asked). */
  newerEpoch?(epoch: number): void;
}

/**
 * What a room is built from: the rows storage holds, applied at once; or, when its loader
 * applies them itself a slice of event-loop time at a time (restore.ts), only how many there are.
 */
export type StoredRows = { updates: Uint8Array[]; bytes: number } | { rowsRestoredLater: number; bytes: number };

/** This relay's own link to a peer for one room: it gets every update, not awareness. */
export interface RoomLink {
  forward(update: Uint8Array): void;
}

/** What the peering layer hears of a room (all optional). */
export interface RoomEvents {
  /** The doc gained an update; origin is whoever passed it to receive (null for HTTP). */
  changed?(room: Room, origin: unknown): void;
  /** Accepted link blobs (kind 3) named these child spaces; `moves`, those named by move links. */
  linked?(room: Room, children: SpaceId[], moves: ReadonlySet<SpaceId>): void;
  joined?(room: Room, member: RoomMember): void;
  /** The room accepted a snapshot blob (kind 2): an epoch above 0 has started. */
  snapshot?(room: Room): void;
  /** A sender holds other bytes than the room at `count` ids (docs/PROTOCOL.md §3, "Displaced writes"). */
  conflicts?(room: Room, origin: unknown, count: number): void;
  /**
   * Whether the relay's memory bound lets the room take these blobs (room-memory.ts), asked
   * before they apply; `must`: they apply anyway (already stored, or verified for an import).
   */
  grow?(room: Room, bytes: number, blobs: number, origin: unknown, must: boolean): boolean;
}

/**
 * `busy`: send it again later: the update could not be verified (the relay is closing, or
 * verification failed twice), or the relay holds as much in memory as it may.
 */
export type RejectCode = 'gap' | 'bad-update' | 'too-large' | 'room-full' | 'busy';

export type Acceptance =
  | { ok: true; added: number; children: SpaceId[] }
  | { ok: false; code: RejectCode; reason: EnvelopeRejection | 'room-full' | 'unverified' | 'memory-full'; detail: string; blobReason?: BlobRejection };
