// The relay's replication with others (docs/PROTOCOL.md §4): one PeerLink per peer (every room) and
// per mirrored board (its rooms only), fed with the registry's room events.
import { CapabilityError, formatCapability, normaliseRelayUrl, parseCapability, parseCapabilityOrLink, parseRoomName, type SpaceId } from '#shared';
import type { MirrorSpec, RelayConfig } from '../config.ts';
import type { Counters } from '../metrics/counters.ts';
import type { RoomRegistry } from '../rooms/registry.ts';
import { PeerLink } from './peer-link.ts';
import { LEVEL_NAMES, Level } from './scope.ts';

export interface ParsedMirror {
  spaceId: SpaceId;
  kind: 'board' | 'thread';
  relay: string;
}

/**
 * What `--mirror` takes: `<capability>@<relay URL>`, split at the last '@' (capabilities never
 * hold a raw '@'), or a capability or web link as the share dialog gives it, carried from
 * every relay it names.
 */
export function parseMirrorArg(text: string): MirrorSpec[] {
  const at = text.lastIndexOf('@');
  if (at === 0 || at === text.length - 1) throw new CapabilityError('bad-relay', MIRROR_FORM);
  if (at > 0) return [{ capability: text.slice(0, at), relay: text.slice(at + 1) }];
  const cap = parseCapabilityOrLink(text);
  if (cap.relays.length === 0) throw new CapabilityError('bad-relay', `this capability names no relay to mirror from: ${MIRROR_FORM}`);
  const capability = formatCapability(cap, 'mirror');
  return cap.relays.map((relay) => ({ capability, relay }));
}

const MIRROR_FORM = 'a mirror is <capability>@<relay URL>, or a capability or link with relays in it (baton:board:…?relays=…)';

/** Checks a mirror spec; keeps only the space id: a mirror never needs (or keeps) the keys. */
export function parseMirror(spec: MirrorSpec): ParsedMirror {
  const cap = parseCapability(spec.capability.trim());
  if (cap.kind === 'file') throw new CapabilityError('bad-kind', 'a mirror carries a board or a thread (and the files its threads link)');
  return { spaceId: cap.spaceId, kind: cap.kind, relay: normaliseRelayUrl(spec.relay) };
}

export interface MirrorRoomStatus {
  room: string;
  role: 'board' | 'thread' | 'file';
  /** Blobs this relay holds of the room. */
  blobs: number;
  /** A live link to the source is open for this room. */
  live: boolean;
  lastSync: string | null;
  /** Blobs the source holds that this relay lacks, when known. */
  lag: number | null;
  /** Updates from the source the validator refused. */
  refused: number;
  /** Ids at which the source held other bytes than this relay (two valid blobs for one id). */
  conflicts: number;
}

export interface RemoteStatus {
  url: string;
  connected: boolean;
  roomList: boolean | null;
  lastSync: string | null;
  lastError: string | null;
  liveLinks: number;
}

export interface MirrorStatus {
  peers: RemoteStatus[];
  /** `spaces`: boards, threads and files the mirror carries, at most `maxSpaces` (links past it are not followed). */
  mirrors: Array<RemoteStatus & { spaceId: string; kind: 'board' | 'thread'; spaces: number; maxSpaces: number; rooms: MirrorRoomStatus[] }>;
}

/** Rooms per mirror that the status lists. */
export const MAX_STATUS_ROOMS = 1000;

export class Peering {
  readonly links: PeerLink[] = [];
  /** Undoes the subscriptions to the registry's room events. */
  #unsubscribe: Array<() => void> = [];

  constructor(
    private readonly registry: RoomRegistry,
    config: RelayConfig,
    ownUrl: string,
    counters?: Counters,
  ) {
    const seen = new Set<string>([ownUrl]);
    for (const peer of config.peers) {
      const url = normaliseRelayUrl(peer).replace(/^ws/, 'http');
      if (seen.has(url)) continue;
      seen.add(url);
      this.links.push(new PeerLink(url, { kind: 'peer' }, registry, config, counters));
    }
    for (const spec of config.mirrors) {
      const mirror = parseMirror(spec);
      const url = mirror.relay.replace(/^ws/, 'http');
      this.links.push(new PeerLink(url, { kind: 'mirror', root: mirror.spaceId, rootKind: mirror.kind }, registry, config, counters));
    }
    this.#unsubscribe = [
      registry.events.on('joined', (room, member) => this.links.forEach((l) => l.joined(room, member))),
      registry.events.on('changed', (room, origin) => this.links.forEach((l) => l.changed(room, origin))),
      registry.events.on('linked', (room, children, moves) => this.links.forEach((l) => l.linked(room, children, moves))),
      registry.events.on('unloaded', (room) => this.links.forEach((l) => l.unloaded(room))),
      registry.events.on('idle', (room) => this.links.forEach((l) => l.unloaded(room))),
    ];
  }

  start(): void {
    for (const link of this.links) link.start();
  }

  async close(): Promise<void> {
    for (const unsubscribe of this.#unsubscribe.splice(0)) unsubscribe();
    await Promise.all(this.links.map((l) => l.close()));
  }

  async status(): Promise<MirrorStatus> {
    const status: MirrorStatus = { peers: [], mirrors: [] };
    for (const link of this.links) {
      const remote: RemoteStatus = {
        url: link.url,
        connected: link.reachable,
        roomList: link.roomList,
        lastSync: iso(link.lastSyncAt),
        lastError: link.lastError,
        liveLinks: [...link.live.values()].filter((l) => l.connected).length,
      };
      if (link.scope.kind === 'peer') {
        status.peers.push(remote);
        continue;
      }
      const root = link.scope.root;
      const names = new Set<string>();
      for (const space of link.spaces) for (const epoch of await this.registry.epochsOf(space)) names.add(`${space}.${epoch}`);
      for (const name of link.rooms.keys()) names.add(name);
      const rooms: MirrorRoomStatus[] = [];
      const sorted = [...names].sort((a, b) => Number(!a.startsWith(root)) - Number(!b.startsWith(root)) || (a < b ? -1 : 1));
      // Each room listed is loaded: a board of very many threads shows its first ones.
      for (const name of sorted.slice(0, MAX_STATUS_ROOMS)) {
        const address = parseRoomName(name);
        if (!address) continue;
        const { blobs, sv } = await this.registry.with(address, (room) => ({ blobs: room.blobCount, sv: room.stateVector() }));
        const state = link.rooms.get(name);
        const live = link.live.get(name);
        rooms.push({
          room: name,
          role: LEVEL_NAMES[link.levelOf(address.spaceId) ?? Level.file],
          blobs,
          live: live?.connected ?? false,
          lastSync: iso(Math.max(state?.lastSyncAt ?? 0, live?.lastSyncAt ?? 0) || null),
          lag: link.lag(name, sv),
          refused: state?.refused ?? 0,
          conflicts: state?.conflicts ?? 0,
        });
      }
      status.mirrors.push({ ...remote, spaceId: root, kind: link.scope.rootKind, spaces: link.spaces.size, maxSpaces: link.maxSpaces, rooms });
    }
    return status;
  }
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}
