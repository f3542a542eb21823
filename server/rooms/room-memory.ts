// What loaded rooms cost in memory, estimated, and the relay-wide bound on it. A stored room
// costs its bytes on disk; loaded, each blob is also a Yjs item with its id, content and byte
// view on the JS heap. Measured, a room of 64 MiB of 170-byte link blobs (380,000 items) took
// about 220 MiB once loaded, so three such rooms, reached by three WebSockets, took a relay
// from 460 to 1,165 MiB. Loads are admitted against the bound instead (registry.ts).
import { countEnvelopeStructsSteps } from '#shared';
import type { Counters } from '../metrics/counters.ts';
import type { MemoryLedger } from '../memory-ledger.ts';
import type { Slice } from '../slices.ts';
import type { Room } from './room.ts';

/**
 * Memory a loaded blob costs beyond its bytes. Measured (120,000 blobs of 170 bytes): about 300
 * of JS heap for a restored blob, a view into the rows read (restore.ts); a blob written since
 * is a copy with a buffer of its own, about 380 of heap and 200 more outside it. Most of a
 * loaded room was restored, so one figure between the two serves.
 */
export const LOADED_BLOB_BYTES = 448;

/** A room of `bytes` holding `blobs` blobs, loaded. */
export function loadedRoomBytes(bytes: number, blobs: number): number {
  return bytes + blobs * LOADED_BLOB_BYTES;
}

/** The blobs stored rows hold, counted a slice at a time; a row that is not a plain envelope update counts as tiny blobs. */
export async function countStoredBlobs(rows: readonly Uint8Array[], slice: Slice): Promise<number> {
  let blobs = 0;
  for (const row of rows) {
    const steps = countEnvelopeStructsSteps(row);
    let step = steps.next();
    while (!step.done) {
      await slice.check();
      step = steps.next();
    }
    blobs += step.value ?? Math.ceil(row.length / 64);
  }
  return blobs;
}

/** Thrown by a load the bound does not allow, even with every idle room unloaded. */
export class RoomMemoryFull extends Error {
  override name = 'RoomMemoryFull';
}

/** Rooms refused for memory whose need is remembered. */
const REFUSED_KEPT = 1024;

/** The rooms a relay has loaded, as the memory bound needs to see them. */
export interface LoadedRooms {
  rooms(): Iterable<Room>;
  /** Starts unloading a room; what it held is no longer counted once this returns. */
  unload(room: Room): Promise<void>;
}

/** What the loaded rooms take, estimated, against the relay-wide bound. */
export class RoomMemory {
  /** What each loaded room takes. */
  readonly #held = new Map<string, number>();
  /** Their sum, kept as they change: asked on every write that adds blobs. */
  #total = 0;
  /** What rooms refused would need, newest last. */
  readonly #refused = new Map<string, number>();

  constructor(
    private readonly budget: number,
    private readonly loaded: LoadedRooms,
    private readonly counters: Counters | null,
    /** The relay-wide budget a room's load must also fit (its writes need not: see grow). */
    private readonly ledger: MemoryLedger | null = null,
  ) {}

  get total(): number {
    return this.#total;
  }

  /** For the ledger: what the loaded rooms take. */
  get heldBytes(): number {
    return this.#total;
  }

  /** What a room refused before would need, if remembered. */
  refusedNeed(name: string): number | undefined {
    return this.#refused.get(name);
  }

  /** Whether `need` fits, once idle rooms (least recently used first) have unloaded if they must. */
  async makeRoomFor(need: number): Promise<boolean> {
    // What the relay-wide budget lacks once kept copies are dropped, idle rooms make up too.
    const unloads = this.#evictFor(need, this.ledger?.over(need) ?? 0);
    if (!unloads) return false;
    await Promise.all(unloads);
    return true;
  }

  /** A room admitted: counted from now on. */
  admit(name: string, need: number): void {
    this.#refused.delete(name);
    this.#hold(name, need);
  }

  /** A room refused: counted, remembered, and the error to throw. */
  refuse(name: string, need: number): RoomMemoryFull {
    this.counters?.add('rooms.memory-refused');
    this.#refused.delete(name);
    this.#refused.set(name, need);
    if (this.#refused.size > REFUSED_KEPT) this.#refused.delete(this.#refused.keys().next().value!);
    return new RoomMemoryFull('the relay holds as many rooms in memory as it may; try again later');
  }

  /**
   * A loaded room taking `more`: counted if it fits (idle rooms make way), else refused unless
   * it `must` be taken. Held to this bound alone: a write is small, and an honest post must not
   * be refused because others' answers fill the relay-wide budget.
   */
  grow(room: Room, more: number, must = false): boolean {
    if (!this.#evictFor(more) && !must) {
      this.counters?.add('rooms.memory-refused-write');
      return false;
    }
    this.#hold(room.name, (this.#held.get(room.name) ?? 0) + more);
    return true;
  }

  /** A room unloaded. */
  drop(name: string): void {
    this.#total -= this.#held.get(name) ?? 0;
    this.#held.delete(name);
  }

  #hold(name: string, bytes: number): void {
    this.#total += bytes - (this.#held.get(name) ?? 0);
    this.#held.set(name, bytes);
  }

  /**
   * Starts unloading idle rooms until `need` fits, and until they have freed `sharedOver` too
   * (what the relay-wide budget lacks); null, with nothing unloaded, if they cannot.
   */
  #evictFor(need: number, sharedOver = 0): Promise<void>[] | null {
    // An unload stops counting its room at once: what is freed is counted here, as it is planned,
    // against the total before any of them.
    const total = this.total;
    let freed = 0;
    const fits = () => total - freed + need <= this.budget && freed >= sharedOver;
    if (fits()) return [];
    const idle = [...this.loaded.rooms()].filter((r) => r.members.size === 0 && r.leases === 0 && r.pending === 0).sort((a, b) => a.lastActivity - b.lastActivity);
    const freeable = idle.reduce((sum, r) => sum + (this.#held.get(r.name) ?? 0), 0);
    if (total - freeable + need > this.budget || freeable < sharedOver) return null;
    const unloads: Promise<void>[] = [];
    for (const room of idle) {
      if (fits()) break;
      freed += this.#held.get(room.name) ?? 0;
      unloads.push(this.loaded.unload(room));
    }
    return unloads;
  }
}
