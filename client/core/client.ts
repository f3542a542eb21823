// The client: an identity, a local store, and the spaces it has open, each synced with the
// relays it knows of (capability hints, the user's own, the board's `relays` map) within the
// limits of client/core/relay-choice.ts.
import {
  accessLevel,
  listBoardRelayEntries,
  normaliseRelayUrl,
  parseCapabilityOrLink,
  relaysMap,
  toBase64url,
  type Capability,
  type Identity,
  type SpaceId,
} from '#shared';
import { ClientError } from './errors.ts';
import type { ConnectionOptions } from './relay-connection.ts';
import { persistFirst } from './persist-first.ts';
import { FIRST_SCREEN_COMPACT_AFTER, firstScreenCapability, readFirstScreen } from './first-screen.ts';
import { FirstScreenPublisher } from './first-screen-publisher.ts';
import { openPreview, type ThreadPreview } from './preview.ts';
import { PreviewKeeper } from './preview-keeper.ts';
import type { ProblemListener } from './problems.ts';
import type { RelayPolicy } from './relay-choice.ts';
import { Space } from './space.ts';
import type { RoomStore } from './store.ts';

export interface ClientOptions {
  store: RoomStore;
  identity: Identity;
  /** Display name put on posts. */
  name: string;
  connection?: ConnectionOptions;
  /**
   * Nothing is sent to a relay before the store holds it (client/core/persist-first.ts): a
   * crash or reload between the two loses no write. On in Node and in browsers.
   */
  persistFirst?: boolean;
  /** Relays the user added, synced for every space besides its own hints. */
  relays?: string[];
  /**
   * Which entries of a board's relay list may be dialled: the page's own relay (web), or
   * local addresses too (a network where every relay is local). See relay-choice.ts.
   */
  relayPolicy?: RelayPolicy;
  /** Connect opened spaces to relays (false: work from the local store only). */
  online?: boolean;
  batchMs?: number;
  /** Blobs in a space's current epoch before a writer starts the next (docs/PROTOCOL.md §3, epochs). */
  compactAfterBlobs?: number;
  /** Random wait before compacting, in milliseconds. */
  compactJitterMs?: number;
  /** How often relays are asked which epochs they hold, in milliseconds. */
  epochCheckMs?: number;
  onProblem?: ProblemListener;
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
  private readonly publishers = new Map<SpaceId, FirstScreenPublisher>();
  /** First-screen spaces (first-screen.ts): small, compacted often, with no first screen of their own. */
  private readonly firstScreenIds = new Set<SpaceId>();
  private readonly userRelays: string[];
  /** Each open board's removed relays, and the removed ones this identity keeps, for its threads. */
  private readonly removedByBoard = new Map<SpaceId, { removed: string[]; kept: string[] }>();
  /** The store and connection options spaces use (wrapped to persist first, when asked). */
  readonly store: RoomStore;
  private readonly connection: ConnectionOptions | undefined;

  constructor(private readonly o: ClientOptions) {
    this.identity = o.identity;
    this.name = o.name;
    this.userRelays = (o.relays ?? []).map(normaliseRelayUrl);
    const wrapped = o.persistFirst ? persistFirst(o.store, o.connection) : o;
    this.store = wrapped.store;
    this.connection = wrapped.connection;
  }

  /** Opens (or returns the open) space of a capability or web link. */
  async open(capability: Capability | string): Promise<Space> {
    const cap = typeof capability === 'string' ? parseCapabilityOrLink(capability) : capability;
    const open = this.spaces.get(cap.spaceId) ?? (await this.opening.get(cap.spaceId));
    if (open) {
      if (LEVELS.indexOf(accessLevel(cap)) > LEVELS.indexOf(open.access)) {
        throw new ClientError('bad-input', `this ${cap.kind} is already open with ${open.access} access`, 'already-open');
      }
      // Relays a link names join the space, and a board's open threads with it.
      open.connect(this.relaysFor(cap));
      if (cap.kind === 'board') for (const child of open.children) this.withSpace(child, (t) => this.followBoard(open, t));
      return open;
    }
    const firstScreen = this.firstScreenIds.has(cap.spaceId);
    const opening = Space.open(cap, {
      store: this.store,
      identity: this.identity,
      connection: this.connection,
      batchMs: this.o.batchMs,
      compactAfterBlobs: firstScreen ? FIRST_SCREEN_COMPACT_AFTER : this.o.compactAfterBlobs,
      compactJitterMs: this.o.compactJitterMs,
      epochCheckMs: this.o.epochCheckMs,
      onProblem: this.o.onProblem,
      relayPolicy: this.o.relayPolicy,
    });
    this.opening.set(cap.spaceId, opening);
    try {
      const space = await opening;
      this.spaces.set(cap.spaceId, space);
      if (space.plain && cap.kind === 'board') {
        // A board's own relay list joins the set as it grows (within the limits), for its open threads too.
        relaysMap(space.plain).observe(() => {
          this.offerBoardList(space);
          for (const child of space.children) this.withSpace(child, (t) => this.followBoard(space, t));
        });
      }
      if (space.plain && cap.kind === 'thread' && !firstScreen && this.store.savePreview) {
        this.previews.set(cap.spaceId, new PreviewKeeper(space, this.store, this.o.onProblem));
      }
      if (space.plain && cap.kind === 'thread' && !firstScreen && cap.write && this.o.online !== false) {
        this.publishers.set(cap.spaceId, new FirstScreenPublisher(space, (c) => this.openFirstScreenSpace(c), this.o.onProblem));
      }
      space.connect(this.relaysFor(cap));
      // Relays the user named (--relay, say) stay whatever a board's list removes.
      if (this.o.online !== false && this.userRelays.length > 0) space.keep(this.userRelays);
      if (space.plain && cap.kind === 'board') {
        this.offerBoardList(space);
        for (const child of space.children) this.withSpace(child, (t) => this.followBoard(space, t));
      }
      if (cap.kind === 'thread') for (const board of this.spaces.values()) if (board.children.has(cap.spaceId)) this.followBoard(board, space);
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
    if (cap.kind !== 'thread' || !cap.readKey || !this.store.loadPreview) return null;
    const record = await this.store.loadPreview(cap.spaceId);
    return record ? openPreview(cap, record) : null;
  }

  /**
   * A thread's first screen as its writers last published it (client/core/first-screen.ts), for a
   * device that has never opened the thread: opens the thread's small first-screen space and
   * resolves with the first screen it holds (signatures checked) once it has synced with a relay
   * (or after `timeoutMs`, with what arrived by then): null if there is none. Shown while the
   * whole thread syncs.
   */
  async firstScreen(capability: Capability | string, timeoutMs = 8000): Promise<ThreadPreview | null> {
    const cap = typeof capability === 'string' ? parseCapabilityOrLink(capability) : capability;
    const fsCap = firstScreenCapability(cap);
    if (!fsCap || this.o.online === false) return null;
    const space = await this.openFirstScreenSpace(fsCap);
    const doc = space.plain;
    if (!doc) return null;
    // Once synced: the snapshot of a newer epoch is applied before the blobs after it, so a
    // record seen earlier may be an older one. At the time limit, whatever valid one is here.
    try {
      await space.whenSynced({ timeoutMs });
    } catch {
      // no relay answered in time
    }
    return readFirstScreen(cap, doc);
  }

  private async openFirstScreenSpace(cap: Capability): Promise<Space> {
    this.firstScreenIds.add(cap.spaceId);
    try {
      return await this.open(cap);
    } catch (err) {
      // Opened at read level before (a reader's link), now asked to write: it is still readable.
      const open = this.spaces.get(cap.spaceId);
      if (open) return open;
      throw err;
    }
  }

  /**
   * Adds a relay the user chose (the page's own relay, once it answered as one) for every space
   * open now and opened later; it comes first among the relays dialled, like a link's hints.
   */
  useRelay(url: string): void {
    if (this.o.online === false) return;
    const relay = normaliseRelayUrl(url);
    if (this.userRelays.includes(relay)) return;
    this.userRelays.push(relay);
    for (const space of this.spaces.values()) space.connect([relay]);
  }

  /** The relays this device's user chose for a space: the capability's hints and the user's own. */
  relaysFor(cap: Capability): string[] {
    if (this.o.online === false) return [];
    const out: string[] = [];
    for (const r of [...cap.relays, ...this.userRelays]) {
      try {
        const n = normaliseRelayUrl(r);
        if (!out.includes(n)) out.push(n);
      } catch {
        // a malformed hint is skipped
      }
    }
    return out;
  }

  /**
   * Hands a board's relay list to its space: entries this identity signed count as the user's
   * choice, the rest are dialled oldest first within the limits (client/core/relay-choice.ts).
   * Removed entries are dropped, from the board's open threads too, except a relay this
   * identity added that someone else removed: the user chose it, so this device keeps it.
   */
  private offerBoardList(board: Space): void {
    if (this.o.online === false || !board.plain) return;
    const me = toBase64url(this.identity.publicKey);
    const entries = listBoardRelayEntries(board.plain, board.spaceId);
    const live = entries.filter((e) => !e.removed);
    const mine = live.filter((e) => e.addedBy === me).map((e) => e.url);
    const rest = live.filter((e) => e.addedBy !== me).sort((a, b) => a.addedAt - b.addedAt || (a.url < b.url ? -1 : 1));
    const removed = entries.filter((e) => e.removed).map((e) => e.url);
    const keptMine = entries.filter((e) => e.removed && e.addedBy === me && e.removed.by !== me).map((e) => e.url);
    board.setRemoved(removed);
    if (keptMine.length > 0) board.keep(keptMine);
    if (mine.length > 0) board.connect(mine);
    board.offerListed(rest.map((e) => e.url));
    this.removedByBoard.set(board.spaceId, { removed, kept: keptMine });
  }

  /** A board's open threads follow its relays, its removals included. */
  private followBoard(board: Space, thread: Space): void {
    const choice = this.removedByBoard.get(board.spaceId);
    if (choice) {
      thread.setRemoved(choice.removed);
      if (choice.kept.length > 0) thread.keep(choice.kept);
    }
    thread.connect(board.relays());
  }

  private withSpace(id: SpaceId, fn: (space: Space) => void): void {
    const space = this.spaces.get(id);
    if (space) fn(space);
  }

  openSpaces(): Space[] {
    return [...this.spaces.values()];
  }

  get(spaceId: SpaceId): Space | undefined {
    return this.spaces.get(spaceId);
  }

  /** Closes one space (a file fetched on demand, say) once its writes are sealed; it may be opened again. */
  async closeSpace(spaceId: SpaceId): Promise<void> {
    const space = this.spaces.get(spaceId);
    if (!space) return;
    this.spaces.delete(spaceId);
    await space.close();
  }

  /**
   * Writes every open thread's first screen that is due (a post made a moment ago, or a
   * thread found behind once synced), so that a command's delivery carries it too.
   */
  async publishFirstScreens(): Promise<void> {
    await Promise.all([...this.publishers.values()].map((p) => p.publishPending()));
  }

  /** Seals every pending change now. */
  flush(): void {
    for (const s of this.spaces.values()) s.flush();
  }

  async close(): Promise<void> {
    await Promise.all([...this.publishers.values()].map((p) => p.close()));
    this.publishers.clear();
    await Promise.all([...this.previews.values()].map((k) => k.close()));
    this.previews.clear();
    await Promise.all([...this.spaces.values()].map((s) => s.close()));
    this.spaces.clear();
    await this.store.close();
    this.o.onClose?.();
  }
}
