// One loaded room: its envelope doc, the members connected to it and their awareness.
// Every foreign update passes the shared validator here before it touches the doc.
import * as Y from 'yjs';
import {
  BlobKind,
  HEADER_LENGTH,
  LINK_BODY_LENGTH,
  SIGNATURE_LENGTH,
  blobAt,
  clockOfDoc,
  envelopeLog,
  spaceIdFromPublicKey,
  createEnvelopeDoc,
  validateEnvelopeUpdate,
  type BlobRejection,
  type EnvelopeRejection,
  type RoomAddress,
  type SpaceId,
} from '../../shared/index.ts';
import type { RelayLimits } from '../config.ts';
import { writeAwarenessMessage, writeSyncUpdate } from '../../shared/wire/index.ts';
import { RoomAwareness, readAwarenessUpdate, writeAwarenessUpdate, type AwarenessEntry } from './awareness.ts';

/** Anything attached to a room that speaks the sync protocol: a client or a peer's connection. */
export interface RoomMember {
  /** `droppable`: presence, which a member far behind may miss rather than queue. */
  send(message: Uint8Array, droppable?: boolean): void;
  /** Set on connections that another relay opened: they keep the room loaded but start no peering. */
  readonly peer?: boolean;
  /** A newer epoch of this room's space now holds a snapshot here (message 101, for clients that asked). */
  newerEpoch?(epoch: number): void;
}

/** This relay's own link to a peer for one room: it gets every update, not awareness. */
export interface RoomLink {
  forward(update: Uint8Array): void;
}

/** What the peering layer hears of a room (all optional). */
export interface RoomEvents {
  /** The doc gained an update; origin is whoever passed it to receive (null for HTTP). */
  changed?(room: Room, origin: unknown): void;
  /** Accepted link blobs (kind 3) named these child spaces. */
  linked?(room: Room, children: SpaceId[]): void;
  joined?(room: Room, member: RoomMember): void;
  /** The room accepted a snapshot blob (kind 2): an epoch above 0 has started. */
  snapshot?(room: Room): void;
  /** A sender holds other bytes than the room at `count` ids (docs/PROTOCOL.md §3, "Displaced writes"). */
  conflicts?(room: Room, origin: unknown, count: number): void;
}

export type RejectCode = 'gap' | 'bad-update' | 'too-large' | 'room-full';

export type Acceptance =
  | { ok: true; added: number; children: SpaceId[] }
  | { ok: false; code: RejectCode; reason: EnvelopeRejection | 'room-full'; detail: string; blobReason?: BlobRejection };

export class Room {
  readonly name: string;
  readonly doc: Y.Doc;
  readonly members = new Set<RoomMember>();
  readonly links = new Set<RoomLink>();
  readonly awareness = new RoomAwareness();
  /** Bytes of the updates the room holds; checked against maxRoomBytes. */
  bytes: number;
  /** Stored rows since the last compaction. */
  rows: number;
  /** HTTP requests and loaders currently using the room. */
  leases = 0;
  /** Counts the updates applied since load: equal versions hold equal content. */
  version = 0;
  /** Bytes promised to an import under way (server/bundles/import.ts), counted as held. */
  reserved = 0;
  lastActivity = Date.now();
  /** Ids at which someone sent other bytes than the room holds (two valid blobs for one id). */
  conflicts = 0;
  readonly #log: (line: string) => void;

  constructor(
    readonly address: RoomAddress,
    private readonly limits: RelayLimits,
    stored: { updates: Uint8Array[]; bytes: number },
    private readonly persist: (room: Room, update: Uint8Array, origin: unknown) => void,
    log: (line: string) => void = () => {},
    private readonly events: RoomEvents = {},
  ) {
    this.name = address.room;
    this.doc = createEnvelopeDoc();
    this.bytes = stored.bytes;
    this.rows = stored.updates.length;
    this.#log = log;
    this.#restore(stored.updates, log);
    this.doc.on('update', (update: Uint8Array, origin: unknown) => this.#onUpdate(update, origin));
  }

  /** Validates a foreign update and applies it if every rule holds. Never throws on input. */
  receive(update: Uint8Array, from: unknown): Acceptance {
    this.lastActivity = Date.now();
    const verdict = validateEnvelopeUpdate(update, this.address, {
      clockOf: clockOfDoc(this.doc),
      heldBlob: (pos) => blobAt(this.doc, pos),
      maxUpdateBytes: this.limits.maxUpdateBytes,
      maxBlobBytes: this.limits.maxBlobBytes,
    });
    if (!verdict.ok) {
      const code: RejectCode = verdict.reason === 'gap' ? 'gap' : verdict.reason === 'too-large' || verdict.blobReason === 'too-large' ? 'too-large' : 'bad-update';
      return verdict.blobReason
        ? { ok: false, code, reason: verdict.reason, detail: verdict.detail, blobReason: verdict.blobReason }
        : { ok: false, code, reason: verdict.reason, detail: verdict.detail };
    }
    if (verdict.conflicts) {
      // Two valid blobs for one id: only a write-key holder makes them. Ids only, no bytes.
      this.conflicts += verdict.conflicts.length;
      const first = verdict.conflicts[0]!;
      this.#log(`room: ${this.name.slice(0, 8)}… ${this.links.has(from as RoomLink) ? 'a peer link' : 'a sender'} holds other bytes at ${verdict.conflicts.length} id(s) than this relay (first ${first.client}:${first.clock})`);
      this.events.conflicts?.(this, from, verdict.conflicts.length);
    }
    if (verdict.blobs.length === 0) return { ok: true, added: 0, children: [] };
    let adding = 0;
    for (const b of verdict.blobs) adding += b.blob.length;
    if (this.bytes + this.reserved + adding > this.limits.maxRoomBytes) {
      return { ok: false, code: 'room-full', reason: 'room-full', detail: `the room would exceed ${this.limits.maxRoomBytes} bytes` };
    }
    Y.applyUpdate(this.doc, update, from);
    return { ok: true, added: verdict.blobs.length, children: this.#announce(verdict.blobs.map((b) => b.blob)) };
  }

  /**
   * Applies an update that already passed the validator against this room's clocks, or
   * older ones (an import verifies first, then applies): what it builds on is still here,
   * since a room only grows. Its bytes were reserved; `blobs` are the new blobs it holds.
   */
  applyVerified(update: Uint8Array, blobs: Uint8Array[], from: unknown): number {
    this.lastActivity = Date.now();
    Y.applyUpdate(this.doc, update, from);
    this.#announce(blobs);
    return blobs.length;
  }

  /** Tells the peering layer about new link blobs and snapshots; returns the linked children. */
  #announce(blobs: Uint8Array[]): SpaceId[] {
    const children = blobs.map((b) => linkChild(b)).filter((c): c is SpaceId => c !== null);
    if (children.length > 0) this.events.linked?.(this, children);
    if (this.address.epoch > 0 && blobs.some((b) => b[1] === BlobKind.snapshot)) this.events.snapshot?.(this);
    return children;
  }

  /** Every child space named by a link blob the room holds. */
  linkedChildren(): SpaceId[] {
    const children = new Set<SpaceId>();
    for (const blob of envelopeLog(this.doc)) {
      const child = linkChild(blob);
      if (child) children.add(child);
    }
    return [...children];
  }

  /** The update a holder of `stateVector` lacks (everything when omitted). */
  diff(stateVector?: Uint8Array): Uint8Array {
    return Y.encodeStateAsUpdate(this.doc, stateVector);
  }

  stateVector(): Uint8Array {
    return Y.encodeStateVector(this.doc);
  }

  get blobCount(): number {
    return this.doc.getArray('log').length;
  }

  join(member: RoomMember): void {
    this.members.add(member);
    this.lastActivity = Date.now();
    this.events.joined?.(this, member);
  }

  leave(member: RoomMember): void {
    if (!this.members.delete(member)) return;
    this.lastActivity = Date.now();
    const removed = this.awareness.removeOwner(member);
    if (removed.length > 0) this.#broadcast(writeAwarenessMessage(writeAwarenessUpdate(removed)), member);
  }

  /** Relays a member's awareness update, keeping only `{e}` states it may set. */
  receiveAwareness(member: RoomMember, payload: Uint8Array): void {
    const entries = readAwarenessUpdate(payload, this.limits.maxAwarenessBytes);
    if (!entries || entries.length === 0) return;
    const accepted = this.awareness.apply(member, entries);
    if (accepted.length > 0) this.#broadcast(writeAwarenessMessage(writeAwarenessUpdate(accepted)), member, true);
  }

  /** The awareness message of every live state, or null when there is none. */
  awarenessSnapshot(): Uint8Array | null {
    const all: AwarenessEntry[] = this.awareness.all();
    return all.length > 0 ? writeAwarenessMessage(writeAwarenessUpdate(all)) : null;
  }

  destroy(): void {
    this.members.clear();
    this.links.clear();
    this.doc.destroy();
  }

  /** Applies stored updates: all at once, or one by one if the store holds a damaged row. */
  #restore(updates: Uint8Array[], log: (line: string) => void): void {
    if (updates.length === 0) return;
    try {
      // Stored updates were validated when they arrived; merged, they apply in one pass.
      Y.applyUpdate(this.doc, updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates));
      return;
    } catch {
      // fall through to row by row
    }
    let skipped = 0;
    for (const update of updates) {
      try {
        Y.applyUpdate(this.doc, update);
      } catch {
        skipped++;
      }
    }
    if (skipped > 0) log(`room: ${this.name.slice(0, 8)}… skipped ${skipped} damaged stored updates`);
  }

  #onUpdate(update: Uint8Array, origin: unknown): void {
    this.version++;
    this.bytes += update.length;
    this.rows++;
    this.persist(this, update, origin);
    this.#broadcast(writeSyncUpdate(update), origin);
    for (const link of this.links) {
      if (link === origin) continue;
      try {
        link.forward(update);
      } catch {
        // a link that fails is reconnecting; it catches up by sync step 1
      }
    }
    this.events.changed?.(this, origin);
  }

  #broadcast(message: Uint8Array, except: unknown, droppable = false): void {
    for (const member of this.members) {
      if (member === except) continue;
      try {
        member.send(message, droppable);
      } catch {
        // A member that cannot take a message is closing; its own close handler cleans up.
      }
    }
  }
}

/** The child space a valid link blob (kind 3) names, or null for any other blob. */
export function linkChild(blob: Uint8Array): SpaceId | null {
  if (blob.length !== HEADER_LENGTH + LINK_BODY_LENGTH + SIGNATURE_LENGTH || blob[1] !== BlobKind.link) return null;
  return spaceIdFromPublicKey(blob.subarray(HEADER_LENGTH, HEADER_LENGTH + LINK_BODY_LENGTH));
}
