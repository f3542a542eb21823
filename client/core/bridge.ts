// The encryption bridge between a space's envelope doc (ciphertext) and its plaintext doc.
// Every blob that enters the envelope doc, from any source, is opened and its inner update
// applied to the plaintext doc (a blob that fails is dropped); local plaintext changes are batched into one sealed blob.
import * as Y from 'yjs';
import {
  BlobKind,
  DEFAULT_LIMITS,
  SIGNATURE_CHECKED,
  appendSealed,
  envelopeLog,
  openBlob,
  sealUpdateBlob,
  type Identity,
  type NewBlob,
  type ReadKey,
  type WriteKey,
} from '#shared';
import { ClientError } from './errors.ts';
import { FROM_BLOB, LOCAL_BLOB } from './origins.ts';
import type { DropReason } from './problems.ts';

export const DEFAULT_BATCH_MS = 250;
/** Room left in a blob for its header, tags, author prefix, signature and padding. */
export const BLOB_OVERHEAD = 2 + 24 + 16 + 96 + 64 + 256;

export interface BridgeOptions {
  envelope: Y.Doc;
  plain: Y.Doc;
  key: ReadKey;
  /** Present only for writers: without it local plaintext changes are refused. */
  writeSecret: Uint8Array | null;
  author: Identity;
  batchMs?: number;
  maxBlobBytes?: number;
  /** A blob failed to open and was dropped. */
  onDropped?: (reason: DropReason | 'unpublished') => void;
  /** Local plaintext changes are sealed here (false: another epoch's bridge seals them). */
  sealing?: boolean;
  /** Keep every opened inner update (an epoch's own plaintext, for re-publishing). */
  collect?: boolean;
  /** A blob was opened and applied (kind 1 or 2). */
  onOpened?: (kind: number) => void;
}

/** The bridges of each plaintext doc (one per open epoch of a space). */
const bridgeSets = new WeakMap<Y.Doc, Set<EncryptionBridge>>();
function bridgesOf(plain: Y.Doc): Set<EncryptionBridge> {
  let set = bridgeSets.get(plain);
  if (!set) bridgeSets.set(plain, (set = new Set()));
  return set;
}

export class EncryptionBridge {
  private pending: Uint8Array[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly batchMs: number;
  private readonly maxBlobBytes: number;
  private readonly writeKey: WriteKey | null;
  private readonly observer: (event: Y.YArrayEvent<Uint8Array>, tr: Y.Transaction) => void;
  readonly onPlainUpdate: (update: Uint8Array, origin: unknown) => void;
  /** Seals local changes; only the current epoch's bridge does. */
  sealing: boolean;
  /** Inner updates opened so far, while collecting. */
  opened: Uint8Array[] | null;

  constructor(private readonly o: BridgeOptions) {
    this.sealing = o.sealing ?? true;
    this.opened = o.collect ? [] : null;
    this.batchMs = o.batchMs ?? DEFAULT_BATCH_MS;
    this.maxBlobBytes = o.maxBlobBytes ?? DEFAULT_LIMITS.maxBlobBytes;
    this.writeKey = o.writeSecret ? { ...o.key, writeSecret: o.writeSecret } : null;
    this.observer = (event, tr) => this.blobsAdded(event, tr);
    this.onPlainUpdate = (update, origin) => this.plainChanged(update, origin);
    envelopeLog(o.envelope).observe(this.observer);
    o.plain.on('update', this.onPlainUpdate);
    bridgesOf(o.plain).add(this);
  }

  /** Local changes waiting for the batch timer. */
  get hasPending(): boolean {
    return this.pending.length > 0;
  }

  /** Seals the pending local changes now: one blob, or a few if one would be too large. Returns how many. */
  flush(): number {
    return this.sealNow().length;
  }

  /** As flush, returning the blobs sealed and their ids. */
  sealNow(): NewBlob[] {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.length === 0 || !this.writeKey) return [];
    const updates = this.pending;
    this.pending = [];
    return this.seal(this.groups(updates));
  }

  /** Seals plaintext updates at the envelope's next ids of its own client and appends them. */
  private seal(updates: Uint8Array[]): NewBlob[] {
    const key = this.writeKey!;
    const author = this.o.author;
    return appendSealed(
      this.o.envelope,
      updates.map((u) => (pos) => sealUpdateBlob(key, BlobKind.update, author, u, pos)),
      LOCAL_BLOB,
    );
  }

  /**
   * Seals again, at fresh ids, the content of this device's blobs that a relay holds other bytes
   * for (docs/PROTOCOL.md §3, "Displaced writes"). Returns the new blobs' ids.
   */
  reseal(blobs: Uint8Array[]): NewBlob[] {
    if (!this.writeKey) return [];
    const updates: Uint8Array[] = [];
    for (const blob of blobs) {
      const opened = openBlob(blob, this.o.key, SIGNATURE_CHECKED, this.maxBlobBytes);
      if (opened.ok && opened.kind !== BlobKind.link) updates.push(opened.update);
    }
    return updates.length > 0 ? this.seal(updates) : [];
  }

  destroy(): void {
    this.flush();
    envelopeLog(this.o.envelope).unobserve(this.observer);
    this.o.plain.off('update', this.onPlainUpdate);
    bridgesOf(this.o.plain).delete(this);
  }

  private plainChanged(update: Uint8Array, origin: unknown): void {
    if (origin === FROM_BLOB || !this.sealing) return;
    if (!this.writeKey) {
      this.o.onDropped?.('unpublished');
      return;
    }
    this.pending.push(update);
    if (!this.timer) this.timer = setTimeout(() => this.flush(), this.batchMs);
  }

  /** Merges updates into as few groups as fit in one blob each. */
  private groups(updates: Uint8Array[]): Uint8Array[] {
    const limit = this.maxBlobBytes - BLOB_OVERHEAD;
    const merged = Y.mergeUpdates(updates);
    if (merged.length <= limit) return [merged];
    const out: Uint8Array[] = [];
    let batch: Uint8Array[] = [];
    let size = 0;
    for (const u of updates) {
      if (u.length > limit) throw new ClientError('bad-input', `one change of ${u.length} bytes is larger than a blob may be`);
      if (size + u.length > limit && batch.length > 0) {
        out.push(Y.mergeUpdates(batch));
        batch = [];
        size = 0;
      }
      batch.push(u);
      size += u.length;
    }
    if (batch.length > 0) out.push(Y.mergeUpdates(batch));
    return out;
  }

  /** The update of everything opened so far (this epoch's plaintext), when collecting. */
  openedState(): Uint8Array | null {
    return this.opened ? Y.mergeUpdates(this.opened) : null;
  }

  stopCollecting(): void {
    this.opened = null;
  }

  private blobsAdded(event: Y.YArrayEvent<Uint8Array>, tr: Y.Transaction): void {
    if (tr.origin === LOCAL_BLOB && !this.opened) return; // sealed here: the plaintext doc has it already
    const blobs: Uint8Array[] = [];
    for (const item of event.changes.added) {
      if (item.deleted) continue;
      for (const blob of item.content.getContent()) if (blob instanceof Uint8Array) blobs.push(blob);
    }
    const snapshots: Uint8Array[] = [];
    const updates: Uint8Array[] = [];
    for (const blob of blobs) {
      const update = this.openOne(blob);
      if (update) (blob[1] === BlobKind.snapshot ? snapshots : updates).push(update);
    }
    if (this.opened) this.opened.push(...snapshots, ...updates);
    if (tr.origin === LOCAL_BLOB) return;
    // Snapshots are large: each applies on its own (merging would re-encode them). The small
    // updates after them apply as one merged update, much faster than one by one.
    for (const s of snapshots) this.apply([s]);
    if (updates.length > 0) this.apply(updates);
  }

  private apply(updates: Uint8Array[]): void {
    // While the bridges of this doc listen for updates, Yjs encodes every applied transaction
    // for them (megabytes for a snapshot), only for them to ignore it: they stop listening here.
    const bridges = bridgesOf(this.o.plain);
    for (const b of bridges) this.o.plain.off('update', b.onPlainUpdate);
    try {
      // Merging parses every update first, so a malformed one throws before anything applies.
      Y.applyUpdate(this.o.plain, updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates), FROM_BLOB);
    } catch {
      if (updates.length > 1) {
        for (const u of updates) this.apply([u]);
        return;
      }
      this.o.onDropped?.('not-yjs');
    } finally {
      for (const b of bridges) this.o.plain.on('update', b.onPlainUpdate);
    }
  }

  private openOne(blob: Uint8Array): Uint8Array | null {
    // Every blob in the envelope doc passed the validator for this room (or was sealed here).
    const opened = openBlob(blob, this.o.key, SIGNATURE_CHECKED, this.maxBlobBytes);
    if (!opened.ok) {
      this.o.onDropped?.(opened.reason);
      return null;
    }
    if (opened.kind === BlobKind.link) return null; // child spaces are noted by the space itself, at every access level
    this.o.onOpened?.(opened.kind);
    return opened.update;
  }
}

