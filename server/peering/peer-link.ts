// Replication with one remote relay: a full peer (every room) or the source of a mirror
// (one board and, through its link blobs, its threads). Rooms loaded here because clients
// use them get a LiveLink; every room in scope is also caught up over HTTP on a poll of the
// remote's room list (change marks say which rooms moved), after a reconnect, and soon after
// a local change that no live link carried.
import { parseRoomName, type SpaceId } from '#shared';
import type { RelayConfig } from '../config.ts';
import { Counters } from '../metrics/counters.ts';
import type { RoomRegistry } from '../rooms/registry.ts';
import { RoomMemoryFull } from '../rooms/room-memory.ts';
import type { Room, RoomMember } from '../rooms/room.ts';
import { short } from '../short-name.ts';
import { Backoff } from '#shared/backoff.ts';
import { RefusedError, blobsMissing, syncRoom } from './bulk.ts';
import { LiveLink, type LiveLinkHost } from './live-link.ts';
import { RefusalLog } from './refusals.ts';
import { ProtocolMismatch, RemoteError, RemoteRelay, type RemoteRoomList } from './remote.ts';
import { RoundScheduler } from './round-scheduler.ts';
import { PeerScope, type Level, type Scope } from './scope.ts';
import { say, str } from '../l10n.ts';

export type { Scope } from './scope.ts';

/** What is known of one room's replication with this remote. */
export interface RoomSync {
  lastSyncAt: number | null;
  /** The remote's state vector when last seen (bulk exchange, live sync step 1, receipt). */
  remoteSv: Uint8Array | null;
  refused: number;
  conflicts: number; // ids at which the remote held other bytes than this relay (two valid blobs for one id)
  /** This relay's state vector at the last bulk exchange: the next pull reads back from there. */
  localSv: Uint8Array | null;
  lastLog: string | null;
}

/** With the room list switched off, every known room is swept on every this many polls. */
const SWEEP_EVERY = 10;
const CONCURRENCY = 4;
const KICK_MS = 50; // a local change that no live link carried is pushed this soon
/** Refused updates in one round after which the round stops and the peer is polled less often. */
const MAX_REFUSED_PER_ROUND = 20;

export class PeerLink implements LiveLinkHost {
  readonly remote: RemoteRelay;
  readonly live = new Map<string, LiveLink>();
  /** Which rooms this link carries, and which are due for catch-up. */
  readonly #scope: PeerScope;
  readonly rooms = new Map<string, RoomSync>();
  /** Origin of updates this link pulls, so they are not counted as local changes. */
  readonly bulkOrigin = Object.freeze({ peerLink: true });
  readonly #marks = new Map<string, number>();
  readonly #backoff: Backoff;
  #reachable = false;
  #roomList: boolean | null = null;
  #round = 0;
  readonly #rounds: RoundScheduler;
  readonly #refusals: RefusalLog;
  #closed = false;
  /** The peer speaks another protocol: the link stopped for good (a restart tries again). */
  #incompatible = false;
  #fullNoted = false;
  lastSyncAt: number | null = null;
  lastError: string | null = null;

  constructor(
    readonly url: string,
    readonly scope: Scope,
    private readonly registry: RoomRegistry,
    private readonly config: RelayConfig,
    private readonly counters: Counters = new Counters(),
  ) {
    this.remote = new RemoteRelay(url, config.limits);
    this.#backoff = this.newBackoff();
    this.#scope = new PeerScope(scope, config.limits.maxMirrorSpaces);
    this.#rounds = new RoundScheduler(() => this.#runRound(), KICK_MS, () => this.#reachable);
    this.#refusals = new RefusalLog(url, counters, config.log);
  }

  /** Spaces a mirror carries: its root and the children its link blobs name. */
  get spaces(): ReadonlySet<SpaceId> {
    return this.#scope.spaces;
  }

  /** Spaces a mirror carries at most. */
  get maxSpaces(): number {
    return this.#scope.maxSpaces;
  }

  /** A carried space's level below its board (a board, thread or file), for a mirror's status. */
  levelOf(space: SpaceId): Level | undefined {
    return this.#scope.levelOf(space);
  }

  get maxMessageBytes(): number {
    return this.config.limits.maxMessageBytes;
  }

  get keepaliveMs(): number {
    return this.config.keepaliveMs;
  }

  get reachable(): boolean {
    return this.#reachable;
  }

  get roomList(): boolean | null {
    return this.#roomList;
  }

  maxUpdateBytes(): number {
    return this.remote.maxUpdateBytes;
  }

  newBackoff(): Backoff {
    return new Backoff(Math.min(500, this.config.peerSyncMs), this.config.peerRetryMaxMs);
  }

  inScope(room: string): boolean {
    return this.#scope.has(room);
  }

  start(): void {
    this.#rounds.start();
  }

  async close(): Promise<void> {
    this.#closed = true;
    const rounds = this.#rounds.close();
    for (const link of this.live.values()) link.close();
    this.live.clear();
    this.remote.stop();
    await rounds;
  }

  // Room events, forwarded by the Peering.

  joined(room: Room, member: RoomMember): void {
    if (member.peer || this.#closed || this.#incompatible || !this.inScope(room.name) || this.live.has(room.name)) return;
    this.live.set(room.name, new LiveLink(room, this, this.registry.backlog));
  }

  unloaded(room: Room): void {
    const link = this.live.get(room.name);
    if (!link) return;
    this.live.delete(room.name);
    link.close();
  }

  changed(room: Room, origin: unknown): void {
    if (origin === this.bulkOrigin || !this.inScope(room.name)) return;
    const link = this.live.get(room.name);
    if (link && (origin === link || link.connected)) return; // the link carries it (or it came from there)
    this.#scope.dirty.add(room.name);
    this.#rounds.kick();
  }

  linked(room: Room, children: SpaceId[], moves: ReadonlySet<SpaceId>): void {
    if (!this.inScope(room.name)) return;
    const before = this.#scope.spaces.size;
    this.#scope.learnLinks(room.address.spaceId, children, moves);
    this.#noteFull();
    if (this.scope.kind === 'peer' || this.#scope.spaces.size > before) this.#rounds.kick();
  }

  /** Once: a mirror reached its bound of spaces, so links past it are not followed. */
  #noteFull(): void {
    if (!this.#scope.full || this.#fullNoted || this.scope.kind !== 'mirror') return;
    this.#fullNoted = true;
    this.counters.add('mirror.spaces-full', 1);
    const [root, maxSpaces] = [short(this.scope.root), this.#scope.maxSpaces];
    this.config.log(`mirror: ${say(str`${root} links more spaces than the ${maxSpaces} a mirror carries; the rest are not carried`, { id: 'relay.log.mirrorFull' })}`);
  }

  linkEvent(link: LiveLink, event: 'up' | 'down' | 'receipt' | 'refused', detail?: string): void {
    const state = this.#state(link.room.name);
    if (event === 'down') this.#scope.dirty.add(link.room.name);
    if (event === 'receipt') {
      state.lastSyncAt = link.lastSyncAt;
      state.remoteSv = link.remoteSv;
    }
    if (event === 'refused') {
      state.refused++;
      this.#refusals.note('live', `${short(link.room.name)} (live link): ${detail ?? ''}`);
    }
  }

  /** One round; resolves with the wait before the next, or null once the link stopped. */
  async #runRound(): Promise<number | null> {
    try {
      if (!this.#reachable) {
        await this.remote.info();
        this.#round = 0; // back after an outage: sweep everything once
      }
      this.#reachable = true;
      await this.#roundOnce();
      this.#round++;
      this.lastSyncAt = Date.now();
      this.lastError = null;
      this.#backoff.reset();
      return this.config.peerSyncMs * (0.8 + Math.random() * 0.4);
    } catch (err) {
      if (this.#closed) return null;
      if (err instanceof ProtocolMismatch) {
        this.#stopIncompatible(err);
        return null;
      }
      // Once per kind of failure, not once per round: a hostile peer fails every round.
      const reason = (err as Error).message;
      if (this.lastError !== reason) this.config.log(`peer: ${say(str`${this.url} unavailable: ${reason}`, { id: 'relay.log.peerUnavailable' })}`);
      this.#reachable = false;
      this.lastError = reason;
      return this.#backoff.next();
    }
  }

  /** One log line, then nothing: retrying a relay of another protocol would loop forever. */
  #stopIncompatible({ message: reason }: ProtocolMismatch): void {
    this.#incompatible = true;
    this.#reachable = false;
    this.lastError = `${reason}; not retried`;
    this.config.log(`peer: ${say(str`${this.url} ${reason}; replication with it stopped`, { id: 'relay.log.peerStopped' })}`);
    for (const link of this.live.values()) link.close();
    this.live.clear();
  }

  async #roundOnce(): Promise<void> {
    this.#refusals.thisRound = 0;
    const list = await this.remote.rooms();
    // A peer may list rooms it made up: only so many are followed, and their state is pruned below.
    if (list && list.rooms.length > this.config.limits.maxPeerRooms) {
      this.counters.add('peer.rooms-ignored', list.rooms.length - this.config.limits.maxPeerRooms);
      list.rooms.length = this.config.limits.maxPeerRooms;
    }
    this.#roomList = list !== null;
    // A mirror's scope is bounded (maxMirrorSpaces): it sweeps every round; a full peer every SWEEP_EVERY rounds.
    const sweep = this.scope.kind === 'mirror' || this.#round % SWEEP_EVERY === 0;
    if (this.scope.kind === 'mirror') {
      await this.#scope.learnMirrorRooms(this.registry, this.remote, list, sweep);
      this.#noteFull();
    } else if (!list) await this.#scope.learnEpochs(this.remote, sweep);
    const local = (await this.registry.listRooms()).filter((r) => this.inScope(r));
    const candidates = new Map<string, number | undefined>();
    if (list) {
      const remote = new Set(list.rooms.filter((r) => this.inScope(r)));
      for (const room of remote) {
        const mark = list.marks?.get(room);
        if (mark === undefined || mark !== this.#marks.get(room)) candidates.set(room, mark);
      }
      for (const room of local) if (!remote.has(room)) candidates.set(room, undefined);
    } else if (sweep) {
      for (const room of [...local, ...this.#scope.known]) candidates.set(room, undefined);
    }
    const dirty = this.#scope.dirty;
    for (const room of dirty) if (!candidates.has(room)) candidates.set(room, undefined);
    dirty.clear();
    this.#prune(list, local);
    // A bounded amount of work per round: what is left over stays a candidate (its mark unseen).
    const all = [...candidates];
    const queue = all.slice(0, this.config.limits.peerRoomsPerRound);
    for (const [room, mark] of all.slice(queue.length)) if (mark === undefined) dirty.add(room);
    let failure: unknown = null;
    const worker = async () => {
      for (let item = queue.shift(); item && !this.#closed && failure === null; item = queue.shift()) {
        try {
          await this.#syncOne(item[0], item[1]);
        } catch (err) {
          failure ??= err;
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    if (failure !== null) {
      for (const [room] of queue) dirty.add(room);
      throw failure;
    }
  }

  async #syncOne(name: string, mark: number | undefined): Promise<void> {
    const address = parseRoomName(name);
    if (!address || this.registry.isRetired(name)) return; // past retention: not fetched again
    const link = this.live.get(name);
    if (link?.connected) {
      // The live link's own sync step 1 exchange keeps this room level while it is open.
      if (mark !== undefined) this.#marks.set(name, mark);
      return;
    }
    const state = this.#state(name);
    const room = short(name);
    try {
      const result = await this.registry.with(address, (room) => syncRoom(room, this.remote, this.config.limits.maxUpdateBytes, this.bulkOrigin, state.localSv));
      state.lastSyncAt = Date.now();
      state.remoteSv = result.remoteSv;
      state.localSv = result.localSv;
      if (result.conflicts > 0) {
        state.conflicts += result.conflicts;
        // Ids only: which bytes are whose is for the writers to settle (they re-seal theirs).
        this.config.log(`peer: ${say(str`${this.url} holds other bytes than this relay at ${result.conflicts} id(s) of ${room} (two valid blobs for one id)`, { id: 'relay.log.peerConflicts' })}`);
      }
      state.lastLog = null;
      if (mark !== undefined) this.#marks.set(name, mark);
      if (result.pulled + result.pushed > 0 && this.config.peerSyncMs >= 1000) {
        this.config.log(`peer: ${say(str`${this.url} ${room} caught up: ${result.pulled} in, ${result.pushed} out`, { id: 'relay.log.peerCaughtUp' })}`);
      }
    } catch (err) {
      if (err instanceof RefusedError) {
        state.refused++;
        this.#refusals.note('catch-up', `${short(name)} (catch-up): ${err.message}`);
        // A peer that keeps sending what the validator refuses is not worth the rest of the round.
        if (this.#refusals.thisRound >= MAX_REFUSED_PER_ROUND) throw new RemoteError('too many refused updates', true);
        return;
      }
      if (err instanceof RemoteError && !err.retry) {
        this.#logOnce(state, `peer: ${this.url} ${short(name)}: ${err.message}`);
        return;
      }
      this.#scope.dirty.add(name);
      if (err instanceof RoomMemoryFull) return; // counted by the registry; tried again next round
      throw err;
    }
  }

  /** Forgets rooms neither side holds any more (a peer's invented rooms), so state stays bounded. */
  #prune(list: RemoteRoomList | null, local: string[]): void {
    if (!list) return;
    const keep = new Set<string>([...list.rooms, ...local, ...this.live.keys(), ...this.#scope.dirty]);
    for (const room of this.#marks.keys()) if (!keep.has(room)) this.#marks.delete(room);
    for (const room of this.rooms.keys()) if (!keep.has(room)) this.rooms.delete(room);
    this.#scope.prune(keep);
  }

  /** A room that keeps failing the same way is logged once, not on every poll. */
  #logOnce(state: RoomSync, line: string): void {
    if (state.lastLog === line) return;
    state.lastLog = line;
    this.config.log(line);
  }

  #state(room: string): RoomSync {
    let state = this.rooms.get(room);
    if (!state) this.rooms.set(room, (state = { lastSyncAt: null, remoteSv: null, refused: 0, conflicts: 0, localSv: null, lastLog: null }));
    return state;
  }

  /** Blobs of a room the remote holds that this relay lacks, when its state is known. */
  lag(room: string, localSv: Uint8Array): number | null {
    const link = this.live.get(room);
    const remoteSv = link?.connected && link.remoteSv ? link.remoteSv : this.rooms.get(room)?.remoteSv;
    return remoteSv ? blobsMissing(localSv, remoteSv) : null;
  }
}
