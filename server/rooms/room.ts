// One loaded room: its envelope doc, the members connected to it and their awareness.
// Every foreign update passes the shared validator here before it touches the doc.
import * as Y from 'yjs';
import {
  BlobKind,
  HEADER_LENGTH,
  LINK_BODY_LENGTH,
  isMoveLink,
  SIGNATURE_LENGTH,
  blobAt,
  clockOfDoc,
  envelopeLog,
  spaceIdFromPublicKey,
  createEnvelopeDoc,
  validateEnvelopeUpdate,
  type EnvelopeVerdict,
  type RoomAddress,
  type SignatureVerifier,
  type SpaceId,
  type ValidateOptions,
} from '#shared';
import type { RelayLimits } from '../config.ts';
import { writeAwarenessMessage, writeSyncUpdate } from '#shared/wire/index.ts';
import { nativeVerifier } from '../verify/native.ts';
import type { BlobVerifier } from '../verify/pool.ts';
import { RoomAwareness, readAwarenessUpdate, writeAwarenessUpdate, type AwarenessEntry } from './awareness.ts';
import type { Acceptance, RejectCode, RoomEvents, RoomLink, RoomMember, StoredRows } from './room-types.ts';
import { restoreAll } from './restore.ts';
import { VerifyQueue } from './verify-queue.ts';
import { say, str } from '../l10n.ts';

export type { Acceptance, RejectCode, RoomEvents, RoomLink, RoomMember, StoredRows } from './room-types.ts';

/** Ed25519 on this thread (node:crypto under libsodium's rules), for the synchronous path. */
const verifyHere = nativeVerifier();

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
  /** The pieces the room was restored from, in order (restore.ts): the whole room while `version` is 0. */
  restoredPieces: readonly Uint8Array[] | null = null;
  /** Bytes promised to an import under way (server/bundles/import.ts), counted as held. */
  reserved = 0;
  lastActivity = Date.now();
  /** Ids at which someone sent other bytes than the room holds (two valid blobs for one id). */
  conflicts = 0;
  readonly #log: (line: string) => void;
  /** Updates waiting for verification, in arrival order. */
  readonly #verifying: VerifyQueue;
  #destroyed = false;

  constructor(
    readonly address: RoomAddress,
    private readonly limits: RelayLimits,
    stored: StoredRows,
    private readonly persist: (room: Room, update: Uint8Array, origin: unknown) => void,
    log: (line: string) => void = () => {},
    private readonly events: RoomEvents = {},
    verifier: BlobVerifier | null = null,
  ) {
    this.name = address.room;
    this.doc = createEnvelopeDoc();
    this.bytes = stored.bytes;
    this.rows = 'updates' in stored ? stored.updates.length : stored.rowsRestoredLater;
    this.#log = log;
    this.#verifying = new VerifyQueue(
      { address, validateOptions: () => this.#validateOptions(), receive: (u, f, v) => this.receive(u, f, v), accept: (u, f, v) => this.#accept(u, f, v) },
      verifier,
    );
    if ('updates' in stored) restoreAll(this.doc, stored.updates, this.name, log);
  }

  /** Validates a foreign update and applies it if every rule holds. Never throws on input. */
  receive(update: Uint8Array, from: unknown, verify: SignatureVerifier = verifyHere): Acceptance {
    this.lastActivity = Date.now();
    const verdict = validateEnvelopeUpdate(update, this.address, { ...this.#validateOptions(), verify });
    return this.#accept(update, from, verdict);
  }

  /**
   * receive() with the signatures checked by the relay's verifier (worker threads), so a big
   * update never stalls other rooms. Updates of one room apply in the order they arrived here.
   * Those that arrive while others are being verified are verified together, each against the
   * room as the ones before it would leave it; after a refusal the rest are checked again
   * against the room as it is. Never rejects.
   */
  receiveVerified(update: Uint8Array, from: unknown): Promise<Acceptance> {
    this.lastActivity = Date.now();
    return this.#verifying.add(update, from);
  }

  /** Unloaded: its doc holds nothing any more. */
  get destroyed(): boolean {
    return this.#destroyed;
  }

  /** Updates waiting for verification, and their bytes. */
  get pending(): number {
    return this.#verifying.pending;
  }
  get pendingBytes(): number {
    return this.#verifying.pendingBytes;
  }

  #validateOptions(): ValidateOptions {
    return {
      clockOf: clockOfDoc(this.doc),
      heldBlob: (pos: { client: number; clock: number }) => blobAt(this.doc, pos),
      maxUpdateBytes: this.limits.maxUpdateBytes,
      maxBlobBytes: this.limits.maxBlobBytes,
    };
  }

  /** Applies a validated update, after the room-size rule; reports conflicts. */
  #accept(update: Uint8Array, from: unknown, verdict: EnvelopeVerdict): Acceptance {
    if (this.#destroyed) return { ok: false, code: 'busy', reason: 'unverified', detail: 'the room was unloaded' };
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
      const room = `${this.name.slice(0, 8)}…`;
      const count = verdict.conflicts.length;
      const at = `${first.client}:${first.clock}`;
      const line = this.links.has(from as RoomLink)
        ? say(str`${room} a peer link holds other bytes at ${count} id(s) than this relay (first ${at})`, { id: 'relay.log.linkConflicts' })
        : say(str`${room} a sender holds other bytes at ${count} id(s) than this relay (first ${at})`, { id: 'relay.log.senderConflicts' });
      this.#log(`room: ${line}`);
      this.events.conflicts?.(this, from, verdict.conflicts.length);
    }
    if (verdict.blobs.length === 0) return { ok: true, added: 0, children: [] };
    let adding = 0;
    for (const b of verdict.blobs) adding += b.blob.length;
    if (this.bytes + this.reserved + adding > this.limits.maxRoomBytes) {
      return { ok: false, code: 'room-full', reason: 'room-full', detail: `the room would exceed ${this.limits.maxRoomBytes} bytes` };
    }
    if (this.events.grow && !this.events.grow(this, adding, verdict.blobs.length, from, false)) {
      return { ok: false, code: 'busy', reason: 'memory-full', detail: 'the relay holds as much in memory as it may' };
    }
    this.#apply(update, from, verdict.whole === true);
    return { ok: true, added: verdict.blobs.length, children: this.#announce(verdict.blobs.map((b) => b.blob)) };
  }

  /**
   * Applies an update that already passed the validator against this room's clocks, or
   * older ones (an import verifies first, then applies): what it builds on is still here,
   * since a room only grows. Its bytes were reserved; `blobs` are the new blobs it holds.
   */
  applyVerified(update: Uint8Array, blobs: Uint8Array[], from: unknown): number {
    this.lastActivity = Date.now();
    this.events.grow?.(this, blobs.reduce((n, b) => n + b.length, 0), blobs.length, from, true);
    this.#apply(update, from, false);
    this.#announce(blobs);
    return blobs.length;
  }

  /**
   * Applies a validated update, then stores and passes on what it added: the update itself
   * when every struct in it was new (`whole`), else what the doc gained. (Yjs could encode the
   * gain on every transaction through its 'update' event; a relay mostly has the bytes already.)
   */
  #apply(update: Uint8Array, origin: unknown, whole: boolean): void {
    const before = whole ? null : Y.encodeStateVector(this.doc);
    Y.applyUpdate(this.doc, update, origin);
    this.#onUpdate(before ? Y.encodeStateAsUpdate(this.doc, before) : update, origin);
  }

  /** Tells the peering layer about new link blobs and snapshots; returns the linked children. */
  #announce(blobs: Uint8Array[]): SpaceId[] {
    const children = blobs.map((b) => linkChild(b)).filter((c): c is SpaceId => c !== null);
    if (children.length > 0) this.events.linked?.(this, children, movesOf(blobs));
    if (this.address.epoch > 0 && blobs.some((b) => b[1] === BlobKind.snapshot)) this.events.snapshot?.(this);
    return children;
  }

  /** Every child space named by a link blob the room holds. */
  linkedChildren(): SpaceId[] {
    return [...this.childLinks().children];
  }

  /** Every child space a link blob of the room names, and those a move link names (successor boards). */
  childLinks(): { children: Set<SpaceId>; moves: Set<SpaceId> } {
    const children = new Set<SpaceId>();
    const moves = new Set<SpaceId>();
    for (const blob of envelopeLog(this.doc)) {
      const child = linkChild(blob);
      if (!child) continue;
      children.add(child);
      if (isMoveLink(blob)) moves.add(child);
    }
    return { children, moves };
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
    this.#destroyed = true;
    this.members.clear();
    this.links.clear();
    this.doc.destroy();
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

/** The child space a valid link blob (kind 3, plain or move) names, or null for any other blob. */
export function linkChild(blob: Uint8Array): SpaceId | null {
  if (blob[1] !== BlobKind.link) return null;
  if (blob.length !== HEADER_LENGTH + LINK_BODY_LENGTH + SIGNATURE_LENGTH && !isMoveLink(blob)) return null;
  return spaceIdFromPublicKey(blob.subarray(HEADER_LENGTH, HEADER_LENGTH + LINK_BODY_LENGTH));
}

/** The children move links among `blobs` name. */
function movesOf(blobs: Uint8Array[]): Set<SpaceId> {
  const moves = new Set<SpaceId>();
  for (const b of blobs) if (isMoveLink(b)) moves.add(linkChild(b)!);
  return moves;
}
