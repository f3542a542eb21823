// Local persistence of envelope docs (ciphertext only) behind a small interface: files in
// Node (client/node/file-store.ts), IndexedDB in the browser (client/browser/). Every store
// passes the acceptance suite in store-acceptance.ts.
import { fromBase64url } from '#shared/bytes.ts';
import type { RoomName, SpaceId } from '#shared';
import type { StoreProblem } from './problems.ts';

export interface StoredRoom {
  /** The room's updates in the order they were stored; each passed the validator once. */
  updates: Uint8Array[];
  /** Damage found while reading (truncated or unreadable records); reported, never fatal. */
  problems: StoreProblem[];
}

/** Bookkeeping beside a room's envelope doc: no plaintext, no keys. */
export interface RoomMeta {
  /** Yjs client ids this device wrote blobs with (one per session that wrote). */
  ownClients: number[];
  /** Per relay, the base64url state vector its latest receipt confirmed. */
  receipts: Record<string, string>;
  /** Relays this room was synced with, so queued writes can be delivered without its capability. */
  relays: string[];
  /** Local writes no receipt covered when last saved (the outbox size). */
  pending: number;
  /** Relays this room reached the synced state with (they come before a board list's other entries). */
  synced: string[];
}

/**
 * Signature checks this device made on a room's stored blobs, kept for the room's next open,
 * authenticated under a key only this device holds (client/node/verified-cache.ts).
 */
export interface VerificationCache {
  /** The checks recorded for the room, if the record is authentic (else none). */
  restore(room: RoomName): Promise<string[]>;
  /** Runs `apply` trusting `trusted` (that room's restored checks) and returns the checks that passed in it. */
  collect(apply: () => void, trusted: ReadonlySet<string>): string[];
  save(room: RoomName, checks: string[]): Promise<void>;
}

export interface RoomStore {
  /** Where the store can keep verified checks across processes (optional). */
  readonly verification?: VerificationCache;
  load(room: RoomName): Promise<StoredRoom>;
  append(room: RoomName, update: Uint8Array): Promise<void>;
  /**
   * Replaces a room's updates with one equivalent update (compaction). With `keepOriginal`
   * (something stored was refused) the old records are kept aside, never destroyed.
   */
  replace(room: RoomName, update: Uint8Array, keepOriginal?: boolean): Promise<void>;
  loadMeta(room: RoomName): Promise<RoomMeta>;
  saveMeta(room: RoomName, meta: RoomMeta): Promise<void>;
  rooms(): Promise<RoomName[]>;
  /** A thread's sealed first screen (client/core/preview.ts), opaque to the store; null if none. */
  loadPreview?(spaceId: SpaceId): Promise<Uint8Array | null>;
  savePreview?(spaceId: SpaceId, record: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

export const emptyMeta = (): RoomMeta => ({ ownClients: [], receipts: {}, relays: [], pending: 0, synced: [] });

/** Bookkeeping as read back from storage (as hostile as the network): every field checked, the rest dropped. */
export function checkedMeta(value: unknown): RoomMeta {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return emptyMeta();
  const json = value as Partial<Record<keyof RoomMeta, unknown>>;
  const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((r): r is string => typeof r === 'string') : []);
  const ownClients = Array.isArray(json.ownClients) ? json.ownClients.filter((c): c is number => Number.isSafeInteger(c)) : [];
  const receipts: Record<string, string> = {};
  if (json.receipts && typeof json.receipts === 'object' && !Array.isArray(json.receipts)) {
    for (const [relay, sv] of Object.entries(json.receipts)) if (typeof sv === 'string' && fromBase64url(sv)) receipts[relay] = sv;
  }
  const pending = typeof json.pending === 'number' && Number.isSafeInteger(json.pending) && json.pending >= 0 ? json.pending : 0;
  return { ownClients, receipts, relays: strings(json.relays), pending, synced: strings(json.synced) };
}

/** An author identity and display name, kept per data directory (or browser profile). */
export interface StoredIdentity {
  /** `baton-identity:v1:...`, as exportIdentity writes it. */
  identity: string;
  name: string;
}

export interface IdentityStore {
  load(): Promise<StoredIdentity | null>;
  save(value: StoredIdentity): Promise<void>;
}

/** A store that keeps nothing: for tests and throwaway sessions. */
export class MemoryStore implements RoomStore {
  private readonly data = new Map<RoomName, Uint8Array[]>();
  private readonly meta = new Map<RoomName, RoomMeta>();
  private readonly previews = new Map<SpaceId, Uint8Array>();

  async load(room: RoomName): Promise<StoredRoom> {
    return { updates: (this.data.get(room) ?? []).map((u) => u.slice()), problems: [] };
  }
  async append(room: RoomName, update: Uint8Array): Promise<void> {
    const list = this.data.get(room) ?? [];
    list.push(update.slice());
    this.data.set(room, list);
  }
  async replace(room: RoomName, update: Uint8Array): Promise<void> {
    this.data.set(room, [update.slice()]);
  }
  async loadMeta(room: RoomName): Promise<RoomMeta> {
    const m = this.meta.get(room);
    return m ? structuredClone(m) : emptyMeta();
  }
  async saveMeta(room: RoomName, meta: RoomMeta): Promise<void> {
    this.meta.set(room, structuredClone(meta));
  }
  async rooms(): Promise<RoomName[]> {
    return [...this.data.keys()];
  }
  async loadPreview(spaceId: SpaceId): Promise<Uint8Array | null> {
    return this.previews.get(spaceId)?.slice() ?? null;
  }
  async savePreview(spaceId: SpaceId, record: Uint8Array): Promise<void> {
    this.previews.set(spaceId, record.slice());
  }
  async close(): Promise<void> {}
}
