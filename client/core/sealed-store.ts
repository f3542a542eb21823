// The store of a locked device: any RoomStore underneath, holding only what the vault sealed
// (vault.ts), under names the vault chose. A room is kept in the inner store under a stand-in
// room name made from a keyed hash of its real name, so neither a file name nor a database
// name says which boards the device holds. Each update is sealed with the room's name as
// associated data. The bookkeeping, sealed together with the room's real name, sits in the
// stand-in room's bookkeeping as one base64url receipt (the only field every store keeps as
// opaque text, durably); rooms() reads the real names back from there. Previews and other
// records (the identity) take stand-in spaces and rooms of their own.
import { fromBase64url, parseRoomName, roomName, spaceIdFromPublicKey, toBase64url, type RoomName, type SpaceId } from '#shared';
import { checkedMeta, emptyMeta, type IdentityStore, type RoomMeta, type RoomStore, type StoredIdentity, type StoredRoom, type VerificationCache } from './store.ts';
import type { Vault } from './vault.ts';

/** The receipt key under which a stand-in room's bookkeeping holds the sealed record. */
const SEALED = 'sealed';

interface SealedMeta {
  room: string;
  meta: unknown;
}

export class SealedStore implements RoomStore {
  readonly verification?: VerificationCache;
  /** Rooms whose stand-in already names them (so rooms() finds them). */
  private readonly named = new Set<RoomName>();
  /** A room's bookkeeping is read and written one step after another. */
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly inner: RoomStore,
    private readonly vault: Vault,
  ) {
    const v = inner.verification;
    if (v) {
      this.verification = {
        restore: (room) => v.restore(this.standIn(room)),
        collect: (apply, trusted) => v.collect(apply, trusted),
        save: (room, checks) => v.save(this.standIn(room), checks),
      };
    }
  }

  /** The name the inner store knows a room by. */
  standIn(room: RoomName): RoomName {
    return roomName(spaceIdFromPublicKey(this.vault.name(`room:${room}`)), 0);
  }

  private standInSpace(label: string): SpaceId {
    return spaceIdFromPublicKey(this.vault.name(label));
  }

  private inTurn<T>(key: string, op: () => Promise<T>): Promise<T> {
    const next = (this.queues.get(key) ?? Promise.resolve()).then(op, op);
    const settled = next.then(() => {}, () => {});
    this.queues.set(key, settled);
    void settled.then(() => {
      if (this.queues.get(key) === settled) this.queues.delete(key);
    });
    return next;
  }

  async load(room: RoomName): Promise<StoredRoom> {
    const stored = await this.inner.load(this.standIn(room));
    const updates: Uint8Array[] = [];
    let unopened = 0;
    for (const sealed of stored.updates) {
      const u = this.vault.open(sealed, `update:${room}`);
      if (u) updates.push(u);
      else unopened++;
    }
    const problems = unopened > 0 ? [...stored.problems, { kind: 'store-unopened' as const, count: unopened }] : stored.problems;
    return { updates, problems };
  }

  async append(room: RoomName, update: Uint8Array): Promise<void> {
    if (update.length === 0) return; // nothing to keep, and an empty record reads back as damage in some stores
    await this.ensureNamed(room);
    await this.inner.append(this.standIn(room), this.vault.seal(update, `update:${room}`));
  }

  async replace(room: RoomName, update: Uint8Array, keepOriginal?: boolean): Promise<void> {
    await this.ensureNamed(room);
    await this.inner.replace(this.standIn(room), this.vault.seal(update, `update:${room}`), keepOriginal);
  }

  private readSealedMeta(meta: RoomMeta, place: string): SealedMeta | null {
    const sealed = meta.receipts[SEALED];
    const bytes = sealed ? fromBase64url(sealed) : null;
    const text = bytes ? this.vault.openText(bytes, place) : null;
    if (!text) return null;
    try {
      const v = JSON.parse(text) as SealedMeta;
      return v && typeof v === 'object' && typeof v.room === 'string' ? v : null;
    } catch {
      return null;
    }
  }

  private writeSealedMeta(standIn: RoomName, value: SealedMeta, place: string): Promise<void> {
    const sealed = toBase64url(this.vault.sealText(JSON.stringify(value), place));
    return this.inner.saveMeta(standIn, { ...emptyMeta(), receipts: { [SEALED]: sealed } });
  }

  /** The stand-in's bookkeeping names the room before the room holds anything. */
  private ensureNamed(room: RoomName): Promise<void> {
    if (this.named.has(room)) return Promise.resolve();
    const standIn = this.standIn(room);
    return this.inTurn(standIn, async () => {
      if (this.named.has(room)) return;
      if (!this.readSealedMeta(await this.inner.loadMeta(standIn), `meta:${standIn}`)) await this.writeSealedMeta(standIn, { room, meta: emptyMeta() }, `meta:${standIn}`);
      this.named.add(room);
    });
  }

  async loadMeta(room: RoomName): Promise<RoomMeta> {
    const standIn = this.standIn(room);
    const record = await this.inTurn(standIn, async () => this.readSealedMeta(await this.inner.loadMeta(standIn), `meta:${standIn}`));
    return record && record.room === room ? checkedMeta(record.meta) : emptyMeta();
  }

  saveMeta(room: RoomName, meta: RoomMeta): Promise<void> {
    const standIn = this.standIn(room);
    const copy = structuredClone(meta);
    return this.inTurn(standIn, async () => {
      await this.writeSealedMeta(standIn, { room, meta: copy }, `meta:${standIn}`);
      this.named.add(room);
    });
  }

  /** Stores a raw value as a room's bookkeeping, sealed as the store seals it (for the acceptance suite's hostile copies). */
  saveRawMeta(room: RoomName, value: unknown): Promise<void> {
    const standIn = this.standIn(room);
    return this.inTurn(standIn, () => this.writeSealedMeta(standIn, { room, meta: value }, `meta:${standIn}`));
  }

  async rooms(): Promise<RoomName[]> {
    const out = new Set<RoomName>();
    for (const standIn of await this.inner.rooms()) {
      const record = this.readSealedMeta(await this.inner.loadMeta(standIn), `meta:${standIn}`);
      if (record && this.standIn(record.room as RoomName) === standIn) out.add(record.room as RoomName);
    }
    return [...out].sort();
  }

  async loadPreview(spaceId: SpaceId): Promise<Uint8Array | null> {
    const sealed = await this.inner.loadPreview?.(this.standInSpace(`preview:${spaceId}`));
    return sealed ? this.vault.open(sealed, `preview:${spaceId}`) : null;
  }

  async savePreview(spaceId: SpaceId, record: Uint8Array): Promise<void> {
    await this.inner.savePreview?.(this.standInSpace(`preview:${spaceId}`), this.vault.seal(record, `preview:${spaceId}`));
  }

  /** A small named record (the identity), durable as bookkeeping is; null if none or unreadable. */
  async loadRecord(name: string): Promise<string | null> {
    const standIn = roomName(this.standInSpace(`record:${name}`), 0);
    const record = this.readSealedMeta(await this.inner.loadMeta(standIn), `record:${name}`);
    return record && record.room === `record:${name}` && typeof record.meta === 'string' ? record.meta : null;
  }

  saveRecord(name: string, value: string): Promise<void> {
    const standIn = roomName(this.standInSpace(`record:${name}`), 0);
    return this.inTurn(standIn, () => this.writeSealedMeta(standIn, { room: `record:${name}`, meta: value }, `record:${name}`));
  }

  async close(): Promise<void> {
    while (this.queues.size > 0) await Promise.allSettled([...this.queues.values()]);
    await this.inner.close();
  }
}

/** The identity of a locked device, sealed in its store. */
export class SealedIdentityStore implements IdentityStore {
  constructor(private readonly store: SealedStore) {}

  async load(): Promise<StoredIdentity | null> {
    const text = await this.store.loadRecord('identity');
    if (!text) return null;
    try {
      const v = JSON.parse(text) as Partial<StoredIdentity>;
      return typeof v.identity === 'string' && typeof v.name === 'string' ? { identity: v.identity, name: v.name } : null;
    } catch {
      return null;
    }
  }

  save(value: StoredIdentity): Promise<void> {
    return this.store.saveRecord('identity', JSON.stringify({ identity: value.identity, name: value.name }));
  }
}

/**
 * Copies what a device kept in clear into its sealed store, when a passphrase is first set:
 * every room's updates and bookkeeping, each space's preview, and the identity; says how many
 * rooms and whether there was an identity. The caller removes the clear copy once the lock
 * record is written.
 */
export async function sealRooms(clear: RoomStore, sealed: SealedStore, clearIdentity: IdentityStore): Promise<{ rooms: number; identity: boolean }> {
  const spaces = new Set<SpaceId>();
  const rooms = await clear.rooms();
  for (const room of rooms) {
    for (const u of (await clear.load(room)).updates) await sealed.append(room, u);
    await sealed.saveMeta(room, await clear.loadMeta(room));
    const address = parseRoomName(room);
    if (address) spaces.add(address.spaceId);
  }
  for (const spaceId of spaces) {
    const preview = (await clear.loadPreview?.(spaceId)) ?? null;
    if (preview) await sealed.savePreview(spaceId, preview);
  }
  const identity = await clearIdentity.load();
  if (identity) await new SealedIdentityStore(sealed).save(identity);
  return { rooms: rooms.length, identity: identity !== null };
}
