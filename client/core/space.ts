// One open space: its plaintext doc (rebuilt by decrypting, never persisted) and its epochs
// (docs/PROTOCOL.md §3, epochs), each a room with an envelope doc, a bridge and a connection per relay. The
// current epoch takes local writes; a newer one a relay names is synced beside it and becomes
// current once it holds a snapshot; a writer starts the next epoch once the room is large.
import type * as Y from 'yjs';
import {
  BlobKind,
  DEFAULT_LIMITS,
  accessLevel,
  normaliseRelayUrl,
  parseRoomName,
  publicKeyFromSpaceId,
  sealLinkBlob,
  sealUpdateBlob,
  type AccessLevel,
  type Capability,
  type Identity,
  type RoomKey,
  type RoomName,
  type Sealer,
  type SpaceId,
} from '../../shared/index.ts';
import * as YD from 'yjs';
import { BLOB_OVERHEAD } from './bridge.ts';
import { EpochRoom, type DisplacedWrite, type LocalWrite } from './epoch-room.ts';
import { ClientError } from './errors.ts';
import { fetchEpochs } from './http-sync.ts';
import type { ReceiptBook } from './receipts.ts';
import { chooseRelays, type RelayPolicy, type RelayVerdict } from './relay-choice.ts';
import type { ConnectionOptions, RelayStatus } from './relay-connection.ts';
import type { RoomStore } from './store.ts';
import { missingFrom, snapshotPieces } from './snapshot.ts';

export type { DisplacedWrite, LocalWrite } from './epoch-room.ts';

export interface SpaceContext {
  store: RoomStore;
  identity: Identity;
  connection?: ConnectionOptions;
  batchMs?: number;
  /** Damage in the local store or dropped blobs: reported, never fatal. */
  onProblem?: (message: string) => void;
  /** Blobs in the current epoch before a writer starts the next (docs/PROTOCOL.md §3, epochs). */
  compactAfterBlobs?: number;
  /** How often relays are asked which epochs they hold. */
  epochCheckMs?: number;
  /** Random wait before compacting, so writers that cross the threshold together rarely both do. */
  compactJitterMs?: number;
  maxBlobBytes?: number;
  /** Which relays of a board's list may be dialled (client/core/relay-choice.ts). */
  relayPolicy?: RelayPolicy;
}

type Listener = () => void;

const DEFAULT_EPOCH_CHECK_MS = 60_000;
const DEFAULT_COMPACT_JITTER_MS = 2_000;
/** A fresh device waits this long for a newer epoch's snapshot before syncing the old epoch. */
const HOLD_MS = 3_000;
/** A large room asks the relays for newer epochs at most this often. */
const GROWTH_CHECK_MS = 10_000;
const EPOCH_QUERY_TIMEOUT_MS = 5_000;
/** A relay's hint of an epoch already tried without a snapshot is followed at most this often. */
const HINT_RETRY_MS = 10_000;
/** Newer epochs named by relays, kept at most (a hostile relay could name thousands). */
const MAX_CLAIMED = 64;
/** After a failed compaction, the next attempt waits this long. */
const COMPACT_RETRY_MS = 10 * 60_000;
/**
 * The highest epoch a client opens or compacts into (docs/PROTOCOL.md §3, epochs): half the u32
 * range, so a writer cannot park a space at 0xFFFFFFFF, where it could never compact again.
 */
export const MAX_OPEN_EPOCH = 2 ** 31 - 1;
/**
 * How far above the epoch it has a device that already holds a space follows a newer one. A
 * device that missed more compactions than this recovers: when nothing in the window is left to
 * try, it takes the lowest epoch above it that holds a snapshot (docs/PROTOCOL.md §3, epochs).
 */
export const MAX_EPOCH_JUMP = 64;

export class Space {
  readonly plain: Y.Doc | null;
  /** Child spaces named by link blobs (a board's threads), at every access level. */
  readonly children = new Set<SpaceId>();
  private current!: EpochRoom;
  /** The current epoch and newer candidates, by epoch. */
  private readonly rooms = new Map<number, EpochRoom>();
  /** Older epochs loaded for their unconfirmed local writes, until those are re-published. */
  private retired: EpochRoom[] = [];
  /** The relays dialled: chosen from the candidates below by client/core/relay-choice.ts. */
  private relayList: string[] = [];
  /** Relays the link, the user or this device's own list entries named. */
  private readonly chosenRelays: string[] = [];
  /** The rest of the board's relay list. */
  private listedRelays: string[] = [];
  private verdicts = new Map<string, RelayVerdict>();
  private readonly listeners = new Set<Listener>();
  /** A fresh device: epoch 0 waits until the relays said whether a newer epoch exists. */
  private holdCurrent = false;
  private holdTimer: ReturnType<typeof setTimeout> | null = null;
  private republishDue = false;
  private compactTimer: ReturnType<typeof setTimeout> | null = null;
  private compacting: Promise<number> | null = null;
  private epochTimer: ReturnType<typeof setInterval> | null = null;
  private lastGrowthCheck = 0;
  private compactFailedAt = 0;
  private lastHintRetry = 0;
  /** Epochs above the current one that some relay says it holds. */
  private readonly claimed = new Set<number>();
  /**
   * Epochs named above the window (more than MAX_EPOCH_JUMP ahead), the lowest MAX_CLAIMED kept:
   * tried lowest first, and only once the window has nothing left to try.
   */
  private readonly beyond = new Set<number>();
  /** Claimed epochs whose room turned out to hold no snapshot (a lying or lagging relay). */
  private readonly failed = new Set<number>();
  /** Relays that answered (or failed to answer) which epochs they hold. */
  private readonly epochsAnswered = new Set<string>();
  /** Nothing of this space on the device yet: it follows the newest epoch with a snapshot, however far. */
  private fresh = false;
  private closed = false;

  private constructor(
    readonly cap: Capability,
    private readonly ctx: SpaceContext,
  ) {
    this.plain = cap.readKey ? new YD.Doc() : null;
  }

  /** Opens a space from the local store, validating everything read back. */
  static async open(cap: Capability, ctx: SpaceContext): Promise<Space> {
    const space = new Space(cap, ctx);
    await space.load();
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

  /** The current epoch's room, key, envelope doc and receipts. */
  get epoch(): number {
    return this.current.epoch;
  }
  get room(): RoomName {
    return this.current.room;
  }
  get key(): RoomKey {
    return this.current.key;
  }
  get envelope(): Y.Doc {
    return this.current.envelope;
  }
  get receipts(): ReceiptBook {
    return this.current.receipts;
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
    if (this.closed) return;
    let grew = false;
    for (const raw of relays) {
      const relay = normaliseRelayUrl(raw);
      if (this.chosenRelays.includes(relay)) continue;
      this.chosenRelays.push(relay);
      grew = true;
    }
    // Nothing new: no change to announce (a caller may hand the same relays on every render,
    // some of which the limit keeps out).
    if (grew) this.reselect();
  }

  /** The board's relay list, less what connect() was given: dialled only within the limits. */
  offerListed(relays: string[]): void {
    if (this.closed) return;
    if (relays.length === this.listedRelays.length && relays.every((r, i) => r === this.listedRelays[i])) return;
    this.listedRelays = [...relays];
    this.reselect();
  }

  /** Why each relay known to this space is dialled or not. */
  relayVerdicts(): Map<string, RelayVerdict> {
    return new Map(this.verdicts);
  }

  private syncedRelays(): string[] {
    const out: string[] = [];
    for (const room of [...this.rooms.values(), ...this.retired]) for (const r of room.syncedRelays()) if (!out.includes(r)) out.push(r);
    return out;
  }

  private reselect(): void {
    const { relays, verdicts } = chooseRelays({ chosen: this.chosenRelays, synced: this.syncedRelays(), listed: this.listedRelays }, this.ctx.relayPolicy);
    this.verdicts = verdicts;
    const added = relays.filter((r) => !this.relayList.includes(r));
    const dropped = this.relayList.filter((r) => !relays.includes(r));
    this.relayList = relays;
    for (const r of dropped) for (const room of this.rooms.values()) room.disconnectRelay(r);
    if (added.length > 0) {
      for (const room of this.rooms.values()) if (room !== this.current || !this.holdCurrent) room.connect(added);
      void this.checkEpochs(added);
      if (this.holdCurrent && !this.holdTimer) this.holdTimer = setTimeout(() => this.endHold(), HOLD_MS);
      this.startEpochTimer();
    }
    this.notify();
  }

  relays(): string[] {
    return [...this.relayList];
  }

  /**
   * Each relay's state for this space. A relay counts as synced only once it has also said which
   * epochs it holds and no newer epoch is still being fetched: what a synced space shows is then
   * the newest epoch, not an old one about to be replaced.
   */
  statuses(): RelayStatus[] {
    const trying = this.trying();
    const room = trying && trying.connections.size > 0 ? trying : this.current;
    if (room.connections.size === 0) {
      // Still asking the relays for a newer epoch: each counts as connecting.
      return this.relayList.map((relay) => ({ relay, state: 'connecting', transport: 'websocket', rejected: 0, failures: 0, lastError: null }));
    }
    return room.statuses().map((s) => (s.state === 'synced' && !this.epochsAnswered.has(s.relay) ? { ...s, state: 'connecting' } : s));
  }

  /** Seals pending local plaintext changes into a blob now instead of after the batch delay. */
  flush(): void {
    this.current.bridge?.flush();
  }

  /** Every blob this device wrote in the current epoch, with the relays whose receipts cover it. */
  localWrites(): LocalWrite[] {
    return this.current.localWrites();
  }

  /** The outbox: local writes no relay has confirmed yet. */
  outbox(): LocalWrite[] {
    return this.current.outbox();
  }

  /**
   * Writes of this device that a relay holds other bytes for (another write-key holder signed
   * for the same id first), and the ids their content was re-sealed at. Each is also reported
   * through onProblem.
   */
  displaced(): DisplacedWrite[] {
    return [...this.rooms.values(), ...this.retired].flatMap((room) => room.displaced);
  }

  /** Subscribes to any change: new blobs, relay states, receipts, a new epoch. Returns the unsubscribe. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Asks every relay which epochs it holds now (also done on connect and periodically). */
  async refreshEpochs(): Promise<void> {
    await this.checkEpochs(this.relayList);
  }

  /**
   * Starts the next epoch now: a snapshot of the whole plaintext doc (and, for a board, a link
   * per thread) into room `<spaceId>.<epoch+1>`. Resolves to the new current epoch.
   */
  compact(): Promise<number> {
    this.requireWrite();
    if (this.compactTimer) clearTimeout(this.compactTimer);
    this.compactTimer = null;
    return (this.compacting ??= this.runCompaction().finally(() => {
      this.compacting = null;
    }));
  }

  /** Resolves once everything received so far is in the local store. */
  async saved(): Promise<void> {
    try {
      for (const room of [...this.rooms.values(), ...this.retired]) await room.saved();
    } catch (err) {
      throw new ClientError('store', `could not save ${this.room}: ${(err as Error).message}`);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const t of [this.holdTimer, this.compactTimer]) if (t) clearTimeout(t);
    if (this.epochTimer) clearInterval(this.epochTimer);
    await this.compacting?.catch(() => {});
    // The current epoch first: closing its bridge seals anything pending.
    await this.current.close();
    await Promise.all([...this.rooms.values(), ...this.retired].map((r) => r.close()));
    this.plain?.destroy();
  }

  private async load(): Promise<void> {
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
        const old = this.makeRoom(epoch, false);
        await old.load();
        this.retired.push(old);
        continue;
      }
      const room = this.makeRoom(epoch, Boolean(this.cap.write));
      this.rooms.set(epoch, room);
      await room.load();
      if (epoch === 0 || room.snapshots > 0) chosen = room;
    }
    if (!chosen) {
      chosen = this.makeRoom(0, false);
      this.rooms.set(0, chosen);
      await chosen.load();
    }
    this.current = chosen;
    if (chosen.bridge) chosen.bridge.sealing = true;
    if (this.retired.length > 0 && this.cap.write) this.republishDue = true;
    else chosen.bridge?.stopCollecting();
    // Nothing on this device yet: ask the relays for a newer epoch before fetching epoch 0.
    this.holdCurrent = local.length === 0;
    this.fresh = local.length === 0;
    this.maybePromote();
  }

  private makeRoom(epoch: number, collect: boolean): EpochRoom {
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
        changed: (room) => this.roomChanged(room),
        child: (id) => this.children.add(id),
        newerEpoch: (e) => this.newerEpochHinted(e),
      },
      { sealing: false, collect },
    );
  }

  private roomChanged(room: EpochRoom): void {
    if (this.closed || room.isClosed || !this.current) return;
    if (room === this.current) {
      this.maybeRepublish();
      this.maybeCompact();
    } else if (room.epoch > this.current.epoch) {
      if (room.snapshots > 0) this.maybePromote();
      else this.candidateSettled(room);
    }
    this.notify();
  }

  /**
   * A relay says a newer epoch holds a snapshot (message 101): try it now, not at the next
   * periodic check, so a reader following a thread live does not lose it when a writer compacts.
   * Only a hint: the epoch becomes current once its snapshot blob arrives and validates.
   */
  private newerEpochHinted(epoch: number): void {
    if (this.closed || !this.current) return;
    if (this.mayRecoverTo(epoch)) {
      if (this.noteBeyond(epoch)) void this.nextCandidate().then(() => this.notify());
      return;
    }
    if (!this.mayFollow(epoch)) return;
    if (this.failed.has(epoch)) {
      // Tried before without a snapshot; it may hold one now, but a relay repeating the same
      // empty epoch does not get a room opened on every message.
      if (Date.now() - this.lastHintRetry < HINT_RETRY_MS) return;
      this.lastHintRetry = Date.now();
      this.failed.delete(epoch);
    } else if (this.claimed.has(epoch) || this.claimed.size >= MAX_CLAIMED) return;
    this.claimed.add(epoch);
    void this.nextCandidate().then(() => this.notify());
  }

  /** Asks relays for their epochs and tries the newest one claimed above the current one. */
  private async checkEpochs(relays: string[], retry = false): Promise<void> {
    if (relays.length === 0) return;
    const fetchImpl = this.ctx.connection?.fetch ?? globalThis.fetch.bind(globalThis);
    if (retry) this.failed.clear();
    // Each answer is acted on as it comes, so a relay that never answers (black-holed) does not
    // hold a fresh device's first sync: once the claims of the relays that answered are tried,
    // the hold ends; a slower relay's newer epoch is still tried, and promoted, when it answers.
    await Promise.all(
      relays.map((r) =>
        fetchEpochs(fetchImpl, r, this.cap.spaceId, EPOCH_QUERY_TIMEOUT_MS).then(
          (epochs) => this.epochsAnswer(r, epochs),
          () => void this.epochsAnswered.add(r), // no answer: nothing to try, nothing ends
        ),
      ),
    );
    if (this.closed) return;
    await this.nextCandidate();
    this.notify();
  }

  private async epochsAnswer(relay: string, epochs: number[]): Promise<void> {
    this.epochsAnswered.add(relay);
    if (this.closed) return;
    for (const e of epochs) {
      if (this.mayFollow(e) && this.claimed.size < MAX_CLAIMED) this.claimed.add(e);
      else if (this.mayRecoverTo(e)) this.noteBeyond(e);
    }
    await this.nextCandidate(); // ends the hold when nothing newer is claimed
    this.notify();
  }

  /**
   * Whether a newer epoch a relay names may be tried: never above MAX_OPEN_EPOCH, and, once this
   * device holds the space, at most MAX_EPOCH_JUMP above its current epoch (writers compact one
   * epoch at a time). A fresh device takes any, since older epochs may have been dropped.
   */
  private mayFollow(epoch: number): boolean {
    if (!Number.isSafeInteger(epoch) || epoch <= this.current.epoch || epoch > MAX_OPEN_EPOCH) return false;
    return this.fresh || epoch - this.current.epoch <= MAX_EPOCH_JUMP;
  }

  /** An epoch above the window a device that holds the space may still recover to (never 2^31 or above). */
  private mayRecoverTo(epoch: number): boolean {
    return !this.fresh && Number.isSafeInteger(epoch) && epoch - this.current.epoch > MAX_EPOCH_JUMP && epoch <= MAX_OPEN_EPOCH;
  }

  /** Keeps the lowest MAX_CLAIMED epochs named above the window; true when `epoch` is new among them. */
  private noteBeyond(epoch: number): boolean {
    if (this.beyond.has(epoch)) return false;
    if (this.beyond.size >= MAX_CLAIMED) {
      const highest = Math.max(...this.beyond);
      if (epoch > highest) return false;
      this.beyond.delete(highest);
    }
    this.beyond.add(epoch);
    return true;
  }

  /**
   * The recovery candidate: once every relay answered and the window holds nothing left to try,
   * the lowest epoch above the window not yet tried. Lowest, so a writer's far-ahead epoch is
   * never preferred to a nearer one; each step then follows the window from there.
   */
  private recoveryCandidate(): number | undefined {
    if (!this.relayList.every((r) => this.epochsAnswered.has(r))) return undefined;
    return [...this.beyond].filter((e) => this.mayRecoverTo(e) && !this.failed.has(e) && !this.rooms.has(e)).sort((a, b) => a - b)[0];
  }

  /** The candidate being tried: a newer epoch not yet known to hold a snapshot. */
  private trying(): EpochRoom | null {
    for (const room of this.rooms.values()) if (room.epoch > this.current.epoch && room.snapshots === 0) return room;
    return null;
  }

  /** One candidate at a time, newest first: only the epoch that will be read is fetched. */
  private async nextCandidate(): Promise<void> {
    if (this.closed || this.trying()) return;
    // After a recovery step, epochs named above the old window may be inside the new one.
    for (const e of this.beyond) {
      if (this.mayRecoverTo(e)) continue;
      this.beyond.delete(e);
      if (this.mayFollow(e) && this.claimed.size < MAX_CLAIMED) this.claimed.add(e);
    }
    const next = [...this.claimed].filter((e) => this.mayFollow(e) && !this.failed.has(e) && !this.rooms.has(e)).sort((a, b) => b - a)[0] ?? this.recoveryCandidate();
    if (next === undefined) {
      this.endHold();
      return;
    }
    await this.openCandidate(next);
  }

  private async openCandidate(epoch: number): Promise<EpochRoom> {
    const existing = this.rooms.get(epoch);
    if (existing) return existing;
    const room = this.makeRoom(epoch, Boolean(this.cap.write));
    this.rooms.set(epoch, room);
    await room.load();
    if (!this.closed) room.connect(this.relayList);
    this.maybePromote();
    return room;
  }

  /** Every relay answered for a candidate and none gave it a snapshot: try the next. */
  private candidateSettled(room: EpochRoom): void {
    const states = room.syncStates();
    if (states.length === 0 || states.includes('connecting') || !states.includes('synced')) return;
    this.failed.add(room.epoch);
    this.rooms.delete(room.epoch);
    void room.close();
    void this.nextCandidate();
  }

  private endHold(): void {
    if (this.holdTimer) clearTimeout(this.holdTimer);
    this.holdTimer = null;
    if (!this.holdCurrent || this.closed) return;
    this.holdCurrent = false;
    this.current.connect(this.relayList);
  }

  /** The newest epoch that holds a snapshot becomes current; older ones stop syncing. */
  private maybePromote(): void {
    if (this.closed || !this.current) return;
    let best: EpochRoom | null = null;
    for (const room of this.rooms.values()) {
      if (room.epoch > this.current.epoch && room.snapshots > 0 && (!best || room.epoch > best.epoch)) best = room;
    }
    if (!best) return;
    const old = this.current;
    this.fresh = false; // it holds the space now: later epochs come one bounded step at a time
    old.bridge?.flush(); // sealed into the old epoch, then re-published below like any other gap
    if (old.bridge) old.bridge.sealing = false;
    if (best.bridge) best.bridge.sealing = true;
    this.current = best;
    for (const [epoch, room] of this.rooms) {
      if (epoch >= best.epoch) continue;
      this.rooms.delete(epoch);
      room.disconnect();
      if (room.blobCount > 0) this.retired.push(room);
      else void room.close();
    }
    if (this.cap.write && this.retired.length > 0) this.republishDue = true;
    else {
      best.bridge?.stopCollecting();
      for (const old of this.retired.splice(0)) void old.close();
    }
    this.endHold();
    best.connect(this.relayList);
    this.maybeRepublish();
    this.notify();
    // A still newer epoch may have been named while this one was being tried.
    void this.nextCandidate();
  }

  /**
   * Once the current epoch is synced (or there is no relay), whatever the plaintext doc holds
   * that this epoch's blobs lack (an offline writer's posts) is sealed into it, and the older
   * epochs' queued writes count as delivered through it.
   */
  private maybeRepublish(): void {
    if (!this.republishDue || this.closed) return;
    if (this.relayList.length > 0 && !this.current.anySynced()) return;
    this.republishDue = false;
    const room = this.current;
    const target = room.bridge?.openedState();
    room.bridge?.stopCollecting();
    if (!target || !this.plain || !this.cap.write || !this.cap.readKey) return;
    const missing = missingFrom(this.plain, target);
    const sealers: Sealer[] = [];
    const key = { ...room.key, readKey: this.cap.readKey, writeSecret: this.cap.write.secretKey };
    const identity = this.ctx.identity;
    if (missing) {
      const limit = this.maxBlobBytes() - BLOB_OVERHEAD;
      // Too large for one blob: a fresh snapshot of the whole doc carries it instead.
      const pieces = missing.length <= limit ? [missing] : snapshotPieces(this.plain, limit);
      const kind = pieces.length === 1 && pieces[0] === missing ? BlobKind.update : BlobKind.snapshot;
      for (const p of pieces) sealers.push((pos) => sealUpdateBlob(key, kind, identity, p, pos));
    }
    for (const child of this.children) {
      if (room.children.has(child)) continue;
      const pub = publicKeyFromSpaceId(child);
      if (pub) sealers.push((pos) => sealLinkBlob(key, pub, pos));
    }
    room.appendLocal(sealers);
    const retired = this.retired;
    this.retired = [];
    for (const old of retired) {
      old.settle();
      void old.close();
    }
  }

  private maxBlobBytes(): number {
    return this.ctx.maxBlobBytes ?? DEFAULT_LIMITS.maxBlobBytes;
  }

  private threshold(): number {
    return this.ctx.compactAfterBlobs ?? DEFAULT_LIMITS.compactAfterBlobs;
  }

  /** A large current epoch: readers look for a newer one, writers start one after a random wait. */
  private maybeCompact(): void {
    if (this.closed || this.compacting || this.compactTimer) return;
    if (this.current.blobCount < this.threshold() || Date.now() - this.compactFailedAt < COMPACT_RETRY_MS) return;
    if (this.relayList.length > 0 && !this.current.anySynced()) return;
    if (!this.cap.write || !this.plain) {
      const now = Date.now();
      if (now - this.lastGrowthCheck < GROWTH_CHECK_MS) return;
      this.lastGrowthCheck = now;
      void this.checkEpochs(this.relayList);
      return;
    }
    const wait = Math.random() * (this.ctx.compactJitterMs ?? DEFAULT_COMPACT_JITTER_MS);
    this.compactTimer = setTimeout(() => {
      this.compactTimer = null;
      if (this.current.blobCount < this.threshold()) return;
      void this.compact().catch((err: Error) => {
        this.compactFailedAt = Date.now(); // not again on every change: after a while
        this.ctx.onProblem?.(`${this.room}: compaction failed: ${err.message}`);
      });
    }, wait);
  }

  private async runCompaction(): Promise<number> {
    // Someone may have started the next epoch already: follow it rather than start another.
    const from = this.current.epoch;
    await this.checkEpochs(this.relayList);
    const waitUntil = Date.now() + HOLD_MS;
    while (!this.closed && this.current.epoch === from && Date.now() < waitUntil && this.waitingForCandidate()) {
      await new Promise((r) => setTimeout(r, 25));
    }
    if (this.closed || this.current.epoch !== from) return this.current.epoch;
    if (from >= MAX_OPEN_EPOCH) throw new ClientError('bad-input', 'this space has reached its last epoch and cannot compact again');
    const next = from + 1;
    const room = await this.openCandidate(next);
    if (this.closed || room.epoch <= this.current.epoch) return this.current.epoch;
    const plain = this.requireWrite();
    const key = { ...room.key, readKey: this.cap.readKey!, writeSecret: this.cap.write!.secretKey };
    const identity = this.ctx.identity;
    const sealers: Sealer[] = snapshotPieces(plain, this.maxBlobBytes() - BLOB_OVERHEAD).map((p) => (pos) => sealUpdateBlob(key, BlobKind.snapshot, identity, p, pos));
    for (const child of this.children) {
      const pub = publicKeyFromSpaceId(child);
      if (pub) sealers.push((pos) => sealLinkBlob(key, pub, pos));
    }
    const retiredBefore = this.retired.length;
    room.appendLocal(sealers);
    // The snapshot is this device's whole doc: nothing of the old epoch is missing from it,
    // unless older epochs were loaded for their queued writes before (they are in the doc too).
    if (this.current === room && retiredBefore === 0) {
      this.republishDue = false;
      room.bridge?.stopCollecting();
      for (const old of this.retired.splice(0)) {
        old.settle();
        void old.close();
      }
    }
    return this.current.epoch;
  }

  /** A newer epoch is open but not yet synced with any relay (its snapshot may be on its way). */
  private waitingForCandidate(): boolean {
    return [...this.rooms.values()].some((r) => r.epoch > this.current.epoch && r.snapshots === 0 && !r.anySynced() && r.connections.size > 0);
  }

  private startEpochTimer(): void {
    if (this.epochTimer || this.closed) return;
    this.epochTimer = setInterval(() => void this.checkEpochs(this.relayList, true), this.ctx.epochCheckMs ?? DEFAULT_EPOCH_CHECK_MS);
    (this.epochTimer as { unref?: () => void }).unref?.();
  }

  private notify(): void {
    for (const l of this.listeners) l();
  }
}
