// Which rooms one peer link carries: every room for a full peer; for a mirror, the spaces of
// its root and of the children its link blobs name (a board's threads, and the files those
// threads link; no deeper). Also which rooms are due for catch-up.
import { parseRoomName, type SpaceId } from '#shared';
import type { RoomRegistry } from '../rooms/registry.ts';
import type { RemoteRelay, RemoteRoomList } from './remote.ts';

export type Scope = { kind: 'peer' } | { kind: 'mirror'; root: SpaceId; rootKind: 'board' | 'thread' };

export class PeerScope {
  /** Spaces a mirror carries: its root and the children its link blobs name. */
  readonly spaces = new Set<SpaceId>();
  /** Rooms the remote is known to hold (of spaces learned here). */
  readonly known = new Set<string>();
  /** Rooms to catch up in the next round whatever the remote's marks say. */
  readonly dirty = new Set<string>();
  readonly #newSpaces = new Set<SpaceId>();
  /** A mirror's spaces by how many links from its root: 0 root, 1 thread or file, 2 file. */
  readonly #depth = new Map<SpaceId, number>();
  /** Spaces whose stored rooms were read for links once; later links arrive as events. */
  readonly #walked = new Set<SpaceId>();

  constructor(readonly scope: Scope) {
    if (scope.kind === 'mirror') {
      this.#depth.set(scope.root, 0);
      this.learnSpace(scope.root);
    }
  }

  /** How deep a mirror follows links: a board's threads and their files, or a thread's files. */
  get #maxDepth(): number {
    return this.scope.kind === 'mirror' && this.scope.rootKind === 'board' ? 2 : 1;
  }

  /** What a mirror's space is to its root: the root's kind, a thread, or a file a thread links. */
  role(space: SpaceId): 'board' | 'thread' | 'file' {
    if (this.scope.kind !== 'mirror') return 'thread';
    const depth = this.#depth.get(space) ?? 1;
    if (depth === 0) return this.scope.rootKind;
    return this.scope.rootKind === 'board' && depth === 1 ? 'thread' : 'file';
  }

  /** A child a link blob names in `parent`'s room: learned if the parent is not already as deep as links go. */
  learnChild(parent: SpaceId, child: SpaceId): void {
    if (this.scope.kind === 'peer') return this.learnSpace(child);
    const depth = this.#depth.get(parent);
    if (depth === undefined || depth >= this.#maxDepth || this.#depth.has(child)) return;
    this.#depth.set(child, depth + 1);
    this.learnSpace(child);
  }

  has(room: string): boolean {
    if (this.scope.kind === 'peer') return true;
    const address = parseRoomName(room);
    return address !== null && this.spaces.has(address.spaceId);
  }

  learnSpace(space: SpaceId): void {
    if (this.scope.kind === 'mirror') {
      if (this.spaces.has(space)) return;
      this.spaces.add(space);
    } else if (this.known.has(`${space}.0`)) return;
    // Epoch 0 at once; later epochs when the remote says it holds them.
    const first = `${space}.0`;
    this.known.add(first);
    this.dirty.add(first);
    this.#newSpaces.add(space);
  }

  /** A mirror's rooms: its spaces' epochs, from the list or from /v1/spaces/<id>. */
  async learnMirrorRooms(registry: RoomRegistry, remote: RemoteRelay, list: RemoteRoomList | null, sweep: boolean): Promise<void> {
    if (this.scope.kind !== 'mirror') return;
    // Threads are named by the board's link blobs, wherever the board came from; the board
    // is read every round, a thread once (its later links arrive through linked events).
    await this.#walk(registry, this.scope.root);
    for (const [space, depth] of [...this.#depth]) {
      if (depth > 0 && depth < this.#maxDepth && !this.#walked.has(space)) await this.#walk(registry, space);
    }
    if (list) {
      for (const room of list.rooms) if (this.has(room)) this.known.add(room);
      return;
    }
    await this.learnEpochs(remote, sweep);
  }

  async #walk(registry: RoomRegistry, space: SpaceId): Promise<void> {
    this.#walked.add(space);
    for (const epoch of await registry.epochsOf(space)) {
      const address = parseRoomName(`${space}.${epoch}`);
      if (!address) continue;
      const children = await registry.with(address, (room) => room.linkedChildren());
      for (const child of children) this.learnChild(space, child);
    }
  }

  /** Asks the remote which epochs it holds of newly learned spaces (of all, on a mirror's sweep). */
  async learnEpochs(remote: RemoteRelay, sweep: boolean): Promise<void> {
    const spaces = sweep && this.scope.kind === 'mirror' ? [...this.spaces] : [...this.#newSpaces];
    for (const space of spaces) {
      for (const epoch of await remote.epochs(space)) {
        const room = `${space}.${epoch}`;
        if (!this.known.has(room)) this.dirty.add(room);
        this.known.add(room);
      }
      this.#newSpaces.delete(space);
    }
  }

  /** A full peer forgets rooms neither side holds any more (a peer's invented rooms). */
  prune(keep: Set<string>): void {
    if (this.scope.kind === 'peer') for (const room of this.known) if (!keep.has(room)) this.known.delete(room);
  }
}
