// What this device remembers besides the envelope docs: the spaces opened here (their
// capabilities, so a seized device reveals them: docs/THREAT_MODEL.md), compose drafts,
// which blob carries each of our posts (for delivery marks), the relays the user added to a
// board on this device alone, and the relay typed in from file://. Everything read back is checked: storage is as hostile as the network.
import type { SpaceKind } from '#shared';
import type { BlobRef, DeviceMemory } from '#client-core';

export interface KnownSpace {
  spaceId: string;
  kind: SpaceKind;
  /** The capability text at the highest level this device was given. */
  cap: string;
  level: 'mirror' | 'read' | 'write';
  title: string;
  openedAt: number;
}

export interface Draft {
  body: string;
  replyTo: string | null;
}


const LEVELS = ['mirror', 'read', 'write'];
const MAX_KNOWN = 200;
const MAX_BLOB_REFS = 2000;
const MAX_OWN_RELAYS = 16;

export class LocalState {
  constructor(private readonly storage: Storage | null) {}

  private read(key: string): unknown {
    try {
      const text = this.storage?.getItem(key);
      return text ? JSON.parse(text) : null;
    } catch {
      return null;
    }
  }

  private write(key: string, value: unknown): void {
    try {
      if (value === null) this.storage?.removeItem(key);
      else this.storage?.setItem(key, JSON.stringify(value));
    } catch {
      // storage full or refused: the app goes on, it only forgets sooner
    }
  }

  /** The display names this device bound in a board (client/core/names.ts). */
  names(scope: string): Record<string, string> | null {
    const v = this.read(`baton:names:${scope}`);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return null;
    const out: Record<string, string> = {};
    for (const [k, name] of Object.entries(v)) if (typeof name === 'string') out[k] = name;
    return out;
  }

  saveNames(scope: string, names: Record<string, string>): void {
    this.write(`baton:names:${scope}`, names);
  }

  /** What the client core remembers per board and for this device (client/core/device-memory.ts). */
  memory(): DeviceMemory {
    return { load: (scope) => this.read(`baton:mem:${scope}`), save: (scope, value) => this.write(`baton:mem:${scope}`, value) };
  }

  knownSpaces(): KnownSpace[] {
    const list = this.read('baton:spaces');
    if (!Array.isArray(list)) return [];
    return list.filter(isKnownSpace).sort((a, b) => b.openedAt - a.openedAt);
  }

  /** Records an opened space; a lower-level capability never replaces a higher one. */
  remember(entry: KnownSpace): void {
    const list = this.knownSpaces();
    const old = list.find((s) => s.spaceId === entry.spaceId);
    const keepOld = old && LEVELS.indexOf(old.level) > LEVELS.indexOf(entry.level);
    const merged: KnownSpace = keepOld ? { ...old, title: entry.title || old.title, openedAt: entry.openedAt } : { ...entry, title: entry.title || old?.title || '' };
    this.write('baton:spaces', [merged, ...list.filter((s) => s.spaceId !== entry.spaceId)].slice(0, MAX_KNOWN));
  }

  forget(spaceId: string): void {
    this.write('baton:spaces', this.knownSpaces().filter((s) => s.spaceId !== spaceId));
  }

  draft(threadId: string): Draft {
    const d = this.read(`baton:draft:${threadId}`) as Partial<Draft> | null;
    return {
      body: typeof d?.body === 'string' ? d.body : '',
      replyTo: typeof d?.replyTo === 'string' ? d.replyTo : null,
    };
  }

  saveDraft(threadId: string, draft: Draft): void {
    this.write(`baton:draft:${threadId}`, draft.body === '' && !draft.replyTo ? null : draft);
  }

  blobOf(threadId: string, postId: string): BlobRef | null {
    const refs = this.read(`baton:blobs:${threadId}`) as Record<string, unknown> | null;
    const r = refs?.[postId] as Partial<BlobRef> | undefined;
    return r && Number.isSafeInteger(r.client) && Number.isSafeInteger(r.clock) ? { client: r.client!, clock: r.clock! } : null;
  }

  saveBlobOf(threadId: string, postId: string, ref: BlobRef): void {
    const refs = (this.read(`baton:blobs:${threadId}`) as Record<string, BlobRef> | null) ?? {};
    refs[postId] = ref;
    const keys = Object.keys(refs);
    for (const k of keys.slice(0, Math.max(0, keys.length - MAX_BLOB_REFS))) delete refs[k];
    this.write(`baton:blobs:${threadId}`, refs);
  }

  /** Relays the user added to a board (and its threads) for this device only: kept until they remove them. */
  ownRelays(boardId: string): string[] {
    const v = this.read(`baton:relays:${boardId}`);
    return Array.isArray(v) ? v.filter((r): r is string => typeof r === 'string' && /^(https?|wss?):\/\//.test(r)).slice(0, MAX_OWN_RELAYS) : [];
  }

  addOwnRelay(boardId: string, url: string): void {
    const list = this.ownRelays(boardId).filter((r) => r !== url);
    this.write(`baton:relays:${boardId}`, [...list, url].slice(-MAX_OWN_RELAYS));
  }

  removeOwnRelay(boardId: string, url: string): void {
    const list = this.ownRelays(boardId).filter((r) => r !== url);
    this.write(`baton:relays:${boardId}`, list.length > 0 ? list : null);
  }

  /** The time of the newest post of a thread this device has shown, or null before its first visit. */
  lastSeen(threadId: string): number | null {
    const ts = this.read(`baton:seen:${threadId}`);
    return typeof ts === 'number' && Number.isFinite(ts) ? ts : null;
  }

  saveLastSeen(threadId: string, ts: number): void {
    if (ts > (this.lastSeen(threadId) ?? -Infinity)) this.write(`baton:seen:${threadId}`, ts);
  }

  relay(): string {
    const r = this.read('baton:relay');
    return typeof r === 'string' ? r : '';
  }

  saveRelay(url: string): void {
    this.write('baton:relay', url);
  }
}

function isKnownSpace(v: unknown): v is KnownSpace {
  if (typeof v !== 'object' || v === null) return false;
  const s = v as Record<string, unknown>;
  return (
    typeof s.spaceId === 'string' &&
    (s.kind === 'board' || s.kind === 'thread') &&
    typeof s.cap === 'string' &&
    s.cap.startsWith('baton:') &&
    LEVELS.includes(s.level as string) &&
    typeof s.title === 'string' &&
    typeof s.openedAt === 'number'
  );
}
