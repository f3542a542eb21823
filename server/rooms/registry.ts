// The rooms a relay holds in memory: loaded on demand, unloaded when idle, so memory follows
// the active rooms. Writes go through one WriteQueue; big rooms are merged in the background
// (compaction.ts), older epochs dropped after retention (epochs.ts), and a cluster's other
// nodes followed over the bus (bus-delivery.ts).
import { type RoomAddress, type SpaceId } from '#shared';
import type { RelayConfig } from '../config.ts';
import { FROM_BUS, type ClusterBus } from '../cluster/bus.ts';
import { Emitter } from '../emitter.ts';
import { MemoryLedger } from '../memory-ledger.ts';
import type { Counters } from '../metrics/counters.ts';
import type { AppendEntry, RelayStorage } from '../storage/types.ts';
import { VerifyBacklog } from '../verify/backlog.ts';
import { relayVerifier, type BlobVerifier } from '../verify/pool.ts';
import { BusDelivery } from './bus-delivery.ts';
import { Compactor } from './compaction.ts';
import { EpochMarks, storedEpochs } from './epochs.ts';
import { Room, type RoomEvents, type RoomMember } from './room.ts';
import { countStoredBlobs, loadedRoomBytes, RoomMemory } from './room-memory.ts';
import { restoreInSlices } from './restore.ts';
import { Slice } from '../slices.ts';
import { WriteQueue } from './write-queue.ts';
import { say, str } from '../l10n.ts';

/** Event-loop time a room's restore takes at a time before other work gets a turn. */
const RESTORE_SLICE_MS = 8;
/** Rooms this small load without waiting for a big room's load. */
const SMALL_ROOM_BYTES = 1024 * 1024;

/** What the registry's rooms tell whoever listens (the peering layer), by event name. */
export type RegistryEvents = {
  /** The doc gained an update; origin is whoever passed it to receive (null for HTTP). */
  changed: [room: Room, origin: unknown];
  /** Accepted link blobs (kind 3) named these child spaces. */
  linked: [room: Room, children: SpaceId[], moves: ReadonlySet<SpaceId>];
  joined: [room: Room, member: RoomMember];
  unloaded: [room: Room];
  /** No client (only other relays, if anyone) has used the room for the idle time. */
  idle: [room: Room];
};

export class RoomRegistry {
  readonly #rooms = new Map<string, Room>();
  readonly #loading = new Map<string, Promise<Room>>();
  readonly #unloading = new Map<string, Promise<void>>();
  /** The load under way: loads run one after another. */
  #loads: Promise<void> = Promise.resolve();
  /** What the loaded rooms take in memory, against the relay-wide bound (room-memory.ts). */
  readonly #memory: RoomMemory;
  readonly #queue: WriteQueue;
  readonly #sweeper: NodeJS.Timeout;
  #closed = false;
  /** Room events for whoever subscribes (the peering layer); a failing listener is logged. */
  readonly events = new Emitter<RegistryEvents>((err, event) => {
    const name = String(event);
    const reason = (err as Error)?.message ?? String(err);
    this.config.log(`room: ${say(str`${name} listener failed: ${reason}`, { id: 'relay.log.listenerFailed' })}`);
  });
  readonly #roomEvents: RoomEvents = {
    changed: (room, origin) => this.events.emit('changed', room, origin),
    linked: (room, children, moves) => this.events.emit('linked', room, children, moves),
    joined: (room, member) => this.events.emit('joined', room, member),
    snapshot: (room) => this.#epochs.noteSnapshot(room),
    // What another node stored is taken whatever the bound says: this node's copy must follow storage.
    grow: (room, bytes, blobs, origin, must) => this.#memory.grow(room, loadedRoomBytes(bytes, blobs), must || origin === FROM_BUS),
  };
  readonly #epochs: EpochMarks;
  readonly #compactor: Compactor;
  readonly #fromBus: BusDelivery;
  /** The cluster bus, when this relay is one node of several sharing its storage. */
  #bus: ClusterBus | null = null;

  /** Where the signatures of updates received by receiveVerified are checked. */
  readonly verifier: BlobVerifier;
  /** Bytes of updates from clients waiting for those checks, relay-wide. */
  readonly backlog = new VerifyBacklog();
  /** What clients can make the relay hold, all bounds together (the sync and HTTP layers add theirs). */
  readonly memory: MemoryLedger;

  constructor(
    private readonly config: RelayConfig,
    private readonly storage: RelayStorage,
    /** Where rooms and writes refused for memory are counted (GET /v1/metrics). */
    counters: Counters | null = null,
  ) {
    this.verifier = relayVerifier(config.verify, config.log, config.verifyThreads);
    this.memory = new MemoryLedger(config.limits.memoryBytes, counters);
    this.#memory = new RoomMemory(config.limits.roomMemoryBytes, { rooms: () => this.#rooms.values(), unload: (room) => this.#unload(room) }, counters, this.memory);
    this.memory.add(this.#memory);
    this.memory.add(this.backlog);
    this.#queue = new WriteQueue(storage, config.log, (rooms, entries) => this.#afterCommit(rooms, entries));
    this.#compactor = new Compactor(storage, this.#queue, config.compactAfterRows, config.log);
    this.#epochs = new EpochMarks(config, storage, () => this.#rooms.values());
    this.#fromBus = new BusDelivery(storage, (name) => this.#rooms.get(name), config.log);
    const every = Math.max(50, Math.min(this.config.idleUnloadMs / 2, 10_000));
    this.#sweeper = setInterval(() => void this.sweep(), every);
    this.#sweeper.unref();
  }

  /** An older epoch past retention (see epochs.ts): dropped, and not fetched from peers again. */
  isRetired(name: string, now = Date.now()): boolean {
    return this.#epochs.isRetired(name, now);
  }

  /** The newest epoch of a space known to hold a snapshot here, or -1. */
  newestSnapshotEpoch(spaceId: string): number {
    return this.#epochs.newestSnapshotEpoch(spaceId);
  }

  /** Drops every held room whose retention is over (rooms in use wait for the next round). */
  async dropRetired(now = Date.now()): Promise<string[]> {
    const dropped: string[] = [];
    for (const name of await this.#epochs.retired(now)) {
      const held = this.#rooms.get(name);
      if (held && (held.members.size > 0 || held.leases > 0 || this.#loading.has(name))) continue;
      if (held) await this.#unload(held);
      await this.#unloading.get(name);
      if (this.#rooms.has(name) || this.#loading.has(name)) continue; // used again meanwhile
      await this.#queue.run(() => this.storage.dropRoom(name));
      dropped.push(name);
      const epoch = name.slice(name.lastIndexOf('.') + 1);
      const room = `${name.slice(0, 8)}….${epoch}`;
      this.config.log(`room: ${say(str`dropped ${room}: a newer epoch has held a snapshot for longer than the retention period`, { id: 'relay.log.epochDropped' })}`);
    }
    return dropped;
  }

  /** Joins a cluster: committed updates are published, loaded rooms follow the bus. Set once, before serving. */
  attachBus(bus: ClusterBus): void {
    this.#bus = bus;
  }

  /** An update another node accepted and stored (see bus-delivery.ts). */
  deliverFromBus(name: string, update: Uint8Array): void {
    this.#fromBus.deliver(name, update);
  }

  /** Applies whatever storage holds of a loaded room that its doc lacks (missed bus entries). */
  reloadFromStorage(name: string): void {
    this.#fromBus.reload(name);
  }

  get loadedCount(): number {
    return this.#rooms.size;
  }

  isLoaded(name: string): boolean {
    return this.#rooms.has(name);
  }

  /** Loads (or finds) a room and leases it; pair every acquire with release. */
  async acquire(address: RoomAddress): Promise<Room> {
    if (this.#closed) throw new Error('relay is closing');
    const name = address.room;
    for (;;) {
      const unloading = this.#unloading.get(name);
      if (!unloading) break;
      await unloading;
    }
    let room = this.#rooms.get(name);
    if (!room) {
      let loading = this.#loading.get(name);
      if (!loading) {
        loading = this.#load(address).finally(() => this.#loading.delete(name));
        this.#loading.set(name, loading);
      }
      room = await loading;
    }
    room.leases++;
    room.lastActivity = Date.now();
    return room;
  }

  release(room: Room): void {
    room.leases = Math.max(0, room.leases - 1);
    room.lastActivity = Date.now();
    // A room that holds nothing is not kept around: reads of unknown rooms cost no memory.
    if (room.leases === 0 && room.members.size === 0 && room.pending === 0 && room.rows === 0) void this.#unload(room);
  }

  /** Runs fn with a leased room. */
  async with<T>(address: RoomAddress, fn: (room: Room) => T | Promise<T>): Promise<T> {
    const room = await this.acquire(address);
    try {
      return await fn(room);
    } finally {
      this.release(room);
    }
  }

  /** Resolves with the room's state vector once everything it holds is durably stored. */
  durable(room: Room): Promise<Uint8Array> {
    return this.#queue.durable(() => room.stateVector());
  }

  async listRooms(): Promise<string[]> {
    return this.storage.listRooms();
  }

  async listRoomMarks(): Promise<Array<[string, number]>> {
    return this.storage.listRoomMarks();
  }

  /** The loaded room of this name, if any (no lease taken). */
  loaded(name: string): Room | undefined {
    return this.#rooms.get(name);
  }

  /** Epochs held of a space, ascending. */
  epochsOf(spaceId: string): Promise<number[]> {
    return storedEpochs(this.storage, spaceId);
  }

  /** Unloads rooms with no members and no lease that have been idle long enough. */
  async sweep(now = Date.now()): Promise<void> {
    // Links to peers are for clients: once none is left they close, so that two relays
    // linked both ways do not keep each other's copy of a room loaded forever.
    for (const room of this.#rooms.values()) {
      // Each attached connection holds one lease; more means a request is using the room.
      if (room.links.size === 0 || room.leases > room.members.size || now - room.lastActivity < this.config.idleUnloadMs) continue;
      if ([...room.members].some((m) => !m.peer)) continue;
      this.events.emit('idle', room);
    }
    const idle = [...this.#rooms.values()].filter(
      (r) => r.members.size === 0 && r.leases === 0 && r.pending === 0 && now - r.lastActivity >= this.config.idleUnloadMs,
    );
    await Promise.all(idle.map((r) => this.#unload(r)));
    if (this.#epochs.due(now)) await this.dropRetired(now).catch(({ message }: Error) => this.config.log(`room: ${say(str`retention failed: ${message}`, { id: 'relay.log.retentionFailed' })}`));
  }

  /** Finishes pending writes and unloads every room. */
  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#sweeper);
    await Promise.allSettled([...this.#loading.values()]);
    await this.#queue.drain();
    for (const room of this.#rooms.values()) room.destroy();
    this.#rooms.clear();
    await Promise.allSettled([...this.#unloading.values()]);
    await this.verifier.close();
  }

  async #load(address: RoomAddress): Promise<Room> {
    // The stream position first: what is published after it is read, what before is stored.
    const from = this.#bus ? await this.#bus.position(address.room) : null;
    // A big room loads after the big room loading before it: each is admitted against what the
    // rooms already loaded take, and only one's stored rows are held beyond them. Small rooms
    // load at once, so that none waits behind a big one.
    const bytes = await this.storage.roomBytes(address.room);
    let room: Room;
    if (bytes <= SMALL_ROOM_BYTES) room = await this.#restore(address, bytes);
    else {
      const loaded = this.#loads.then(() => this.#restore(address, bytes));
      this.#loads = loaded.then(
        () => undefined,
        () => undefined,
      );
      room = await loaded;
    }
    this.#rooms.set(address.room, room);
    if (this.#bus && from !== null) this.#bus.follow(address.room, from);
    return room;
  }

  /** Reads a room's rows (`bytes` of them), admits it against the rooms' memory bound, and applies them in slices. */
  async #restore(address: RoomAddress, bytes: number): Promise<Room> {
    // A room refused before is refused again without reading it, while it still would not fit.
    // A room needs at least its bytes: one that cannot fit even so is not read.
    const known = this.#memory.refusedNeed(address.room) ?? bytes;
    if (!(await this.#memory.makeRoomFor(known))) throw this.#memory.refuse(address.room, known);
    const stored = await this.storage.load(address.room);
    const slice = new Slice(RESTORE_SLICE_MS);
    const need = loadedRoomBytes(stored.bytes, await countStoredBlobs(stored.updates, slice));
    if (!(await this.#memory.makeRoomFor(need))) throw this.#memory.refuse(address.room, need);
    this.#memory.admit(address.room, need);
    const persist = (r: Room, update: Uint8Array, origin: unknown) => {
      if (origin !== FROM_BUS) this.#queue.enqueue(r.name, update);
    };
    try {
      // Built without its rows, which are applied below a slice of event-loop time at a time.
      const rows = { rowsRestoredLater: stored.updates.length, bytes: stored.bytes };
      const room = new Room(address, this.config.limits, rows, persist, this.config.log, this.#roomEvents, this.verifier);
      room.restoredPieces = await restoreInSlices(room.doc, stored.updates, slice, room.name, this.config.log);
      return room;
    } catch (err) {
      this.#memory.drop(address.room);
      throw err;
    }
  }

  /** Memory the loaded rooms take, estimated: counted as each loads and grows. */
  get roomMemory(): number {
    return this.#memory.total;
  }

  #unload(room: Room): Promise<void> {
    if (this.#rooms.get(room.name) !== room) return Promise.resolve();
    this.#rooms.delete(room.name);
    this.#memory.drop(room.name);
    this.#bus?.unfollow(room.name);
    this.events.emit('unloaded', room);
    const done = (async () => {
      try {
        await this.#queue.drain();
        if (this.#compactor.worthCompacting(room)) await this.#compactor.compact(room.name, this.#bus ? undefined : room);
      } catch (err) {
        const reason = (err as Error).message;
        this.config.log(`room: ${say(str`unload failed: ${reason}`, { id: 'relay.log.unloadFailed' })}`);
      } finally {
        room.destroy();
      }
    })().finally(() => this.#unloading.delete(room.name));
    this.#unloading.set(room.name, done);
    return done;
  }

  #afterCommit(rooms: Map<string, number>, entries: readonly AppendEntry[]): void {
    // Only what is committed is published: a node that reads it can rely on storage holding it.
    this.#bus?.publish(entries);
    this.#compactor.committed(rooms.keys(), (name) => this.#rooms.get(name), !this.#bus);
  }
}
