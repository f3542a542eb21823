// Which rooms one peer link carries: every room for a full peer; for a mirror, the spaces of
// its root and of the children its link blobs name, and of what those children's own link
// blobs name: a moved board names its successor by a link blob, and the successor its threads
// (docs/PROTOCOL.md §4, "Peering and mirrors"). Also which rooms are due for catch-up.
import { parseRoomName, type SpaceId } from '#shared';
import type { RoomRegistry } from '../rooms/registry.ts';
import type { RemoteRelay, RemoteRoomList } from './remote.ts';

export type Scope = { kind: 'peer' } | { kind: 'mirror'; root: SpaceId; rootKind: 'board' | 'thread' };

/** Spaces of one mirror whose own link blobs are followed: its root and the boards it moved to. */
export const MAX_MIRROR_PARENTS = 16;
/** Carried spaces looked into per round for link blobs of their own (after a restart, say). */
const PROBES_PER_ROUND = 64;

export class PeerScope {
  /** Spaces a mirror carries: its root and the children its link blobs name. */
  readonly spaces = new Set<SpaceId>();
  /** Rooms the remote is known to hold (of spaces learned here). */
  readonly known = new Set<string>();
  /** Rooms to catch up in the next round whatever the remote's marks say. */
  readonly dirty = new Set<string>();
  /** Spaces whose link blobs a mirror follows: the root, then spaces found to hold links (a successor board). */
  readonly parents = new Set<SpaceId>();
  readonly #newSpaces = new Set<SpaceId>();
  /** Spaces already looked into for link blobs of their own. */
  readonly #probed = new Set<SpaceId>();

  constructor(readonly scope: Scope) {
    if (scope.kind === 'mirror') {
      this.learnSpace(scope.root);
      this.parents.add(scope.root);
      this.#probed.add(scope.root);
    }
  }

  /** A carried room named children: its space's link blobs are followed too, within the bound. */
  learnParent(space: SpaceId): void {
    if (this.scope.kind !== 'mirror' || this.parents.has(space) || !this.spaces.has(space)) return;
    if (this.parents.size < MAX_MIRROR_PARENTS) this.parents.add(space);
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
    // Threads are named by the board's link blobs (and a successor's by its own), wherever they came from.
    for (const parent of [...this.parents]) for (const child of await this.#children(registry, parent)) this.learnSpace(child);
    // A space stored here but not yet looked into may be a successor board (after a restart, its
    // links announced no event): a few are looked into each round, each once.
    let probes = 0;
    for (const space of [...this.spaces]) {
      if (this.#probed.has(space) || this.parents.size >= MAX_MIRROR_PARENTS || probes++ >= PROBES_PER_ROUND) continue;
      this.#probed.add(space);
      const children = await this.#children(registry, space);
      if (children.length === 0) continue;
      this.learnParent(space);
      for (const child of children) this.learnSpace(child);
    }
    if (list) {
      for (const room of list.rooms) if (this.has(room)) this.known.add(room);
      return;
    }
    await this.learnEpochs(remote, sweep);
  }

  async #children(registry: RoomRegistry, space: SpaceId): Promise<SpaceId[]> {
    const out: SpaceId[] = [];
    for (const epoch of await registry.epochsOf(space)) {
      const address = parseRoomName(`${space}.${epoch}`);
      if (address) out.push(...(await registry.with(address, (room) => room.linkedChildren())));
    }
    return out;
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
