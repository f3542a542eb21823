// One open space: its plaintext doc (rebuilt by decrypting, never persisted) and its epochs
// (docs/PROTOCOL.md §3, epochs), each a room with an envelope doc, a bridge and a connection
// per relay. This is the face the boards API, the CLI and the web client see; the epochs are
// kept in space-rooms.ts, newer ones found by epoch-scout.ts, and compaction and re-publishing
// done by compactor.ts.
import * as Y from 'yjs';
import { accessLevel, type AccessLevel, type Capability, type Identity, type RoomKey, type RoomName, type SpaceId } from '#shared';
import { Compactor } from './compactor.ts';
import { whenDelivered, whenSynced, type BlobRef, type WaitOptions, type Written } from './delivery.ts';
import type { DisplacedWrite, EpochRoom, LocalWrite } from './epoch-room.ts';
import { EpochScout } from './epoch-scout.ts';
import { ClientError } from './errors.ts';
import type { ReceiptBook } from './receipts.ts';
import type { RelayVerdict } from './relay-choice.ts';
import { RelaySelection } from './relay-selection.ts';
import type { RelayStatus } from './relay-connection.ts';
import type { SpaceContext } from './space-context.ts';
import { SpaceRooms } from './space-rooms.ts';

export type { DisplacedWrite, LocalWrite } from './epoch-room.ts';
export type { SpaceContext } from './space-context.ts';
export { MAX_OPEN_EPOCH } from './space-rooms.ts';
export { MAX_EPOCH_JUMP } from './epoch-scout.ts';

export class Space {
  readonly plain: Y.Doc | null;
  /** Child spaces named by link blobs (a board's threads), at every access level. */
  readonly children = new Set<SpaceId>();
  private readonly rooms: SpaceRooms;
  private readonly scout: EpochScout;
  private readonly compactor: Compactor;
  private readonly selection: RelaySelection;
  private readonly listeners = new Set<() => void>();

  private constructor(
    readonly cap: Capability,
    private readonly ctx: SpaceContext,
  ) {
    this.plain = cap.readKey ? new Y.Doc() : null;
    this.rooms = new SpaceRooms(cap, ctx, this.plain, {
      changed: (room) => this.roomChanged(room),
      child: (id) => this.children.add(id),
      newerEpoch: (epoch) => this.scout.hinted(epoch),
    });
    const promoted = (room: EpochRoom) => {
      this.compactor.promoted(room);
      this.notify();
    };
    this.scout = new EpochScout(this.rooms, { promoted, notify: () => this.notify() });
    this.compactor = new Compactor(this.rooms, this.scout, this.children);
    this.selection = new RelaySelection(this.rooms, this.scout, ctx.relayPolicy, () => this.notify());
  }

  /** Opens a space from the local store, validating everything read back. */
  static async open(cap: Capability, ctx: SpaceContext): Promise<Space> {
    const space = new Space(cap, ctx);
    const stored = await space.rooms.load();
    space.compactor.loaded();
    // Nothing on this device yet: the relays are asked for a newer epoch before epoch 0 is fetched.
    space.scout.start(stored);
    return space;
  }

  get spaceId(): SpaceId {
    return this.cap.spaceId;
  }
  /** The identity this device writes with. */
  get identity(): Identity {
    return this.ctx.identity;
  }
  get access(): AccessLevel {
    return accessLevel(this.cap);
  }
  /** The current epoch's number, room, key, envelope doc and receipts. */
  get epoch(): number {
    return this.rooms.current.epoch;
  }
  get room(): RoomName {
    return this.rooms.current.room;
  }
  get key(): RoomKey {
    return this.rooms.current.key;
  }
  get envelope(): Y.Doc {
    return this.rooms.current.envelope;
  }
  get receipts(): ReceiptBook {
    return this.rooms.current.receipts;
  }

  /** Throws unless this space may be written (a read-only capability cannot post). */
  requireWrite(): Y.Doc {
    if (!this.cap.write || !this.plain) throw new ClientError('read-only', `this ${this.cap.kind} capability is ${this.access}-only: it cannot write`);
    return this.plain;
  }

  requireRead(): Y.Doc {
    if (!this.plain) throw new ClientError('no-read-key', `this ${this.cap.kind} capability is mirror-only: it cannot read`);
    return this.plain;
  }

  /**
   * Starts syncing with these relays too, as chosen by this device's user (a link's hints, a
   * relay they added): they come first among the relays dialled (at most 16).
   */
  connect(relays: string[]): void {
    this.selection.choose(relays);
  }

  /** Relays the user added on this device: chosen, and dialled even once the board's list removes them. */
  keep(relays: string[]): void {
    this.selection.keep(relays);
  }

  /** Stops keeping a relay the user added (it stays only if something else chose it). */
  unkeep(relay: string): void {
    this.selection.unkeep(relay);
  }

  /** The relays the board's list removed: not dialled unless the user added them (relay-choice.ts). */
  setRemoved(relays: string[]): void {
    this.selection.setRemoved(relays);
  }

  /** The board's relay list, less what connect() was given: dialled only within the limits. */
  offerListed(relays: string[]): void {
    this.selection.offerListed(relays);
  }

  /** Why each relay known to this space is dialled or not. */
  relayVerdicts(): Map<string, RelayVerdict> {
    return this.selection.why();
  }

  relays(): string[] {
    return [...this.rooms.relays];
  }

  /** Each relay's state for this space, as epoch-scout.ts counts it (synced means synced in the newest epoch). */
  statuses(): RelayStatus[] {
    return this.scout.statuses();
  }

  /** Seals pending local plaintext changes into blobs now instead of after the batch delay; returns what it sealed. */
  flush(): Written {
    const current = this.rooms.current;
    return { room: current.room, blobs: (current.bridge?.sealNow() ?? []).map(({ client, clock }) => ({ client, clock })) };
  }

  /** Every blob this device wrote in the current epoch, with the relays whose receipts cover it. */
  localWrites(): LocalWrite[] {
    return this.rooms.current.localWrites();
  }

  /** The outbox: local writes no relay has confirmed yet. */
  outbox(): LocalWrite[] {
    return this.rooms.current.outbox();
  }

  /**
   * Writes of this device that a relay holds other bytes for (another write-key holder signed
   * for the same id first), and the ids their content was re-sealed at. Each is also reported
   * through onProblem.
   */
  displaced(): DisplacedWrite[] {
    return this.rooms.all().flatMap((room) => room.displaced);
  }

  /** The relays whose receipts cover every blob of a write of this device (space-rooms.ts). */
  confirmedBy(written: Written | BlobRef): string[] {
    return this.rooms.confirmedBy('blobs' in written ? written : { room: this.room, blobs: [written] });
  }

  /** Resolves with the relays this space synced with, none if no relay can be reached (delivery.ts). */
  whenSynced(o: WaitOptions & { graceMs?: number } = {}): Promise<string[]> {
    return whenSynced(this, o);
  }

  /** Resolves with the relays that confirmed a write, or every local write (delivery.ts). */
  whenDelivered(written?: Written, o: WaitOptions & { untilUnreachable?: boolean } = {}): Promise<string[]> {
    return whenDelivered(this, written, o);
  }

  /** Subscribes to any change: new blobs, relay states, receipts, a new epoch. Returns the unsubscribe. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Asks every relay which epochs it holds now (also done on connect and periodically). */
  async refreshEpochs(): Promise<void> {
    await this.scout.checkEpochs(this.rooms.relays);
  }

  /**
   * Starts the next epoch now: a snapshot of the whole plaintext doc (and, for a board, a link
   * per thread) into room `<spaceId>.<epoch+1>`. Resolves to the new current epoch.
   */
  compact(): Promise<number> {
    this.requireWrite();
    return this.compactor.compact();
  }

  /** Resolves once everything received so far is in the local store. */
  async saved(): Promise<void> {
    try {
      for (const room of this.rooms.all()) await room.saved();
    } catch (err) {
      throw new ClientError('store', `could not save ${this.room}: ${(err as Error).message}`, undefined, { cause: err });
    }
  }

  async close(): Promise<void> {
    if (this.rooms.closed) return;
    this.rooms.closed = true;
    this.scout.close();
    await this.compactor.close();
    await this.rooms.close();
    this.plain?.destroy();
  }

  private roomChanged(room: EpochRoom): void {
    if (this.rooms.closed || room.isClosed || !this.rooms.current) return;
    if (room === this.rooms.current) this.compactor.currentChanged();
    else if (room.epoch > this.rooms.current.epoch) this.scout.candidateChanged(room);
    this.notify();
  }

  private notify(): void {
    for (const l of this.listeners) l();
  }
}
