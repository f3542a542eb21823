// One epoch of a space (docs/PROTOCOL.md §3, epochs): its room `<spaceId>.<epoch>`, envelope doc (persisted),
// receipts, bookkeeping, the bridge into the space's plaintext doc, and a connection per relay.
import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import {
  BlobKind,
  appendSealed,
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
} from '#shared';
import { EncryptionBridge } from './bridge.ts';
import { Displacement, type DisplacedWrite } from './displaced-writes.ts';
import { linkChildId } from './link-blobs.ts';
import { FROM_STORE, LOCAL_BLOB } from './origins.ts';
import type { ProblemListener } from './problems.ts';
import { ReceiptBook, decodeStateVectorSafe, type StateVector } from './receipts.ts';
import { RelayConnection, type ConnectionOptions, type RelayState, type RelayStatus } from './relay-connection.ts';
import { emptyMeta, type RoomMeta, type RoomStore } from './store.ts';
import { applyStored } from './stored-room.ts';

/** A blob this device wrote, and the relays whose receipts cover it. */
export interface LocalWrite {
  client: number;
  clock: number;
  relays: string[];
}

export type { DisplacedWrite } from './displaced-writes.ts';

/** How long after opening a room its stored updates are rewritten as one. */
const REWRITE_DELAY_MS = 1000;

export interface EpochHost {
  cap: Capability;
  store: RoomStore;
  identity: Identity;
  plain: Y.Doc | null;
  connection?: ConnectionOptions;
  batchMs?: number;
  onProblem?: ProblemListener;
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
  /** Writes of this device some relay holds other bytes for, and where they were re-sealed. */
  private readonly displacement: Displacement;
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
            onDropped: (reason) => host.onProblem?.(reason === 'unpublished' ? { kind: 'change-not-published', room: this.room } : { kind: 'blob-dropped', room: this.room, reason }),
          })
        : null;
    this.displacement = new Displacement({
      room: this.room,
      key: this.key,
      envelope: this.envelope,
      bridge: this.bridge,
      writeSecret: () => cap.write?.secretKey ?? null,
      ownClients: () => this.meta.ownClients,
      readBack: (relay, from) => this.connections.get(relay)?.readBack(from),
      appendLocal: (sealers) => this.appendLocal(sealers),
      onProblem: host.onProblem,
      changed: () => host.changed(this),
    });
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

  /** Writes of this device displaced on some relay by other bytes at the same id, newest last. */
  get displaced(): DisplacedWrite[] {
    return this.displacement.list;
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
    const { problems, refused } = await applyStored(this.envelope, this.key, this.room, this.host.store, stored, (write) => this.persist(write));
    for (const p of problems) this.host.onProblem?.(p);
    this.meta = await this.host.store.loadMeta(this.room);
    for (const [relay, text] of Object.entries(this.meta.receipts)) {
      const bytes = fromBase64url(text);
      const sv = bytes && decodeStateVectorSafe(bytes);
      if (sv) {
        this.receipts.record(relay, sv);
        this.displacement.confirmedBefore(relay, sv); // confirmed in an earlier session
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
          onConflicts: (r, conflicts) => this.displacement.conflicts(r, conflicts),
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
    this.displacement.receipt(relay, sv);
    this.host.changed(this);
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
