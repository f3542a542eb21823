// The rounds in which a peer link catches rooms up over HTTP. A round reads the remote's room
// list and picks the rooms in scope that moved since the last round (change marks say which),
// that a local change left dirty, or, every so many rounds (every round for a mirror, whose
// scope is bounded), all of them; it syncs a bounded number of them a few at a time, and
// keeps what is known of each room's replication (RoomSync) for the link's status.
import { parseRoomName } from '#shared';
import type { RelayConfig } from '../config.ts';
import type { Counters } from '../metrics/counters.ts';
import type { RoomRegistry } from '../rooms/registry.ts';
import { RoomMemoryFull } from '../rooms/room-memory.ts';
import { short } from '../short-name.ts';
import { RefusedError, syncRoom } from './bulk.ts';
import type { LiveLink } from './live-link.ts';
import type { RefusalLog } from './refusals.ts';
import { ROOM_LIST_SLICE_MS, RemoteError, type RemoteRelay, type RemoteRoomList } from './remote.ts';
import type { PeerScope, Scope } from './scope.ts';
import { Slice } from '../slices.ts';
import { say, str } from '../l10n.ts';

/** What is known of one room's replication with this remote. */
export interface RoomSync {
  lastSyncAt: number | null;
  /** The remote's state vector when last seen (bulk exchange, live sync step 1, receipt). */
  remoteSv: Uint8Array | null;
  refused: number;
  /** Ids at which the remote held other bytes than this relay (two valid blobs for one id). */
  conflicts: number;
  /** This relay's state vector at the last bulk exchange: the next pull reads back from there. */
  localSv: Uint8Array | null;
  lastLog: string | null;
}

/** With the room list switched off, every known room is swept on every this many polls. */
const SWEEP_EVERY = 10;
/** Rooms synced at once in a round. */
const CONCURRENCY = 4;
/** Refused updates in one round after which the round stops and the peer is polled less often. */
const MAX_REFUSED_PER_ROUND = 20;

/** What the rounds need of their peer link. */
export interface CatchUpHost {
  readonly url: string;
  readonly scope: Scope;
  /** The link's live links, by room: a connected one keeps its room level itself. */
  readonly live: ReadonlyMap<string, LiveLink>;
  /** Origin of updates the rounds pull, so they are not counted as local changes. */
  readonly bulkOrigin: object;
  readonly closed: boolean;
  inScope(room: string): boolean;
  /** Notes once that a mirror reached its bound of spaces. */
  noteFull(): void;
}

export class CatchUp {
  /** What is known of each room's replication with the remote. */
  readonly rooms = new Map<string, RoomSync>();
  /** The remote's change mark of each room when it was last caught up. */
  readonly #marks = new Map<string, number>();
  #round = 0;
  #roomList: boolean | null = null;

  constructor(
    private readonly host: CatchUpHost,
    /** Which rooms the link carries, and which are due for catch-up. */
    private readonly scope: PeerScope,
    private readonly registry: RoomRegistry,
    private readonly remote: RemoteRelay,
    private readonly config: RelayConfig,
    private readonly counters: Counters,
    private readonly refusals: RefusalLog,
  ) {}

  /** Whether the remote lists its rooms (null before the first round). */
  get roomList(): boolean | null {
    return this.#roomList;
  }

  /** The next round sweeps every room (the link is back after an outage). */
  sweepNext(): void {
    this.#round = 0;
  }

  /** One round; throws what made it fail, leaving the rooms it did not reach dirty. */
  async run(): Promise<void> {
    this.refusals.thisRound = 0;
    const list = await this.remote.rooms();
    // A peer may list rooms it made up: only so many are followed, and their state is pruned below.
    if (list && list.rooms.length > this.config.limits.maxPeerRooms) {
      this.counters.add('peer.rooms-ignored', list.rooms.length - this.config.limits.maxPeerRooms);
      list.rooms.length = this.config.limits.maxPeerRooms;
    }
    this.#roomList = list !== null;
    // A mirror's scope is bounded (maxMirrorSpaces): it sweeps every round; a full peer every SWEEP_EVERY rounds.
    const sweep = this.host.scope.kind === 'mirror' || this.#round % SWEEP_EVERY === 0;
    if (this.host.scope.kind === 'mirror') {
      await this.scope.learnMirrorRooms(this.registry, this.remote, list, sweep);
      this.host.noteFull();
    } else if (!list) await this.scope.learnEpochs(this.remote, sweep);
    const local = (await this.registry.listRooms()).filter((r) => this.host.inScope(r));
    const candidates = new Map<string, number | undefined>();
    const slice = new Slice(ROOM_LIST_SLICE_MS);
    if (list) {
      const remote = new Set<string>();
      for (const room of list.rooms) {
        if (this.host.inScope(room)) remote.add(room);
        if (slice.due()) await slice.pause();
      }
      for (const room of remote) {
        const mark = list.marks?.get(room);
        if (mark === undefined || mark !== this.#marks.get(room)) candidates.set(room, mark);
        if (slice.due()) await slice.pause();
      }
      for (const room of local) if (!remote.has(room)) candidates.set(room, undefined);
    } else if (sweep) {
      for (const room of [...local, ...this.scope.known]) candidates.set(room, undefined);
    }
    const dirty = this.scope.dirty;
    for (const room of dirty) if (!candidates.has(room)) candidates.set(room, undefined);
    dirty.clear();
    await this.#prune(list, local, slice);
    // A bounded amount of work per round: what is left over stays a candidate (its mark unseen).
    const all = [...candidates];
    const queue = all.slice(0, this.config.limits.peerRoomsPerRound);
    for (const [room, mark] of all.slice(queue.length)) if (mark === undefined) dirty.add(room);
    let failure: unknown = null;
    const worker = async () => {
      for (let item = queue.shift(); item && !this.host.closed && failure === null; item = queue.shift()) {
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
    this.#round++;
  }

  /** What is known of a room's replication, created on first use. */
  state(room: string): RoomSync {
    let state = this.rooms.get(room);
    if (!state) this.rooms.set(room, (state = { lastSyncAt: null, remoteSv: null, refused: 0, conflicts: 0, localSv: null, lastLog: null }));
    return state;
  }

  async #syncOne(name: string, mark: number | undefined): Promise<void> {
    const address = parseRoomName(name);
    if (!address || this.registry.isRetired(name)) return; // past retention: not fetched again
    const link = this.host.live.get(name);
    if (link?.connected) {
      // The live link's own sync step 1 exchange keeps this room level while it is open.
      if (mark !== undefined) this.#marks.set(name, mark);
      return;
    }
    const state = this.state(name);
    const room = short(name);
    const url = this.host.url;
    try {
      const result = await this.registry.with(address, (room) => syncRoom(room, this.remote, this.config.limits.maxUpdateBytes, this.host.bulkOrigin, state.localSv));
      state.lastSyncAt = Date.now();
      state.remoteSv = result.remoteSv;
      state.localSv = result.localSv;
      if (result.conflicts > 0) {
        state.conflicts += result.conflicts;
        // Ids only: which bytes are whose is for the writers to settle (they re-seal theirs).
        this.config.log(`peer: ${say(str`${url} holds other bytes than this relay at ${result.conflicts} id(s) of ${room} (two valid blobs for one id)`, { id: 'relay.log.peerConflicts' })}`);
      }
      state.lastLog = null;
      if (mark !== undefined) this.#marks.set(name, mark);
      if (result.pulled + result.pushed > 0 && this.config.peerSyncMs >= 1000) {
        this.config.log(`peer: ${say(str`${url} ${room} caught up: ${result.pulled} in, ${result.pushed} out`, { id: 'relay.log.peerCaughtUp' })}`);
      }
    } catch (err) {
      if (err instanceof RefusedError) {
        state.refused++;
        this.refusals.note('catch-up', `${short(name)} (catch-up): ${err.message}`);
        // A peer that keeps sending what the validator refuses is not worth the rest of the round.
        if (this.refusals.thisRound >= MAX_REFUSED_PER_ROUND) throw new RemoteError('too many refused updates', true);
        return;
      }
      if (err instanceof RemoteError && !err.retry) {
        this.#logOnce(state, `peer: ${url} ${short(name)}: ${err.message}`);
        return;
      }
      this.scope.dirty.add(name);
      if (err instanceof RoomMemoryFull) return; // counted by the registry; tried again next round
      throw err;
    }
  }

  /** Forgets rooms neither side holds any more (a peer's invented rooms), so state stays bounded. */
  async #prune(list: RemoteRoomList | null, local: string[], slice: Slice): Promise<void> {
    if (!list) return;
    const keep = new Set<string>([...list.rooms, ...local, ...this.host.live.keys(), ...this.scope.dirty]);
    await slice.check();
    for (const room of this.#marks.keys()) {
      if (!keep.has(room)) this.#marks.delete(room);
      if (slice.due()) await slice.pause();
    }
    for (const room of this.rooms.keys()) {
      if (!keep.has(room)) this.rooms.delete(room);
      if (slice.due()) await slice.pause();
    }
    this.scope.prune(keep);
  }

  /** A room that keeps failing the same way is logged once, not on every poll. */
  #logOnce(state: RoomSync, line: string): void {
    if (state.lastLog === line) return;
    state.lastLog = line;
    this.config.log(line);
  }
}
