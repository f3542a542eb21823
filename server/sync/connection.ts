// One WebSocket client of one room, speaking the y-websocket protocol: what the client sends
// is read and handed to the room, and what the room has for it is sent. A bad message closes
// only this connection. The parts: room-entry.ts gets it a slot in its room; inbound.ts
// bounds what the client may send; update-intake.ts takes its updates through their checks
// and answers the room's verdict; outflow.ts sends, closing a reader that falls further
// behind than its budget; answer-sender.ts sends answers to sync step 1 one at a time, in
// pieces as the socket drains.
import { CloseCode, writeNewerEpoch, type RoomAddress } from '#shared';
import type { RelayConfig } from '../config.ts';
import type { Counters } from '../metrics/counters.ts';
import type { RoomRegistry } from '../rooms/registry.ts';
import type { Room, RoomMember } from '../rooms/room.ts';
import { short } from '../short-name.ts';
import type { AnswerPool } from './answers.ts';
import { readMessage, writeSyncStep1 } from '#shared/wire/index.ts';
import { AnswerSender } from './answer-sender.ts';
import { InboundLimits } from './inbound.ts';
import { ReadGate } from './read-gate.ts';
import { Outflow } from './outflow.ts';
import { TokenBucket } from './rate-limit.ts';
import { RoomEntry } from './room-entry.ts';
import type { SocketLike } from './socket.ts';
import type { SourceTally } from './sources.ts';
import { UpdateIntake } from './update-intake.ts';
import type { BehindReader, UnreadBound } from './unread-bound.ts';
import { say, str } from '../l10n.ts';

/** Every open connection of the relay, for the connection limit and the keepalive. */
export type ConnectionSet = Set<SyncConnection>;

/** What all connections of a relay share. */
export interface SyncShared {
  connections: ConnectionSet;
  /** What all connections together have unread (server/sync/unread-bound.ts). */
  unread: UnreadBound;
  answers: AnswerPool;
  counters: Counters;
  sources: SourceTally;
}

export class SyncConnection implements RoomMember, BehindReader {
  readonly #entry: RoomEntry;
  /** Messages that came while the room loaded. */
  #pending: Uint8Array[] = [];
  #closed = false;
  readonly #inbound: InboundLimits;
  /** Pauses the socket's reads, and holds what arrives after a pause until they resume. */
  readonly #reads: ReadGate;
  readonly #out: Outflow;
  readonly #updates: UpdateIntake;
  readonly #answers: AnswerSender;
  /** Last time this connection moved data: bytes read by it, or an update accepted from it. */
  lastProgress = performance.now();

  constructor(
    socket: SocketLike,
    private readonly address: RoomAddress,
    private readonly registry: RoomRegistry,
    private readonly config: RelayConfig,
    private readonly shared: SyncShared,
    /** Baton messages this client asked for: receipts (`?receipts=1`), newer epochs (`?epochs=1`). */
    private readonly wants: { receipts: boolean; epochs: boolean },
    readonly peer = false,
    /** The source address, only when the relay counts connections per source. */
    source: string | null = null,
  ) {
    const limits = config.limits;
    this.#entry = new RoomEntry(address, registry, config, shared.sources, source);
    this.#reads = new ReadGate(socket, (data) => this.#take(data), () => this.#close(CloseCode.rateLimited, 'too many messages while reading is paused'));
    this.#inbound = new InboundLimits(limits, this.#reads, shared.counters);
    this.#out = new Outflow(socket, limits.outboundBufferBytes, shared.counters, shared.unread);
    const onPause = () => shared.counters.add('sync.verify-paused');
    this.#updates = new UpdateIntake(this.#reads, registry.backlog, onPause, {
      origin: this,
      isOpen: () => !this.#closed,
      send: (message) => this.send(message),
      close: (code, reason) => this.#close(code, reason),
      progressed: () => (this.lastProgress = performance.now()),
    });
    const answerBytes = new TokenBucket(limits.answerBytesPerSecond, limits.answerByteBurst);
    const { answers, counters } = shared;
    const write = (message: Uint8Array) => this.#out.write(message);
    this.#answers = new AnswerSender({ answers, counters, reads: this.#out.reads, bytes: answerBytes, outboundBufferBytes: limits.outboundBufferBytes, write });
  }

  open(): void {
    if (this.shared.connections.size >= this.config.limits.maxConnections) {
      this.#close(1013, 'relay is full, try again later');
      return;
    }
    this.shared.connections.add(this);
    void this.#entry.load().then((loaded) => {
      if ('room' in loaded) this.#attach(loaded.room);
      else this.#close(loaded.refused.code, loaded.refused.reason);
    });
  }

  /** A message from the socket: its bytes, or null for a text message. */
  message(data: Uint8Array | null): void {
    if (this.#closed) return;
    this.#out.heard();
    if (!(data instanceof Uint8Array)) {
      this.#close(CloseCode.badMessage, 'binary messages only');
      return;
    }
    this.#reads.offer(data);
  }

  /** A message read, in its turn: counted against the client's limits, then handled. */
  #take(data: Uint8Array): void {
    if (this.#closed) return;
    const refused = this.#inbound.refuse(data);
    if (refused) {
      this.#close(refused.code, refused.reason);
      return;
    }
    const room = this.#entry.room;
    if (room) this.#handleSafely(room, data);
    else this.#pending.push(data);
  }

  /** The socket is gone (either side closed it). */
  closed(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#pending = [];
    this.#reads.close();
    this.shared.connections.delete(this);
    this.#updates.close();
    this.#out.drop();
    this.#answers.stop();
    this.#entry.leave(this);
  }

  /**
   * Sends a message the relay cannot hold back (an update): a reader too far behind is
   * closed. Presence (`droppable`) is skipped for a reader that has not taken what it was sent.
   */
  send(message: Uint8Array, droppable = false): void {
    if (this.#closed) return;
    if (!this.#out.send(message, droppable)) this.#tooSlow();
  }

  newerEpoch(epoch: number): void {
    if (this.wants.epochs && epoch > this.address.epoch) this.send(writeNewerEpoch(epoch));
  }

  /** The peer answered a ping; a numbered one confirms what it has read. */
  alive(payload?: Uint8Array): void {
    if (!this.#out.pong(payload)) return;
    this.lastProgress = performance.now();
    if (this.#answers.busy) this.#answers.pump();
  }

  /** Bytes sent to this reader that it has not confirmed reading. */
  get unread(): number {
    return this.#out.reads.unread;
  }

  /** The relay has too much unread, and this reader is among the furthest behind. */
  cutForUnread(): void {
    if (this.#closed) return;
    this.shared.counters.add('sync.unread-shed');
    // Dropped at once, not closed with a grace: a close frame would wait behind all it has
    // not read, and the socket's buffers are what the relay must give back.
    this.closed();
    this.#out.terminate();
  }

  /** Gives up this connection's slot to a newcomer (the room is full and this one is idle). */
  evict(): void {
    this.shared.counters.add('sync.evicted');
    this.#close(1013, 'room is full; an idle connection gives way');
  }

  /**
   * Called every keepalive interval: drops a peer that answered nothing since the last
   * tick (a dead network path) or that took none of the bytes queued for it (a socket that
   * does not read), pings the others, and keeps quiet stock clients connected.
   */
  tick(now = performance.now()): void {
    if (this.#closed) return;
    const verdict = this.#out.tick(now, this.lastProgress, this.config.stallMs);
    if (verdict === 'dead') {
      this.shared.counters.add('sync.no-pong');
      this.closed();
      this.#out.terminate();
    } else if (verdict === 'too-slow') this.#tooSlow();
  }

  /** The room loaded: the connection takes a slot in it and sends what a joining client is sent. */
  #attach(room: Room): void {
    if (this.#closed) {
      this.#entry.release(room);
      return;
    }
    const refused = this.#entry.take(room, this);
    if (refused) {
      this.#close(refused.code, refused.reason);
      return;
    }
    if (this.wants.receipts) this.#updates.sendReceipts(() => this.registry.durable(room));
    this.send(writeSyncStep1(room.stateVector()));
    const awareness = room.awarenessSnapshot();
    if (awareness) this.send(awareness);
    const newest = this.registry.newestSnapshotEpoch(this.address.spaceId);
    if (newest > this.address.epoch) this.newerEpoch(newest);
    const pending = this.#pending;
    this.#pending = [];
    for (const bytes of pending) if (!this.#closed) this.#handleSafely(room, bytes);
  }

  /** A bug in handling one message closes this connection, never the relay. */
  #handleSafely(room: Room, bytes: Uint8Array): void {
    try {
      this.#handle(room, bytes);
    } catch (err) {
      const [name, reason] = [short(room.name), (err as Error).message];
      this.config.log(`sync: ${say(str`${name} internal error: ${reason}`, { id: 'relay.log.syncInternal' })}`);
      this.#close(1011, 'internal error');
    }
  }

  #handle(room: Room, bytes: Uint8Array): void {
    const read = readMessage(bytes);
    if (!read.ok) {
      this.#close(CloseCode.badMessage, read.fault === 'unknown-type' ? read.detail : 'undecodable message');
      return;
    }
    const message = read.message;
    switch (message.type) {
      case 'sync-step1':
        this.#answers.ask(room, message.stateVector);
        return;
      case 'sync-update':
        this.#updates.receive(room, message.update);
        return;
      case 'awareness':
        room.receiveAwareness(this, message.payload);
        return;
      case 'query-awareness': {
        const awareness = room.awarenessSnapshot();
        if (awareness) this.send(awareness);
        return;
      }
      case 'auth':
        return; // the relay asks for no authentication; nothing to answer
      case 'receipt':
      case 'newer-epoch':
        // A relay's own messages: no client sends them.
        this.#close(CloseCode.badMessage, `unexpected message type ${message.type}`);
    }
  }

  /** A reader that stopped taking what it is sent: closed, and dropped if it does not take the close either. */
  #tooSlow(): void {
    this.shared.counters.add('sync.too-slow');
    this.#close(1013, 'too far behind: reconnect and sync again');
    this.#out.terminateAfterGrace();
  }

  /**
   * Closes this connection only. Refusals are counted (GET /v1/metrics), not logged: a
   * hostile client can cause thousands a second.
   */
  #close(code: number, reason: string): void {
    if (this.#closed) return;
    this.shared.counters.add(`sync.closed.${code}`);
    this.#out.flush(); // what was sent before the refusal goes before its close frame
    this.closed();
    try {
      this.#out.close(code, reason.slice(0, 120));
    } catch {
      // already closing
    }
  }
}
