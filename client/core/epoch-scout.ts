// Finding a space's newer epochs (docs/PROTOCOL.md §3, epochs): relays are asked which epochs
// they hold (on connect, periodically, when the room grows) and may hint at one (message 101);
// one claimed epoch at a time is opened as a candidate, and the newest that turns out to hold
// a valid snapshot becomes current. Claims are bounded: a hostile relay can name thousands.
import { fetchEpochs } from './http-sync.ts';
import type { EpochRoom } from './epoch-room.ts';
import type { RelayStatus } from './relay-connection.ts';
import { MAX_OPEN_EPOCH, type SpaceRooms } from './space-rooms.ts';

const DEFAULT_EPOCH_CHECK_MS = 60_000;
/** A fresh device waits this long for a newer epoch's snapshot before syncing the old epoch. */
export const HOLD_MS = 3_000;
const EPOCH_QUERY_TIMEOUT_MS = 5_000;
/** A relay's hint of an epoch already tried without a snapshot is followed at most this often. */
const HINT_RETRY_MS = 10_000;
/** Newer epochs named by relays, kept at most (a hostile relay could name thousands). */
const MAX_CLAIMED = 64;
/**
 * How far above the epoch it has a device that already holds a space follows a newer one. A
 * device that missed more compactions than this recovers: when nothing in the window is left to
 * try, it takes the lowest epoch above it that holds a snapshot (docs/PROTOCOL.md §3, epochs).
 */
export const MAX_EPOCH_JUMP = 64;

/** What the scout tells its space. */
export interface ScoutEvents {
  /** A newer epoch became current; older ones were retired or closed. */
  promoted(room: EpochRoom): void;
  notify(): void;
}

export class EpochScout {
  /** A fresh device: epoch 0 waits until the relays said whether a newer epoch exists. */
  holdCurrent = false;
  private holdTimer: ReturnType<typeof setTimeout> | null = null;
  private epochTimer: ReturnType<typeof setInterval> | null = null;
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

  constructor(
    private readonly rooms: SpaceRooms,
    private readonly events: ScoutEvents,
  ) {}

  /** Starts from what the store held: nothing means a fresh device, which asks before it syncs epoch 0. */
  start(storedEpochs: number): void {
    this.holdCurrent = storedEpochs === 0;
    this.fresh = storedEpochs === 0;
    this.maybePromote();
  }

  /** New relays are dialled: ask them for epochs, and start the fresh device's hold and the periodic check. */
  relaysAdded(added: string[]): void {
    void this.checkEpochs(added);
    if (this.holdCurrent && !this.holdTimer) this.holdTimer = setTimeout(() => this.endHold(), HOLD_MS);
    if (this.epochTimer || this.rooms.closed) return;
    this.epochTimer = setInterval(() => void this.checkEpochs(this.rooms.relays, true), this.rooms.ctx.epochCheckMs ?? DEFAULT_EPOCH_CHECK_MS);
    (this.epochTimer as { unref?: () => void }).unref?.();
  }

  /** A candidate room changed: promoted once it holds a snapshot, given up once every relay answered without one. */
  candidateChanged(room: EpochRoom): void {
    if (room.snapshots > 0) this.maybePromote();
    else this.candidateSettled(room);
  }

  /**
   * A relay says a newer epoch holds a snapshot (message 101): try it now, not at the next
   * periodic check, so a reader following a thread live does not lose it when a writer compacts.
   * Only a hint: the epoch becomes current once its snapshot blob arrives and validates.
   */
  hinted(epoch: number): void {
    if (this.rooms.closed || !this.rooms.current) return;
    if (this.mayRecoverTo(epoch)) {
      if (this.noteBeyond(epoch)) void this.nextCandidate().then(() => this.events.notify());
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
    void this.nextCandidate().then(() => this.events.notify());
  }

  /** Asks relays for their epochs and tries the newest one claimed above the current one. */
  async checkEpochs(relays: string[], retry = false): Promise<void> {
    if (relays.length === 0) return;
    const fetchImpl = this.rooms.ctx.connection?.fetch ?? globalThis.fetch.bind(globalThis);
    if (retry) this.failed.clear();
    // Each answer is acted on as it comes, so a relay that never answers (black-holed) does not
    // hold a fresh device's first sync: once the claims of the relays that answered are tried,
    // the hold ends; a slower relay's newer epoch is still tried, and promoted, when it answers.
    await Promise.all(
      relays.map((r) =>
        fetchEpochs(fetchImpl, r, this.rooms.cap.spaceId, EPOCH_QUERY_TIMEOUT_MS).then(
          (epochs) => this.epochsAnswer(r, epochs),
          () => void this.epochsAnswered.add(r), // no answer: nothing to try, nothing ends
        ),
      ),
    );
    if (this.rooms.closed) return;
    await this.nextCandidate();
    this.events.notify();
  }

  private async epochsAnswer(relay: string, epochs: number[]): Promise<void> {
    this.epochsAnswered.add(relay);
    if (this.rooms.closed) return;
    for (const e of epochs) {
      if (this.mayFollow(e) && this.claimed.size < MAX_CLAIMED) this.claimed.add(e);
      else if (this.mayRecoverTo(e)) this.noteBeyond(e);
    }
    await this.nextCandidate(); // ends the hold when nothing newer is claimed
    this.events.notify();
  }

  /**
   * Whether a newer epoch a relay names may be tried: never above MAX_OPEN_EPOCH, and, once this
   * device holds the space, at most MAX_EPOCH_JUMP above its current epoch (writers compact one
   * epoch at a time). A fresh device takes any, since older epochs may have been dropped.
   */
  private mayFollow(epoch: number): boolean {
    const current = this.rooms.current.epoch;
    if (!Number.isSafeInteger(epoch) || epoch <= current || epoch > MAX_OPEN_EPOCH) return false;
    return this.fresh || epoch - current <= MAX_EPOCH_JUMP;
  }

  /** An epoch above the window a device that holds the space may still recover to (never 2^31 or above). */
  private mayRecoverTo(epoch: number): boolean {
    return !this.fresh && Number.isSafeInteger(epoch) && epoch - this.rooms.current.epoch > MAX_EPOCH_JUMP && epoch <= MAX_OPEN_EPOCH;
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
    if (!this.rooms.relays.every((r) => this.epochsAnswered.has(r))) return undefined;
    return [...this.beyond].filter((e) => this.mayRecoverTo(e) && !this.failed.has(e) && !this.rooms.byEpoch.has(e)).sort((a, b) => a - b)[0];
  }

  /** The candidate being tried: a newer epoch not yet known to hold a snapshot. */
  trying(): EpochRoom | null {
    for (const room of this.rooms.byEpoch.values()) if (room.epoch > this.rooms.current.epoch && room.snapshots === 0) return room;
    return null;
  }

  /**
   * Each relay's state for the space. A relay counts as synced only once it has also said which
   * epochs it holds and no newer epoch is still being fetched: what a synced space shows is then
   * the newest epoch, not an old one about to be replaced.
   */
  statuses(): RelayStatus[] {
    const trying = this.trying();
    const room = trying && trying.connections.size > 0 ? trying : this.rooms.current;
    if (room.connections.size === 0) {
      // Still asking the relays for a newer epoch: each counts as connecting.
      return this.rooms.relays.map((relay) => ({ relay, state: 'connecting', transport: 'websocket', rejected: 0, failures: 0, since: null, lastError: null }));
    }
    return room.statuses().map((s) => (s.state === 'synced' && !this.epochsAnswered.has(s.relay) ? { ...s, state: 'connecting' } : s));
  }

  /** A newer epoch is open but not yet synced with any relay (its snapshot may be on its way). */
  waitingForCandidate(): boolean {
    return [...this.rooms.byEpoch.values()].some((r) => r.epoch > this.rooms.current.epoch && r.snapshots === 0 && !r.anySynced() && r.connections.size > 0);
  }

  /** One candidate at a time, newest first: only the epoch that will be read is fetched. */
  private async nextCandidate(): Promise<void> {
    if (this.rooms.closed || this.trying()) return;
    // After a recovery step, epochs named above the old window may be inside the new one.
    for (const e of this.beyond) {
      if (this.mayRecoverTo(e)) continue;
      this.beyond.delete(e);
      if (this.mayFollow(e) && this.claimed.size < MAX_CLAIMED) this.claimed.add(e);
    }
    const next = [...this.claimed].filter((e) => this.mayFollow(e) && !this.failed.has(e) && !this.rooms.byEpoch.has(e)).sort((a, b) => b - a)[0] ?? this.recoveryCandidate();
    if (next === undefined) {
      this.endHold();
      return;
    }
    await this.openCandidate(next);
  }

  /** Opens (or returns) the room of a newer epoch and syncs it with the space's relays. */
  async openCandidate(epoch: number): Promise<EpochRoom> {
    const existing = this.rooms.byEpoch.get(epoch);
    if (existing) return existing;
    const room = this.rooms.make(epoch, Boolean(this.rooms.cap.write));
    this.rooms.byEpoch.set(epoch, room);
    await room.load();
    if (!this.rooms.closed) room.connect(this.rooms.relays);
    this.maybePromote();
    return room;
  }

  /** Every relay answered for a candidate and none gave it a snapshot: try the next. */
  private candidateSettled(room: EpochRoom): void {
    const states = room.syncStates();
    if (states.length === 0 || states.includes('connecting') || !states.includes('synced')) return;
    this.failed.add(room.epoch);
    this.rooms.byEpoch.delete(room.epoch);
    void room.close();
    void this.nextCandidate();
  }

  private endHold(): void {
    if (this.holdTimer) clearTimeout(this.holdTimer);
    this.holdTimer = null;
    if (!this.holdCurrent || this.rooms.closed) return;
    this.holdCurrent = false;
    this.rooms.current.connect(this.rooms.relays);
  }

  /** The newest epoch that holds a snapshot becomes current; older ones stop syncing. */
  private maybePromote(): void {
    const rooms = this.rooms;
    if (rooms.closed || !rooms.current) return;
    let best: EpochRoom | null = null;
    for (const room of rooms.byEpoch.values()) {
      if (room.epoch > rooms.current.epoch && room.snapshots > 0 && (!best || room.epoch > best.epoch)) best = room;
    }
    if (!best) return;
    const old = rooms.current;
    this.fresh = false; // it holds the space now: later epochs come one bounded step at a time
    old.bridge?.flush(); // sealed into the old epoch, then re-published like any other gap
    if (old.bridge) old.bridge.sealing = false;
    if (best.bridge) best.bridge.sealing = true;
    rooms.current = best;
    for (const [epoch, room] of rooms.byEpoch) {
      if (epoch >= best.epoch) continue;
      rooms.byEpoch.delete(epoch);
      room.disconnect();
      if (room.blobCount > 0) rooms.retired.push(room);
      else void room.close();
    }
    this.endHold();
    best.connect(rooms.relays);
    this.events.promoted(best);
    // A still newer epoch may have been named while this one was being tried.
    void this.nextCandidate();
  }

  close(): void {
    if (this.holdTimer) clearTimeout(this.holdTimer);
    if (this.epochTimer) clearInterval(this.epochTimer);
  }
}
