// The rooms a relay holds in memory: loaded on demand, unloaded when idle, so memory follows
// the active rooms. Writes go through one WriteQueue; big rooms are merged in the background.
import * as Y from 'yjs';
import { parseRoomName, type RoomAddress } from '../../shared/index.ts';
import type { RelayConfig } from '../config.ts';
import { FROM_BUS, type ClusterBus } from '../cluster/bus.ts';
import type { AppendEntry, RelayStorage } from '../storage/types.ts';
import { Room, type RoomEvents } from './room.ts';

/** Room events plus unloading, for the peering layer. */
export interface RegistryObserver extends RoomEvents {
  unloaded?(room: Room): void;
  /** No client (only other relays, if anyone) has used the room for the idle time. */
  idle?(room: Room): void;
}
import { WriteQueue } from './write-queue.ts';

export class RoomRegistry {
  readonly #rooms = new Map<string, Room>();
  readonly #loading = new Map<string, Promise<Room>>();
  readonly #unloading = new Map<string, Promise<void>>();
  readonly #compacting = new Set<string>();
  readonly #queue: WriteQueue;
  readonly #sweeper: NodeJS.Timeout;
  #closed = false;
  /** Set once by the peering layer; rooms forward their events to it. */
  observer: RegistryObserver = {};
  readonly #events: RoomEvents = {
    changed: (room, origin) => this.observer.changed?.(room, origin),
    linked: (room, children) => this.observer.linked?.(room, children),
    joined: (room, member) => this.observer.joined?.(room, member),
    snapshot: (room) => this.#noteSnapshot(room),
  };
  /** Per space, when each epoch first held a snapshot (retention, docs/PROTOCOL.md §3, epochs). */
  readonly #snapshots = new Map<string, Map<number, number>>();
  readonly #snapshotsLoaded: Promise<void>;
  #lastRetention = 0;
  /** The cluster bus, when this relay is one node of several sharing its storage. */
  #bus: ClusterBus | null = null;
  readonly #reloading = new Set<string>();

  constructor(
    private readonly config: RelayConfig,
    private readonly storage: RelayStorage,
  ) {
    this.#queue = new WriteQueue(storage, config.log, (rooms, entries) => this.#afterCommit(rooms, entries));
    const every = Math.max(50, Math.min(this.config.idleUnloadMs / 2, 10_000));
    this.#sweeper = setInterval(() => void this.sweep(), every);
    this.#sweeper.unref();
    this.#snapshotsLoaded = storage.listSnapshotMarks().then(
      (marks) => {
        for (const [room, at] of marks) this.#recordSnapshot(room, at);
      },
      (err: Error) => config.log(`room: cannot read snapshot marks: ${err.message}`),
    );
  }

  /**
   * An older epoch whose retention is over: a newer epoch of its space has held a snapshot for
   * longer than the retention period. Such a room is dropped and not fetched from peers again.
   */
  isRetired(name: string, now = Date.now()): boolean {
    const address = parseRoomName(name);
    const marks = address && this.#snapshots.get(address.spaceId);
    if (!address || !marks) return false;
    for (const [epoch, at] of marks) if (epoch > address.epoch && now - at >= this.config.epochRetentionMs) return true;
    return false;
  }

  /** Drops every held room whose retention is over (rooms in use wait for the next round). */
  async dropRetired(now = Date.now()): Promise<string[]> {
    await this.#snapshotsLoaded;
    const dropped: string[] = [];
    for (const spaceId of this.#snapshots.keys()) {
      for (const epoch of await this.epochsOf(spaceId)) {
        const name = `${spaceId}.${epoch}`;
        if (!this.isRetired(name, now)) continue;
        const room = this.#rooms.get(name);
        if (room && (room.members.size > 0 || room.leases > 0 || this.#loading.has(name))) continue;
        if (room) await this.#unload(room);
        await this.#unloading.get(name);
        if (this.#rooms.has(name) || this.#loading.has(name)) continue; // used again meanwhile
        await this.#queue.run(() => this.storage.dropRoom(name));
        dropped.push(name);
        this.config.log(`room: dropped ${name.slice(0, 8)}….${epoch}: a newer epoch has held a snapshot for longer than the retention period`);
      }
    }
    return dropped;
  }

  #recordSnapshot(name: string, at: number): boolean {
    const address = parseRoomName(name);
    if (!address) return false;
    let marks = this.#snapshots.get(address.spaceId);
    if (!marks) this.#snapshots.set(address.spaceId, (marks = new Map()));
    if (marks.has(address.epoch)) return false;
    marks.set(address.epoch, at);
    return true;
  }

  /** The newest epoch of a space known to hold a snapshot here, or -1. */
  newestSnapshotEpoch(spaceId: string): number {
    const marks = this.#snapshots.get(spaceId);
    let newest = -1;
    if (marks) for (const epoch of marks.keys()) if (epoch > newest) newest = epoch;
    return newest;
  }

  #noteSnapshot(room: Room): void {
    const at = Date.now();
    // Once per epoch: a large snapshot arrives as several blobs, and clients need one hint.
    if (!this.#recordSnapshot(room.name, at)) return;
    this.#announceEpoch(room);
    this.storage.markSnapshot(room.name, at).catch((err: Error) => this.config.log(`room: cannot record a snapshot mark: ${err.message}`));
  }

  /**
   * Clients still in an older epoch of the room's space hear of the new one at once, rather
   * than at their next periodic epoch check: a live thread does not go quiet for them when a
   * writer compacts.
   */
  #announceEpoch(room: Room): void {
    const { spaceId, epoch } = room.address;
    for (const other of this.#rooms.values()) {
      if (other.address.spaceId !== spaceId || other.address.epoch >= epoch) continue;
      for (const member of other.members) {
        try {
          member.newerEpoch?.(epoch);
        } catch {
          // a member that cannot take a message is closing
        }
      }
    }
  }

  /** Joins a cluster: committed updates are published, loaded rooms follow the bus. Set once, before serving. */
  attachBus(bus: ClusterBus): void {
    this.#bus = bus;
  }

  /**
   * An update another node accepted and stored: validated here like any client's (a peer node
   * is trusted no more), applied and broadcast, not stored again. A gap means this node missed
   * something, which storage has.
   */
  deliverFromBus(name: string, update: Uint8Array): void {
    const room = this.#rooms.get(name);
    if (!room) return;
    const verdict = room.receive(update, FROM_BUS);
    if (verdict.ok) return;
    if (verdict.code === 'gap') this.reloadFromStorage(name);
    else this.config.log(`cluster: refused an update of ${name.slice(0, 8)}… from another node: ${verdict.reason}`);
  }

  /** Applies whatever storage holds of a loaded room that its doc lacks (missed bus entries). */
  reloadFromStorage(name: string): void {
    if (this.#reloading.has(name) || !this.#rooms.has(name)) return;
    this.#reloading.add(name);
    void this.storage
      .load(name)
      .then((stored) => {
        const room = this.#rooms.get(name);
        if (!room || stored.updates.length === 0) return;
        const missing = Y.diffUpdate(Y.mergeUpdates(stored.updates), room.stateVector());
        const verdict = room.receive(missing, FROM_BUS);
        if (!verdict.ok) this.config.log(`cluster: reload of ${name.slice(0, 8)}… from storage refused: ${verdict.reason}`);
      })
      .catch((err: Error) => this.config.log(`cluster: reload of ${name.slice(0, 8)}… failed: ${err.message}`))
      .finally(() => this.#reloading.delete(name));
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
    if (room.leases === 0 && room.members.size === 0 && room.rows === 0) void this.#unload(room);
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
  async epochsOf(spaceId: string): Promise<number[]> {
    const rooms = await this.storage.listRoomsWithPrefix(`${spaceId}.`);
    return rooms
      .map((r) => parseRoomName(r))
      .filter((a): a is RoomAddress => a !== null && a.spaceId === spaceId)
      .map((a) => a.epoch)
      .sort((a, b) => a - b);
  }

  /** Unloads rooms with no members and no lease that have been idle long enough. */
  async sweep(now = Date.now()): Promise<void> {
    // Links to peers are for clients: once none is left they close, so that two relays
    // linked both ways do not keep each other's copy of a room loaded forever.
    for (const room of this.#rooms.values()) {
      // Each attached connection holds one lease; more means a request is using the room.
      if (room.links.size === 0 || room.leases > room.members.size || now - room.lastActivity < this.config.idleUnloadMs) continue;
      if ([...room.members].some((m) => !m.peer)) continue;
      try {
        this.observer.idle?.(room);
      } catch (err) {
        this.config.log(`room: idle hook failed: ${(err as Error).message}`);
      }
    }
    const idle = [...this.#rooms.values()].filter(
      (r) => r.members.size === 0 && r.leases === 0 && now - r.lastActivity >= this.config.idleUnloadMs,
    );
    await Promise.all(idle.map((r) => this.#unload(r)));
    // Retention of older epochs: checked hourly (more often when the period itself is short).
    if (now - this.#lastRetention >= Math.min(3_600_000, this.config.epochRetentionMs / 4)) {
      this.#lastRetention = now;
      await this.dropRetired(now).catch((err: Error) => this.config.log(`room: retention failed: ${err.message}`));
    }
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
  }

  async #load(address: RoomAddress): Promise<Room> {
    // The stream position first: what is published after it is read, what before is stored.
    const from = this.#bus ? await this.#bus.position(address.room) : null;
    const stored = await this.storage.load(address.room);
    const persist = (r: Room, update: Uint8Array, origin: unknown) => {
      if (origin !== FROM_BUS) this.#queue.enqueue(r.name, update);
    };
    const room = new Room(address, this.config.limits, stored, persist, this.config.log, this.#events);
    this.#rooms.set(address.room, room);
    if (this.#bus && from !== null) this.#bus.follow(address.room, from);
    return room;
  }

  #unload(room: Room): Promise<void> {
    if (this.#rooms.get(room.name) !== room) return Promise.resolve();
    this.#rooms.delete(room.name);
    this.#bus?.unfollow(room.name);
    try {
      this.observer.unloaded?.(room);
    } catch (err) {
      this.config.log(`room: unload hook failed: ${(err as Error).message}`);
    }
    const done = (async () => {
      try {
        await this.#queue.drain();
        if (room.rows > 1) await this.#compact(room.name);
      } catch (err) {
        this.config.log(`room: unload failed: ${(err as Error).message}`);
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
    for (const name of rooms.keys()) {
      const room = this.#rooms.get(name);
      // Compaction rewrites the whole room on the event loop, so a big room waits for
      // proportionally more rows: the work per stored update stays constant as rooms grow.
      const threshold = room ? Math.max(this.config.compactAfterRows, Math.floor(room.blobCount / 4)) : Infinity;
      if (room && room.rows >= threshold && !this.#compacting.has(name)) {
        room.rows = 1;
        void this.#compact(name).catch((err: Error) => this.config.log(`room: compaction failed: ${err.message}`));
      }
    }
  }

  /** Merges a room's stored updates into one, after the writes queued before it. */
  #compact(name: string): Promise<void> {
    this.#compacting.add(name);
    return this.#queue
      .run(async () => {
        const stored = await this.storage.load(name);
        if (stored.updates.length < 2) return;
        await this.storage.compact(name, stored.throughSeq, Y.mergeUpdates(stored.updates));
      })
      .finally(() => this.#compacting.delete(name));
  }
}
