// Replication with one remote relay: a full peer (every room) or the source of a mirror
// (one board and, through its link blobs, its threads). Rooms loaded here because clients
// use them get a LiveLink; every room in scope is also caught up over HTTP (catch-up.ts) on a
// poll of the remote's room list, after a reconnect, and soon after a local change that no
// live link carried. This file runs the rounds and hears the rooms' events.
import type { SpaceId } from '#shared';
import type { RelayConfig } from '../config.ts';
import { Counters } from '../metrics/counters.ts';
import type { RoomRegistry } from '../rooms/registry.ts';
import type { Room, RoomMember } from '../rooms/room.ts';
import { short } from '../short-name.ts';
import { Backoff } from '#shared/backoff.ts';
import { blobsMissing } from './bulk.ts';
import { CatchUp, type RoomSync } from './catch-up.ts';
import { LiveLink, type LinkEvent, type LiveLinkHost } from './live-link.ts';
import { RefusalLog } from './refusals.ts';
import { ProtocolMismatch, RemoteRelay } from './remote.ts';
import { RoundScheduler } from './round-scheduler.ts';
import { PeerScope, type Level, type Scope } from './scope.ts';
import { say, str } from '../l10n.ts';

export type { RoomSync } from './catch-up.ts';
export type { Scope } from './scope.ts';

/** A local change that no live link carried is pushed this soon. */
const KICK_MS = 50;

export class PeerLink implements LiveLinkHost {
  readonly remote: RemoteRelay;
  readonly live = new Map<string, LiveLink>();
  /** Which rooms this link carries, and which are due for catch-up. */
  readonly #scope: PeerScope;
  /** Origin of updates this link pulls, so they are not counted as local changes. */
  readonly bulkOrigin = Object.freeze({ peerLink: true });
  readonly #backoff: Backoff;
  #reachable = false;
  readonly #rounds: RoundScheduler;
  readonly #catchUp: CatchUp;
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
    this.#catchUp = new CatchUp(this, this.#scope, registry, this.remote, config, counters, this.#refusals);
  }

  /** What is known of each room's replication with the remote. */
  get rooms(): ReadonlyMap<string, RoomSync> {
    return this.#catchUp.rooms;
  }

  /** The link was closed: a round under way takes no further room. */
  get closed(): boolean {
    return this.#closed;
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
    return this.#catchUp.roomList;
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
    this.noteFull();
    if (this.scope.kind === 'peer' || this.#scope.spaces.size > before) this.#rounds.kick();
  }

  /** Once: a mirror reached its bound of spaces, so links past it are not followed. */
  noteFull(): void {
    if (!this.#scope.full || this.#fullNoted || this.scope.kind !== 'mirror') return;
    this.#fullNoted = true;
    this.counters.add('mirror.spaces-full', 1);
    const [root, maxSpaces] = [short(this.scope.root), this.#scope.maxSpaces];
    this.config.log(`mirror: ${say(str`${root} links more spaces than the ${maxSpaces} a mirror carries; the rest are not carried`, { id: 'relay.log.mirrorFull' })}`);
  }

  linkEvent(link: LiveLink, event: LinkEvent, detail?: string): void {
    if (event === 'paused' || event === 'skipped') {
      this.counters.add(`peer.live-${event}`, 1);
      return;
    }
    const state = this.#catchUp.state(link.room.name);
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
        this.#catchUp.sweepNext(); // back after an outage: sweep everything once
      }
      this.#reachable = true;
      await this.#catchUp.run();
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

  /** Blobs of a room the remote holds that this relay lacks, when its state is known. */
  lag(room: string, localSv: Uint8Array): number | null {
    const link = this.live.get(room);
    const remoteSv = link?.connected && link.remoteSv ? link.remoteSv : this.rooms.get(room)?.remoteSv;
    return remoteSv ? blobsMissing(localSv, remoteSv) : null;
  }
}
