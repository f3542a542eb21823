// The client: an identity, a local store, and the spaces it has open, each synced with
// every relay it knows of (capability hints, the board's `relays` map, the user's own).
import {
  accessLevel,
  listBoardRelays,
  normaliseRelayUrl,
  parseCapabilityOrLink,
  relaysMap,
  type Capability,
  type Identity,
  type SpaceId,
} from '../../shared/index.ts';
import { ClientError } from './errors.ts';
import type { ConnectionOptions } from './relay-connection.ts';
import { openPreview, type ThreadPreview } from './preview.ts';
import { PreviewKeeper } from './preview-keeper.ts';
import { Space } from './space.ts';
import type { RoomStore } from './store.ts';

export interface ClientOptions {
  store: RoomStore;
  identity: Identity;
  /** Display name put on posts. */
  name: string;
  connection?: ConnectionOptions;
  /** Relays the user added, synced for every space besides its own hints. */
  relays?: string[];
  /** Connect opened spaces to relays (false: work from the local store only). */
  online?: boolean;
  batchMs?: number;
  /** Blobs in a space's current epoch before a writer starts the next (docs/PROTOCOL.md §3, epochs). */
  compactAfterBlobs?: number;
  /** Random wait before compacting, in milliseconds. */
  compactJitterMs?: number;
  /** How often relays are asked which epochs they hold, in milliseconds. */
  epochCheckMs?: number;
  onProblem?: (message: string) => void;
  /** Runs after close (releases a data-directory lock, say). */
  onClose?: () => void;
}

const LEVELS = ['mirror', 'read', 'write'];

export class BatonClient {
  readonly identity: Identity;
  name: string;
  private readonly spaces = new Map<SpaceId, Space>();
  private readonly opening = new Map<SpaceId, Promise<Space>>();
  private readonly previews = new Map<SpaceId, PreviewKeeper>();
  private readonly userRelays: string[];

  constructor(private readonly o: ClientOptions) {
    this.identity = o.identity;
    this.name = o.name;
    this.userRelays = (o.relays ?? []).map(normaliseRelayUrl);
  }

  get store(): RoomStore {
    return this.o.store;
  }

  /** Opens (or returns the open) space of a capability or web link. */
  async open(capability: Capability | string): Promise<Space> {
    const cap = typeof capability === 'string' ? parseCapabilityOrLink(capability) : capability;
    const open = this.spaces.get(cap.spaceId) ?? (await this.opening.get(cap.spaceId));
    if (open) {
      if (LEVELS.indexOf(accessLevel(cap)) > LEVELS.indexOf(open.access)) {
        throw new ClientError('bad-input', `this ${cap.kind} is already open with ${open.access} access`);
      }
      // Relays a link names join the space, and a board's open threads with it.
      const relays = this.relaysFor(cap, open);
      open.connect(relays);
      if (cap.kind === 'board') for (const child of open.children) this.spaces.get(child)?.connect(relays);
      return open;
    }
    const opening = Space.open(cap, {
      store: this.o.store,
      identity: this.identity,
      connection: this.o.connection,
      batchMs: this.o.batchMs,
      compactAfterBlobs: this.o.compactAfterBlobs,
      compactJitterMs: this.o.compactJitterMs,
      epochCheckMs: this.o.epochCheckMs,
      onProblem: this.o.onProblem,
    });
    this.opening.set(cap.spaceId, opening);
    try {
      const space = await opening;
      this.spaces.set(cap.spaceId, space);
      if (space.plain && cap.kind === 'board') {
        // A board's own relay list joins the set as it grows, for its open threads too.
        relaysMap(space.plain).observe(() => {
          const relays = this.relaysFor(space.cap, space);
          space.connect(relays);
          for (const child of space.children) this.spaces.get(child)?.connect(relays);
        });
      }
      if (space.plain && cap.kind === 'thread' && this.o.store.savePreview) {
        this.previews.set(cap.spaceId, new PreviewKeeper(space, this.o.store, this.o.onProblem));
      }
      space.connect(this.relaysFor(cap, space));
      return space;
    } finally {
      this.opening.delete(cap.spaceId);
    }
  }

  /**
   * A thread's first screen as this device last saw it (title and newest posts, signatures
   * checked), read without loading the thread: shown while `open` decodes the whole doc.
   * Null for a board, a mirror capability, or a thread this device has no preview of.
   */
  async preview(capability: Capability | string): Promise<ThreadPreview | null> {
    const cap = typeof capability === 'string' ? parseCapabilityOrLink(capability) : capability;
    if (cap.kind !== 'thread' || !cap.readKey || !this.o.store.loadPreview) return null;
    const record = await this.o.store.loadPreview(cap.spaceId);
    return record ? openPreview(cap, record) : null;
  }

  /** The relays a space syncs with: its hints, the board's relay map, and the user's. */
  relaysFor(cap: Capability, space?: Space): string[] {
    if (this.o.online === false) return [];
    const all = [...cap.relays, ...this.userRelays];
    if (space?.plain && cap.kind === 'board') all.push(...listBoardRelays(space.plain));
    const out: string[] = [];
    for (const r of all) {
      try {
        const n = normaliseRelayUrl(r);
        if (!out.includes(n)) out.push(n);
      } catch {
        // a malformed entry in a board's relay map is skipped
      }
    }
    return out;
  }

  openSpaces(): Space[] {
    return [...this.spaces.values()];
  }

  get(spaceId: SpaceId): Space | undefined {
    return this.spaces.get(spaceId);
  }

  /** Seals every pending change now. */
  flush(): void {
    for (const s of this.spaces.values()) s.flush();
  }

  async close(): Promise<void> {
    await Promise.all([...this.previews.values()].map((k) => k.close()));
    this.previews.clear();
    await Promise.all([...this.spaces.values()].map((s) => s.close()));
    this.spaces.clear();
    await this.o.store.close();
    this.o.onClose?.();
  }
}
