// Keeping a space's current epoch whole and small (docs/PROTOCOL.md §3, epochs): whatever the
// plaintext doc holds that the epoch's blobs lack (an offline writer's posts, writes queued in
// an older epoch) is re-published into it once it is synced, and a writer starts the next
// epoch, a snapshot of the whole doc, once the room is large.
import { BlobKind, DEFAULT_LIMITS, sealUpdateBlob, tombstoneDeleted, type Sealer, type SpaceId } from '#shared';
import { BLOB_OVERHEAD } from './bridge.ts';
import type { EpochRoom } from './epoch-room.ts';
import { ClientError } from './errors.ts';
import { HOLD_MS, type EpochScout } from './epoch-scout.ts';
import { childrenToCarry, linkSealers, movedTo } from './link-blobs.ts';
import { caught } from './problems.ts';
import { missingFrom, snapshotPieces } from './snapshot.ts';
import { MAX_OPEN_EPOCH, type SpaceRooms } from './space-rooms.ts';

const DEFAULT_COMPACT_JITTER_MS = 2_000;
/** A large room asks the relays for newer epochs at most this often. */
const GROWTH_CHECK_MS = 10_000;
/** After a failed compaction, the next attempt waits this long. */
const COMPACT_RETRY_MS = 10 * 60_000;
/** While a newer epoch someone else started is being fetched, compaction looks again this often. */
const CANDIDATE_POLL_MS = 25;

export class Compactor {
  private republishDue = false;
  private compactTimer: ReturnType<typeof setTimeout> | null = null;
  private compacting: Promise<number> | null = null;
  private lastGrowthCheck = 0;
  private compactFailedAt = 0;

  constructor(
    private readonly rooms: SpaceRooms,
    private readonly scout: EpochScout,
    private readonly children: ReadonlySet<SpaceId>,
  ) {}

  /** After loading: older epochs with queued writes are re-published into the current one. */
  loaded(): void {
    if (this.rooms.retired.length > 0 && this.rooms.cap.write) this.republishDue = true;
    else this.rooms.current.bridge?.stopCollecting();
  }

  /** A newer epoch became current: what older ones hold that it lacks is re-published into it. */
  promoted(best: EpochRoom): void {
    if (this.rooms.cap.write && this.rooms.retired.length > 0) this.republishDue = true;
    else {
      best.bridge?.stopCollecting();
      this.rooms.releaseRetired(false);
    }
    this.maybeRepublish();
  }

  /** The current epoch changed (blobs, receipts, relay states). */
  currentChanged(): void {
    this.maybeRepublish();
    this.maybeCompact();
  }

  /** Starts the next epoch now (see Space.compact). */
  compact(): Promise<number> {
    if (this.compactTimer) clearTimeout(this.compactTimer);
    this.compactTimer = null;
    return (this.compacting ??= this.runCompaction().finally(() => {
      this.compacting = null;
    }));
  }

  async close(): Promise<void> {
    if (this.compactTimer) clearTimeout(this.compactTimer);
    await this.compacting?.catch(() => {});
  }

  private writeKey(room: EpochRoom) {
    const { cap } = this.rooms;
    return { ...room.key, readKey: cap.readKey!, writeSecret: cap.write!.secretKey };
  }

  /**
   * Once the current epoch is synced (or there is no relay), whatever the plaintext doc holds
   * that this epoch's blobs lack (an offline writer's posts) is sealed into it, and the older
   * epochs' queued writes count as delivered through it.
   */
  private maybeRepublish(): void {
    const { rooms } = this;
    if (!this.republishDue || rooms.closed) return;
    if (rooms.relays.length > 0 && !rooms.current.anySynced()) return;
    this.republishDue = false;
    const room = rooms.current;
    const target = room.bridge?.openedState();
    room.bridge?.stopCollecting();
    if (!target || !rooms.plain || !rooms.cap.write || !rooms.cap.readKey) return;
    const missing = missingFrom(rooms.plain, target);
    const sealers: Sealer[] = [];
    const key = this.writeKey(room);
    const identity = rooms.ctx.identity;
    if (missing) {
      const limit = this.maxBlobBytes() - BLOB_OVERHEAD;
      // Too large for one blob: a fresh snapshot of the whole doc carries it instead.
      const pieces = missing.length <= limit ? [missing] : snapshotPieces(rooms.plain, limit);
      const kind = pieces.length === 1 && pieces[0] === missing ? BlobKind.update : BlobKind.snapshot;
      for (const p of pieces) sealers.push((pos) => sealUpdateBlob(key, kind, identity, p, pos));
    }
    sealers.push(...linkSealers(key, childrenToCarry(rooms.cap, rooms.plain, this.children).filter((child) => !room.children.has(child)), movedTo(rooms.cap, rooms.plain)));
    room.appendLocal(sealers);
    rooms.releaseRetired(true);
  }

  private maxBlobBytes(): number {
    return this.rooms.ctx.maxBlobBytes ?? DEFAULT_LIMITS.maxBlobBytes;
  }

  private threshold(): number {
    return this.rooms.ctx.compactAfterBlobs ?? DEFAULT_LIMITS.compactAfterBlobs;
  }

  /** A large current epoch: readers look for a newer one, writers start one after a random wait. */
  private maybeCompact(): void {
    const { rooms } = this;
    if (rooms.closed || this.compacting || this.compactTimer) return;
    if (rooms.current.blobCount < this.threshold() || Date.now() - this.compactFailedAt < COMPACT_RETRY_MS) return;
    if (rooms.relays.length > 0 && !rooms.current.anySynced()) return;
    if (!rooms.cap.write || !rooms.plain) {
      const now = Date.now();
      if (now - this.lastGrowthCheck < GROWTH_CHECK_MS) return;
      this.lastGrowthCheck = now;
      void this.scout.checkEpochs(rooms.relays);
      return;
    }
    const wait = Math.random() * (rooms.ctx.compactJitterMs ?? DEFAULT_COMPACT_JITTER_MS);
    this.compactTimer = setTimeout(() => {
      this.compactTimer = null;
      if (rooms.current.blobCount < this.threshold()) return;
      void this.compact().catch((err: unknown) => {
        this.compactFailedAt = Date.now(); // not again on every change: after a while
        rooms.ctx.onProblem?.({ kind: 'compaction-failed', room: rooms.current.room, ...caught(err) });
      });
    }, wait);
  }

  private async runCompaction(): Promise<number> {
    const { rooms } = this;
    // Someone may have started the next epoch already: follow it rather than start another.
    const from = rooms.current.epoch;
    await this.scout.checkEpochs(rooms.relays);
    const waitUntil = Date.now() + HOLD_MS;
    while (!rooms.closed && rooms.current.epoch === from && Date.now() < waitUntil && this.scout.waitingForCandidate()) {
      await new Promise((r) => setTimeout(r, CANDIDATE_POLL_MS));
    }
    if (rooms.closed || rooms.current.epoch !== from) return rooms.current.epoch;
    if (from >= MAX_OPEN_EPOCH) throw new ClientError('bad-input', 'this space has reached its last epoch and cannot compact again');
    const room = await this.scout.openCandidate(from + 1);
    if (rooms.closed || room.epoch <= rooms.current.epoch) return rooms.current.epoch;
    const plain = rooms.plain!;
    // Posts their authors deleted go into the new epoch without their text (docs/PROTOCOL.md §6).
    if (rooms.cap.kind === 'thread') tombstoneDeleted(plain, rooms.cap.spaceId);
    const key = this.writeKey(room);
    const identity = rooms.ctx.identity;
    const sealers: Sealer[] = snapshotPieces(plain, this.maxBlobBytes() - BLOB_OVERHEAD).map((p) => (pos) => sealUpdateBlob(key, BlobKind.snapshot, identity, p, pos));
    sealers.push(...linkSealers(key, childrenToCarry(rooms.cap, plain, this.children), movedTo(rooms.cap, plain)));
    const retiredBefore = rooms.retired.length;
    room.appendLocal(sealers);
    // The snapshot is this device's whole doc: nothing of the old epoch is missing from it,
    // unless older epochs were loaded for their queued writes before (they are in the doc too).
    if (rooms.current === room && retiredBefore === 0) {
      this.republishDue = false;
      room.bridge?.stopCollecting();
      rooms.releaseRetired(true);
    }
    return rooms.current.epoch;
  }
}
