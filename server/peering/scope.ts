// Which rooms one peer link carries: every room for a full peer; for a mirror, the spaces its
// root's link blobs reach by depth (docs/PROTOCOL.md §4, "Peering and mirrors"): a board's
// links name threads, a thread's links name files, a file's links are not followed, and a
// move link names a successor that is a board again. A hostile writer can link any number of
// spaces, so a mirror carries at most `maxSpaces` of them, the first it learns; every round
// does a bounded amount of work whatever the links say. Also which rooms are due for catch-up.
import { parseRoomName, type SpaceId } from '#shared';
import { DEFAULT_RELAY_LIMITS } from '../config.ts';
import type { RoomRegistry } from '../rooms/registry.ts';
import type { RemoteRelay, RemoteRoomList } from './remote.ts';

export type Scope = { kind: 'peer' } | { kind: 'mirror'; root: SpaceId; rootKind: 'board' | 'thread' };

/** How far below its board a space sits: a space's plain links name spaces one level down. */
export const Level = { board: 0, thread: 1, file: 2 } as const;
export type Level = (typeof Level)[keyof typeof Level];
export const LEVEL_NAMES = ['board', 'thread', 'file'] as const;

/** Carried boards and threads whose stored link blobs are read per round (new ones first). */
export const PROBES_PER_ROUND = 64;
/** Spaces whose epochs are asked of a remote without a room list per round (new ones first). */
export const EPOCH_ASKS_PER_ROUND = 256;

export class PeerScope {
  /** Spaces a mirror carries, in the order learned: its root and what its links reach. */
  readonly spaces = new Set<SpaceId>();
  /** Rooms the remote is known to hold (of spaces learned here). */
  readonly known = new Set<string>();
  /** Rooms to catch up in the next round whatever the remote's marks say. */
  readonly dirty = new Set<string>();
  /** True once a link was not followed because the mirror carries its bound of spaces. */
  full = false;
  readonly #levels = new Map<SpaceId, Level>();
  /** Carried boards and threads, whose link blobs are followed, in the order learned. */
  readonly #parents: SpaceId[] = [];
  /** Boards and threads whose stored link blobs were not read yet (after a restart, say). */
  readonly #unprobed = new Set<SpaceId>();
  readonly #newSpaces = new Set<SpaceId>();
  #probeCursor = 0;
  #epochCursor = 0;

  constructor(
    readonly scope: Scope,
    readonly maxSpaces: number = DEFAULT_RELAY_LIMITS.maxMirrorSpaces,
  ) {
    if (scope.kind === 'mirror') this.#admit(scope.root, scope.rootKind === 'board' ? Level.board : Level.thread);
  }

  has(room: string): boolean {
    if (this.scope.kind === 'peer') return true;
    const address = parseRoomName(room);
    return address !== null && this.spaces.has(address.spaceId);
  }

  /** A carried space's level, or undefined for a space this mirror does not carry. */
  levelOf(space: SpaceId): Level | undefined {
    return this.#levels.get(space);
  }

  /** A space to carry: for a full peer, its epoch 0 at once; for a mirror, at `level` (a file's by default). */
  learnSpace(space: SpaceId, level: Level = Level.file): void {
    if (this.scope.kind === 'mirror') return this.#admit(space, level);
    if (this.known.has(`${space}.0`)) return;
    this.#start(space);
  }

  /**
   * Link blobs of `from` named `children` (`moves` among them by move links). A mirror follows
   * them one level down from a board or a thread, a move link from a board to a board; a
   * file's links, and links of spaces it does not carry, are not followed.
   */
  learnLinks(from: SpaceId, children: Iterable<SpaceId>, moves: ReadonlySet<SpaceId>): void {
    if (this.scope.kind === 'peer') {
      for (const child of children) this.learnSpace(child);
      return;
    }
    const level = this.#levels.get(from);
    if (level === undefined || level === Level.file) return;
    for (const child of children) this.#admit(child, level === Level.board && moves.has(child) ? Level.board : ((level + 1) as Level));
  }

  #admit(space: SpaceId, level: Level): void {
    const had = this.#levels.get(space);
    if (had !== undefined) {
      // Named again higher up (a thread first seen as a file, say): its links are followed now.
      if (level < had) {
        this.#levels.set(space, level);
        if (had === Level.file) this.#parents.push(space);
        this.#unprobed.add(space);
      }
      return;
    }
    if (this.spaces.size >= this.maxSpaces) {
      this.full = true;
      return;
    }
    this.spaces.add(space);
    this.#levels.set(space, level);
    if (level !== Level.file) {
      this.#parents.push(space);
      this.#unprobed.add(space);
    }
    this.#start(space);
  }

  /** Epoch 0 at once; later epochs when the remote says it holds them. */
  #start(space: SpaceId): void {
    const first = `${space}.0`;
    this.known.add(first);
    this.dirty.add(first);
    this.#newSpaces.add(space);
  }

  /** A mirror's rooms: its spaces' epochs, from the list or from /v1/spaces/<id>. */
  async learnMirrorRooms(registry: RoomRegistry, remote: RemoteRelay, list: RemoteRoomList | null, sweep: boolean): Promise<void> {
    if (this.scope.kind !== 'mirror') return;
    // New links arrive as events; reading stored links finds those that came without one (a
    // restart, an import): spaces not read yet first, then a turn of the others.
    let budget = PROBES_PER_ROUND;
    for (const space of this.#unprobed) {
      if (budget-- <= 0) break;
      this.#unprobed.delete(space);
      await this.#probe(registry, space);
    }
    for (; budget > 0 && this.#parents.length > 0; budget--) {
      this.#probeCursor %= this.#parents.length;
      await this.#probe(registry, this.#parents[this.#probeCursor++]!);
    }
    if (list) {
      for (const room of list.rooms) if (this.has(room)) this.known.add(room);
      return;
    }
    await this.learnEpochs(remote, sweep);
  }

  async #probe(registry: RoomRegistry, space: SpaceId): Promise<void> {
    for (const epoch of await registry.epochsOf(space)) {
      const address = parseRoomName(`${space}.${epoch}`);
      if (!address) continue;
      const { children, moves } = await registry.with(address, (room) => room.childLinks());
      this.learnLinks(space, children, moves);
    }
  }

  /** Asks the remote which epochs it holds of newly learned spaces, then (a mirror's sweep) of a turn of the others. */
  async learnEpochs(remote: RemoteRelay, sweep: boolean): Promise<void> {
    let budget = EPOCH_ASKS_PER_ROUND;
    for (const space of this.#newSpaces) {
      if (budget-- <= 0) return;
      await this.#askEpochs(remote, space);
      this.#newSpaces.delete(space);
    }
    if (!sweep || this.scope.kind !== 'mirror') return;
    const all = [...this.spaces];
    for (let i = 0; i < Math.min(budget, all.length); i++) {
      this.#epochCursor %= all.length;
      await this.#askEpochs(remote, all[this.#epochCursor++]!);
    }
  }

  async #askEpochs(remote: RemoteRelay, space: SpaceId): Promise<void> {
    for (const epoch of await remote.epochs(space)) {
      const room = `${space}.${epoch}`;
      if (!this.known.has(room)) this.dirty.add(room);
      this.known.add(room);
    }
  }

  /** A full peer forgets rooms neither side holds any more (a peer's invented rooms). */
  prune(keep: Set<string>): void {
    if (this.scope.kind === 'peer') for (const room of this.known) if (!keep.has(room)) this.known.delete(room);
  }
}
