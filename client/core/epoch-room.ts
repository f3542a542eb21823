// One epoch of a space (docs/PROTOCOL.md §3, epochs): its room `<spaceId>.<epoch>`, envelope doc (persisted),
// receipts, bookkeeping, the bridge into the space's plaintext doc, and a connection per relay.
import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import {
  BlobKind,
  appendSealed,
  applyValidatedUpdate,
  blobAt,
  checkBlob,
  createEnvelopeDoc,
  envelopeLog,
  fromBase64url,
  roomName,
  toBase64url,
  type Capability,
  type Identity,
  type NewBlob,
  type RoomKey,
  type RoomName,
  type Sealer,
  type SpaceId,
} from '../../shared/index.ts';
import { EncryptionBridge } from './bridge.ts';
import { linkChild, linkChildId, linkSealers } from './link-blobs.ts';
import { FROM_STORE, LOCAL_BLOB } from './origins.ts';
import { ReceiptBook, decodeStateVectorSafe, type StateVector } from './receipts.ts';
import { MAX_RECEIVED_UPDATE_BYTES } from './validating-sync.ts';
import { applyCheckedUpdateAsync } from './update-check.ts';

/** Reading a room back from a store without a check record yields to the UI this often. */
const STORE_SLICE_MS = 10;
import { RelayConnection, type ConnectionOptions, type RelayState, type RelayStatus } from './relay-connection.ts';
import { emptyMeta, type RoomMeta, type RoomStore } from './store.ts';

/** A blob this device wrote, and the relays whose receipts cover it. */
export interface LocalWrite {
  client: number;
  clock: number;
  relays: string[];
}

/** A write of this device that a relay holds other bytes for, and where its content went instead. */
export interface DisplacedWrite {
  relay: string;
  client: number;
  clock: number;
  /** The ids its content was sealed again at (none for content this device cannot re-seal). */
  resealedAt: { client: number; clock: number }[];
}

/** How long after opening a room its stored updates are rewritten as one. */
const REWRITE_DELAY_MS = 1000;

export interface EpochHost {
  cap: Capability;
  store: RoomStore;
  identity: Identity;
  plain: Y.Doc | null;
  connection?: ConnectionOptions;
  batchMs?: number;
  onProblem?: (message: string) => void;
  /** Something changed: blobs, relay states, receipts. */
  changed(room: EpochRoom): void;
  /** A link blob named a child space. */
  child(id: SpaceId): void;
  /** A relay hinted that a newer epoch of the space holds a snapshot. */
  newerEpoch?(epoch: number): void;
}

export class EpochRoom {
  readonly room: RoomName;
  readonly key: RoomKey;
  readonly envelope = createEnvelopeDoc();
  readonly receipts = new ReceiptBook();
  readonly bridge: EncryptionBridge | null;
  readonly connections = new Map<string, RelayConnection>();
  /** Valid snapshot blobs this room holds (an epoch above 0 counts only once it has one). */
  snapshots = 0;
  /** Child spaces this room's link blobs name. */
  readonly children = new Set<SpaceId>();
  /** Writes of this device displaced on some relay by other bytes at the same id, newest last. */
  readonly displaced: DisplacedWrite[] = [];
  /** Per relay and own client, the clock below which its content was read back (or was confirmed before this open). */
  private readonly readBackTo = new Map<string, Map<number, number>>();
  /** Own ids already re-sealed: a second report of the same displacement changes nothing. */
  private readonly resealed = new Set<string>();
  private readonly awareness: Awareness;
  private meta: RoomMeta = emptyMeta();
  private saving: Promise<void> = Promise.resolve();
  private storeError: Error | null = null;
  private closed = false;
  private rewriteTimer: ReturnType<typeof setTimeout> | null = null;
  private rewrite: (() => void) | null = null;

  constructor(
    readonly epoch: number,
    private readonly host: EpochHost,
    o: { sealing: boolean; collect: boolean },
  ) {
    const cap = host.cap;
    this.room = roomName(cap.spaceId, epoch);
    this.key = { writePub: cap.writePub, epoch };
    this.awareness = new Awareness(this.envelope);
    this.awareness.setLocalState(null); // presence is not sent until it can be sealed
    this.bridge =
      host.plain && cap.readKey
        ? new EncryptionBridge({
            envelope: this.envelope,
            plain: host.plain,
            key: { ...this.key, readKey: cap.readKey },
            writeSecret: cap.write?.secretKey ?? null,
            author: host.identity,
            batchMs: host.batchMs,
            sealing: o.sealing,
            collect: o.collect,
            onDropped: (reason) => host.onProblem?.(`${this.room}: ${reason}`),
          })
        : null;
    envelopeLog(this.envelope).observe((event, tr) => {
      for (const item of event.changes.added) {
        if (item.deleted) continue;
        const content = item.content.getContent();
        for (let i = 0; i < content.length; i++) {
          const blob = content[i];
          if (!(blob instanceof Uint8Array)) continue;
          if (blob[1] === BlobKind.link && checkBlob(blob, this.key, { client: item.id.client, clock: item.id.clock + i }).ok) {
            const id = linkChildId(blob);
            this.children.add(id);
            host.child(id);
          } else if (blob[1] === BlobKind.snapshot) {
            // Every blob in the envelope passed the validator (or was sealed here): its signature holds.
            this.snapshots++;
          }
        }
      }
      if (tr.origin === LOCAL_BLOB) this.localWrite(this.envelope.clientID);
    });
    this.envelope.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== FROM_STORE) this.persist(() => host.store.append(this.room, update));
      host.changed(this);
    });
  }

  get blobCount(): number {
    return envelopeLog(this.envelope).length;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Reads the room back from the local store, validating everything. */
  async load(): Promise<void> {
    const stored = await this.host.store.load(this.room);
    const problems = [...stored.problems];
    let refused = false;
    // Checks this device made on the stored blobs before (write and author signatures) are not
    // redone when the store kept them authenticated under its own key; everything else is.
    const cache = this.host.store.verification;
    const restored = cache && stored.updates.length > 0 ? new Set(await cache.restore(this.room)) : new Set<string>();
    const apply = () => {
      for (const update of stored.updates) {
        const verdict = applyValidatedUpdate(this.envelope, update, this.key, FROM_STORE, { maxUpdateBytes: MAX_RECEIVED_UPDATE_BYTES });
        if (verdict.ok) continue;
        refused = true;
        problems.push(`a stored update was refused: ${verdict.reason} (${verdict.detail})`);
      }
    };
    if (cache && stored.updates.length > 0) {
      const checks = cache.collect(apply, restored);
      // Rewritten when the stored room holds checks the record lacks (or it had none).
      if (checks.length !== restored.size || !checks.every((c) => restored.has(c))) this.persist(() => cache.save(this.room, checks));
    } else {
      // No record of earlier checks (the browser): every stored update is checked again, the
      // large ones off the main thread, with a yield whenever the small ones add up.
      let since = performance.now();
      for (const update of stored.updates) {
        const verdict = await applyCheckedUpdateAsync(this.envelope, update, this.key, FROM_STORE, MAX_RECEIVED_UPDATE_BYTES);
        if (!verdict.ok) {
          refused = true;
          problems.push(`a stored update was refused: ${verdict.reason} (${verdict.detail})`);
        }
        if (performance.now() - since > STORE_SLICE_MS) {
          await new Promise((resolve) => setTimeout(resolve, 0));
          since = performance.now();
        }
      }
    }
    for (const p of problems) this.host.onProblem?.(`${this.room}: ${p}`);
    this.meta = await this.host.store.loadMeta(this.room);
    for (const [relay, text] of Object.entries(this.meta.receipts)) {
      const bytes = fromBase64url(text);
      const sv = bytes && decodeStateVectorSafe(bytes);
      if (sv) {
        this.receipts.record(relay, sv);
        this.readBackTo.set(relay, new Map(sv)); // confirmed in an earlier session
      }
    }
    // Compaction of the file: many appended updates (or a damaged file) become one validated update.
    const rewrite = (this.rewrite = () => this.persist(() => this.host.store.replace(this.room, Y.encodeStateAsUpdate(this.envelope), refused)));
    if (problems.length > 0) rewrite(); // at once: nothing more may be appended after damage
    else if (stored.updates.length > 1) {
      // A little later: re-encoding a large room would only delay showing it.
      this.rewriteTimer = setTimeout(() => {
        this.rewriteTimer = null;
        if (!this.closed) rewrite();
      }, REWRITE_DELAY_MS);
    }
  }

  /** Local writes the stored bookkeeping says no relay confirmed. */
  get storedPending(): number {
    return this.meta.pending;
  }

  connect(relays: string[]): void {
    if (this.closed) return;
    for (const relay of relays) {
      if (this.connections.has(relay)) continue;
      const connection = new RelayConnection(
        relay,
        {
          room: this.room,
          key: this.key,
          envelope: this.envelope,
          awareness: this.awareness,
          relaySv: (r) => this.receipts.get(r),
          onReceipt: (r, sv) => this.receipt(r, sv),
          onConflicts: (r, conflicts) => this.conflicts(r, conflicts),
          onNewerEpoch: (_r, epoch) => this.host.newerEpoch?.(epoch),
          onStatus: () => {
            this.noteSynced(relay);
            this.host.changed(this);
          },
        },
        this.host.connection,
      );
      this.connections.set(relay, connection);
      if (!this.meta.relays.includes(relay)) {
        this.meta.relays.push(relay);
        this.saveMeta();
      }
    }
    this.host.changed(this);
  }

  /** Stops syncing with one relay (a board's list pushed it out of the relays this device dials). */
  disconnectRelay(relay: string): void {
    this.connections.get(relay)?.close();
    this.connections.delete(relay);
  }

  /** Relays this room has ever synced with on this device. */
  syncedRelays(): string[] {
    return this.meta.synced;
  }

  private noteSynced(relay: string): void {
    if (this.connections.get(relay)?.syncState !== 'synced' || this.meta.synced.includes(relay)) return;
    this.meta.synced.push(relay);
    this.saveMeta();
  }

  /** Stops syncing (the room stays in the local store). */
  disconnect(): void {
    for (const c of this.connections.values()) c.close();
    this.connections.clear();
  }

  statuses(): RelayStatus[] {
    return [...this.connections.values()].map((c) => c.status());
  }

  /** Whether some relay's connection synced (one that also sent invalid data counts: it answered). */
  anySynced(): boolean {
    return this.syncStates().includes('synced');
  }

  /** Each connection's transport state, whatever its relay sent. */
  syncStates(): RelayState[] {
    return [...this.connections.values()].map((c) => c.syncState);
  }

  localWrites(): LocalWrite[] {
    const own = new Set(this.meta.ownClients);
    const writes: LocalWrite[] = [];
    let item = envelopeLog(this.envelope)._start;
    while (item) {
      if (!item.deleted && own.has(item.id.client)) {
        for (let i = 0; i < item.length; i++) {
          writes.push({ client: item.id.client, clock: item.id.clock + i, relays: this.receipts.coveredBy(item.id.client, item.id.clock + i) });
        }
      }
      item = item.right;
    }
    return writes;
  }

  outbox(): LocalWrite[] {
    return this.localWrites().filter((w) => w.relays.length === 0);
  }

  /** Its unconfirmed writes now travel in a newer epoch: nothing here is queued any more. */
  settle(): void {
    if (this.meta.pending === 0) return;
    this.meta.pending = 0;
    const meta = structuredClone(this.meta);
    this.persist(() => this.host.store.saveMeta(this.room, meta));
  }

  async saved(): Promise<void> {
    if (this.rewriteTimer) {
      // Asked to be saved: the deferred rewrite of the file happens now.
      clearTimeout(this.rewriteTimer);
      this.rewriteTimer = null;
      this.rewrite?.();
    }
    await this.saving;
    if (this.storeError) throw this.storeError;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    if (this.rewriteTimer) clearTimeout(this.rewriteTimer); // the next open rewrites the file
    this.bridge?.destroy(); // seals anything pending first
    this.closed = true;
    this.disconnect();
    this.awareness.destroy();
    await this.saving;
    this.envelope.destroy();
  }

  /** Appends blobs this device seals, each at the id it was sealed for. */
  appendLocal(sealers: Sealer[]): NewBlob[] {
    return appendSealed(this.envelope, sealers, LOCAL_BLOB);
  }

  private localWrite(client: number): void {
    if (!this.meta.ownClients.includes(client)) this.meta.ownClients.push(client);
    this.saveMeta();
  }

  private receipt(relay: string, sv: StateVector): void {
    if (!this.receipts.record(relay, sv)) return;
    this.meta.receipts[relay] = toBase64url(Y.encodeStateVector(this.receipts.get(relay)!));
    this.saveMeta();
    this.readBack(relay, sv);
    this.host.changed(this);
  }

  /**
   * A receipt says "delivered", not "delivered as written": a write-key holder may have put other
   * bytes at our id first. So the relay is asked for what it holds from our newly covered ids
   * on (a sync step 1 whose own-client clocks are lowered), and its answer is compared
   * byte for byte by the validator (conflicts, below).
   */
  private readBack(relay: string, sv: StateVector): void {
    const done = this.readBackTo.get(relay) ?? new Map<number, number>();
    this.readBackTo.set(relay, done);
    const from = new Map<number, number>();
    for (const client of this.meta.ownClients) {
      const covered = Math.min(sv.get(client) ?? 0, Y.getState(this.envelope.store, client));
      const checked = done.get(client) ?? 0;
      if (covered <= checked) continue;
      from.set(client, checked);
      done.set(client, covered);
    }
    if (from.size > 0) this.connections.get(relay)?.readBack(from);
  }

  /** Ids the relay holds with other bytes than this device: re-seal ours at fresh ids and say so. */
  private conflicts(relay: string, conflicts: NewBlob[]): void {
    const own = new Set(this.meta.ownClients);
    const mine: { pos: NewBlob; blob: Uint8Array }[] = [];
    for (const c of conflicts) {
      const held = blobAt(this.envelope, c);
      if (!held) continue;
      if (!own.has(c.client)) {
        this.host.onProblem?.(`${this.room}: ${relay} holds other bytes at ${c.client}:${c.clock} than this device (two valid blobs for one id)`);
        continue;
      }
      const id = `${c.client}:${c.clock}`;
      if (this.resealed.has(id)) continue;
      this.resealed.add(id);
      mine.push({ pos: c, blob: held });
    }
    if (mine.length === 0) return;
    const resealedAt = this.resealOwn(mine.map((m) => m.blob)).map(({ client, clock }) => ({ client, clock }));
    for (const m of mine) {
      this.displaced.push({ relay, client: m.pos.client, clock: m.pos.clock, resealedAt });
      this.host.onProblem?.(
        `${this.room}: a write at ${m.pos.client}:${m.pos.clock} was displaced on ${relay} by other bytes at its id; ` +
          (resealedAt.length > 0 ? `re-sent at ${resealedAt.map((p) => `${p.client}:${p.clock}`).join(', ')}` : 'this device cannot re-seal it'),
      );
    }
    this.host.changed(this);
  }

  /** Updates through the bridge; link blobs again with the write key, naming the same child. */
  private resealOwn(blobs: Uint8Array[]): NewBlob[] {
    const write = this.host.cap.write;
    if (!write) return [];
    const links = blobs.filter((b) => b[1] === BlobKind.link);
    const sealed = this.bridge ? this.bridge.reseal(blobs.filter((b) => b[1] !== BlobKind.link)) : [];
    return [...sealed, ...this.appendLocal(linkSealers({ ...this.key, writeSecret: write.secretKey }, links.map(linkChild)))];
  }

  private saveMeta(): void {
    this.meta.pending = this.outbox().length;
    const meta = structuredClone(this.meta);
    this.persist(() => this.host.store.saveMeta(this.room, meta));
  }

  /** Store writes run one after another, in order; a failure is kept and reported by saved(). */
  private persist(write: () => Promise<void>): void {
    this.saving = this.saving.then(write).catch((err: Error) => {
      this.storeError ??= err;
    });
  }
}
