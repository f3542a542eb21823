// One open space: its envelope doc (ciphertext, persisted), its plaintext doc (rebuilt by
// decrypting, never persisted), the bridge between them, and a connection per relay.
import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import {
  BlobKind,
  HEADER_LENGTH,
  LINK_BODY_LENGTH,
  accessLevel,
  applyValidatedUpdate,
  checkBlob,
  createEnvelopeDoc,
  envelopeLog,
  fromBase64url,
  normaliseRelayUrl,
  roomName,
  spaceIdFromPublicKey,
  toBase64url,
  type AccessLevel,
  type Capability,
  type Identity,
  type RoomKey,
  type RoomName,
  type SpaceId,
} from '../../shared/index.ts';
import { EncryptionBridge } from './bridge.ts';
import { ClientError } from './errors.ts';
import { FROM_STORE, LOCAL_BLOB } from './origins.ts';
import { ReceiptBook, decodeStateVectorSafe, type StateVector } from './receipts.ts';
import { MAX_RECEIVED_UPDATE_BYTES } from './validating-sync.ts';
import { RelayConnection, type ConnectionOptions, type RelayStatus } from './relay-connection.ts';
import { emptyMeta, type RoomMeta, type RoomStore } from './store.ts';

export interface SpaceContext {
  store: RoomStore;
  identity: Identity;
  connection?: ConnectionOptions;
  batchMs?: number;
  /** Damage in the local store or dropped blobs: reported, never fatal. */
  onProblem?: (message: string) => void;
}

/** A blob this device wrote, and the relays whose receipts cover it. */
export interface LocalWrite {
  client: number;
  clock: number;
  relays: string[];
}

type Listener = () => void;

export class Space {
  readonly room: RoomName;
  readonly key: RoomKey;
  readonly envelope = createEnvelopeDoc();
  readonly plain: Y.Doc | null;
  readonly receipts = new ReceiptBook();
  /** Child spaces named by link blobs (a board's threads), at every access level. */
  readonly children = new Set<SpaceId>();
  private readonly awareness: Awareness;
  private readonly bridge: EncryptionBridge | null;
  private readonly connections = new Map<string, RelayConnection>();
  private readonly listeners = new Set<Listener>();
  private meta: RoomMeta = emptyMeta();
  private saving: Promise<void> = Promise.resolve();
  private storeError: Error | null = null;
  private closed = false;

  private constructor(
    readonly cap: Capability,
    private readonly ctx: SpaceContext,
  ) {
    this.room = roomName(cap.spaceId, 0);
    this.key = { writePub: cap.writePub, epoch: 0 };
    this.awareness = new Awareness(this.envelope);
    this.awareness.setLocalState(null); // presence is not sent until it can be sealed
    this.plain = cap.readKey ? new Y.Doc() : null;
    this.bridge =
      this.plain && cap.readKey
        ? new EncryptionBridge({
            envelope: this.envelope,
            plain: this.plain,
            key: { ...this.key, readKey: cap.readKey },
            writeSecret: cap.write?.secretKey ?? null,
            author: ctx.identity,
            batchMs: ctx.batchMs,
            onDropped: (reason) => ctx.onProblem?.(`${this.room}: ${reason}`),
          })
        : null;
    envelopeLog(this.envelope).observe((event, tr) => {
      for (const item of event.changes.added) {
        if (item.deleted) continue;
        for (const blob of item.content.getContent()) {
          if (blob instanceof Uint8Array && blob[1] === BlobKind.link && checkBlob(blob, this.key).ok) {
            this.children.add(spaceIdFromPublicKey(blob.slice(HEADER_LENGTH, HEADER_LENGTH + LINK_BODY_LENGTH)));
          }
        }
      }
      if (tr.origin === LOCAL_BLOB) this.localWrite(this.envelope.clientID);
    });
    this.envelope.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== FROM_STORE) this.persist(() => ctx.store.append(this.room, update));
      this.notify();
    });
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

  get access(): AccessLevel {
    return accessLevel(this.cap);
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

  /** Starts syncing with these relays too (each relay once). */
  connect(relays: string[]): void {
    if (this.closed) return;
    for (const raw of relays) {
      const relay = normaliseRelayUrl(raw);
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
          onStatus: () => this.notify(),
        },
        this.ctx.connection,
      );
      this.connections.set(relay, connection);
      if (!this.meta.relays.includes(relay)) {
        this.meta.relays.push(relay);
        this.saveMeta();
      }
    }
    this.notify();
  }

  relays(): string[] {
    return [...this.connections.keys()];
  }

  statuses(): RelayStatus[] {
    return [...this.connections.values()].map((c) => c.status());
  }

  /** Seals pending local plaintext changes into a blob now instead of after the batch delay. */
  flush(): void {
    this.bridge?.flush();
  }

  /** Every blob this device wrote (in any session), with the relays whose receipts cover it. */
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

  /** The outbox: local writes no relay has confirmed yet. */
  outbox(): LocalWrite[] {
    return this.localWrites().filter((w) => w.relays.length === 0);
  }

  /** Subscribes to any change: new blobs, relay states, receipts. Returns the unsubscribe. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves once everything received so far is in the local store. */
  async saved(): Promise<void> {
    await this.saving;
    if (this.storeError) throw new ClientError('store', `could not save ${this.room}: ${this.storeError.message}`);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.bridge?.destroy(); // seals anything pending first
    this.closed = true;
    for (const c of this.connections.values()) c.close();
    this.connections.clear();
    this.awareness.destroy();
    await this.saving;
    this.envelope.destroy();
    this.plain?.destroy();
  }

  private async load(): Promise<void> {
    const stored = await this.ctx.store.load(this.room);
    const problems = [...stored.problems];
    let refused = false;
    for (const update of stored.updates) {
      const verdict = applyValidatedUpdate(this.envelope, update, this.key, FROM_STORE, { maxUpdateBytes: MAX_RECEIVED_UPDATE_BYTES });
      if (verdict.ok) continue;
      refused = true;
      problems.push(`a stored update was refused: ${verdict.reason} (${verdict.detail})`);
    }
    for (const p of problems) this.ctx.onProblem?.(`${this.room}: ${p}`);
    this.meta = await this.ctx.store.loadMeta(this.room);
    for (const [relay, text] of Object.entries(this.meta.receipts)) {
      const bytes = fromBase64url(text);
      const sv = bytes && decodeStateVectorSafe(bytes);
      if (sv) this.receipts.record(relay, sv);
    }
    // Compaction: many appended updates (or a damaged file) become one validated update.
    if (problems.length > 0 || stored.updates.length > 1) {
      this.persist(() => this.ctx.store.replace(this.room, Y.encodeStateAsUpdate(this.envelope), refused));
    }
  }

  private localWrite(client: number): void {
    if (!this.meta.ownClients.includes(client)) this.meta.ownClients.push(client);
    this.saveMeta();
  }

  private receipt(relay: string, sv: StateVector): void {
    if (!this.receipts.record(relay, sv)) return;
    this.meta.receipts[relay] = toBase64url(Y.encodeStateVector(this.receipts.get(relay)!));
    this.saveMeta();
    this.notify();
  }

  private saveMeta(): void {
    this.meta.pending = this.outbox().length;
    const meta = structuredClone(this.meta);
    this.persist(() => this.ctx.store.saveMeta(this.room, meta));
  }

  /** Store writes run one after another, in order; a failure is kept and reported by saved(). */
  private persist(write: () => Promise<void>): void {
    this.saving = this.saving.then(write).catch((err: Error) => {
      this.storeError ??= err;
    });
  }

  private notify(): void {
    for (const l of this.listeners) l();
  }
}
