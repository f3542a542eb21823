// One WebSocket client of one room, speaking the y-websocket protocol. Every update goes
// through the room's validator; a bad message closes only this connection. What the relay
// sends is bounded per connection: answers to sync step 1 go out one at a time, in pieces
// as the socket drains, and a reader that falls further behind than its budget is closed.
import { CloseCode, PROTOCOL_VERSION, writeNewerEpoch, writeReceipt, type RoomAddress } from '#shared';
import type { RelayConfig } from '../config.ts';
import type { Counters } from '../metrics/counters.ts';
import type { RoomRegistry } from '../rooms/registry.ts';
import type { Acceptance, Room, RoomMember } from '../rooms/room.ts';
import { RoomMemoryFull } from '../rooms/room-memory.ts';
import type { AnswerPool } from './answers.ts';
import { readMessage, writeSyncStep1 } from '#shared/wire/index.ts';
import { AnswerSender } from './answer-sender.ts';
import { TokenBucket } from './rate-limit.ts';
import { ReadTracker } from './read-tracker.ts';
import { Receipts } from './receipts.ts';
import { admit } from './slots.ts';
import { Outbox, type SocketLike } from './socket.ts';
import type { SourceTally } from './sources.ts';
import { VerifyBudget } from './verify-budget.ts';
import { say, str } from '../l10n.ts';

/** Every open connection of the relay, for the connection limit and the keepalive. */
export type ConnectionSet = Set<SyncConnection>;

/** What all connections of a relay share. */
export interface SyncShared {
  connections: ConnectionSet;
  answers: AnswerPool;
  counters: Counters;
  sources: SourceTally;
}

/** An awareness update of no states: a no-op to a stock client, but it resets y-websocket's 30 s watchdog. */
const KEEPALIVE_MESSAGE = new Uint8Array([1, 1, 0]);

/** Sync envelope bytes around an update: message type, sync step and a length prefix. */
const FRAMING_BYTES = 16;

/** A backlog past which presence updates are skipped for a member. */
const DROPPABLE_BACKLOG_BYTES = 64 * 1024;

/** Time a closed-for-slowness socket gets to take its close frame before it is dropped. */
const CLOSE_GRACE_MS = 1000;

export class SyncConnection implements RoomMember {
  #room: Room | null = null;
  #pending: Uint8Array[] = [];
  #closed = false;
  readonly #out: Outbox;
  readonly #verifying: VerifyBudget;
  readonly #answers: AnswerSender;
  readonly #bucket: TokenBucket;
  readonly #inBytes: TokenBucket;
  #receipts: Receipts | null = null;
  #sentSinceTick = false;
  #aliveSinceTick = true;
  /** What the reader has read of what it was sent (numbered pings), and its count at the last tick. */
  readonly #reads: ReadTracker;
  #ackedAtTick = 0;
  /** Last time this connection moved data: bytes read by it, or an update accepted from it. */
  lastProgress = performance.now();

  constructor(
    private readonly socket: SocketLike,
    private readonly address: RoomAddress,
    private readonly registry: RoomRegistry,
    private readonly config: RelayConfig,
    private readonly shared: SyncShared,
    /** Baton messages this client asked for: receipts (`?receipts=1`), newer epochs (`?epochs=1`). */
    private readonly wants: { receipts: boolean; epochs: boolean },
    readonly peer = false,
    /** The source address, only when the relay counts connections per source. */
    private readonly source: string | null = null,
  ) {
    const limits = config.limits;
    this.#bucket = new TokenBucket(limits.messagesPerSecond, limits.messageBurst);
    this.#inBytes = new TokenBucket(limits.inboundBytesPerSecond, limits.inboundByteBurst);
    this.#out = new Outbox(socket);
    this.#reads = new ReadTracker((payload) => this.#out.ping(payload));
    this.#verifying = new VerifyBudget(socket, registry.backlog, () => shared.counters.add('sync.verify-paused'));
    const answerBytes = new TokenBucket(limits.answerBytesPerSecond, limits.answerByteBurst);
    const { answers, counters } = shared;
    const write = (message: Uint8Array) => this.#write(message);
    this.#answers = new AnswerSender({ answers, counters, reads: this.#reads, bytes: answerBytes, outboundBufferBytes: limits.outboundBufferBytes, write });
  }

  open(): void {
    if (this.shared.connections.size >= this.config.limits.maxConnections) {
      this.#close(1013, 'relay is full, try again later');
      return;
    }
    this.shared.connections.add(this);
    this.registry.acquire(this.address).then(
      (room) => this.#attach(room),
      (err: Error) => {
        if (err instanceof RoomMemoryFull) return this.#close(1013, 'relay is busy, try again later'); // counted, not logged
        const [room, reason] = [short(this.address.room), err.message];
        this.config.log(`sync: ${say(str`cannot open room ${room}: ${reason}`, { id: 'relay.log.roomUnopenable' })}`);
        this.#close(1011, 'room unavailable');
      },
    );
  }

  /** A message from the socket: its bytes, or null for a text message. */
  message(data: Uint8Array | null): void {
    if (this.#closed) return;
    this.#aliveSinceTick = true;
    if (!(data instanceof Uint8Array)) {
      this.#close(CloseCode.badMessage, 'binary messages only');
      return;
    }
    if (data.byteLength > this.config.limits.maxUpdateBytes + FRAMING_BYTES) {
      this.#close(CloseCode.tooLarge, `message over ${this.config.limits.maxUpdateBytes} bytes`);
      return;
    }
    if (!this.#bucket.take()) {
      this.#close(CloseCode.rateLimited, 'too many messages');
      return;
    }
    // Bytes over the rate are not an offence: the socket is read more slowly until they are paid.
    const wait = this.#inBytes.charge(data.byteLength);
    if (wait > 0) {
      this.shared.counters.add('sync.inbound-paused');
      this.socket.pauseReading(wait);
    }
    const bytes = data;
    if (this.#room) this.#handleSafely(this.#room, bytes);
    else this.#pending.push(bytes);
  }

  /** The socket is gone (either side closed it). */
  closed(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#pending = [];
    this.shared.connections.delete(this);
    this.#verifying.close();
    this.#out.drop();
    this.#answers.stop();
    const room = this.#room;
    if (room) {
      this.#room = null;
      if (this.source !== null) this.shared.sources.remove(room.name, this.source);
      room.leave(this);
      this.registry.release(room);
    }
  }

  /**
   * Sends a message the relay cannot hold back (an update): a reader too far behind is
   * closed. Presence (`droppable`) is skipped for a reader that has not taken what it was
   * sent, so a crowd of sockets that never read costs little more than their own buffers.
   */
  send(message: Uint8Array, droppable = false): void {
    if (this.#closed) return;
    const behind = this.#reads.unread;
    if (droppable && behind > DROPPABLE_BACKLOG_BYTES) {
      this.shared.counters.add('sync.presence-skipped');
      return;
    }
    if (behind + message.length > this.config.limits.outboundBufferBytes) {
      this.#tooSlow();
      return;
    }
    this.#write(message);
  }

  newerEpoch(epoch: number): void {
    if (this.wants.epochs && epoch > this.address.epoch) this.send(writeNewerEpoch(epoch));
  }

  /** The peer answered a ping; a numbered one confirms what it has read. */
  alive(payload?: Uint8Array): void {
    this.#aliveSinceTick = true;
    if (!payload || !this.#reads.pong(payload)) return;
    this.lastProgress = performance.now();
    if (this.#answers.busy) this.#answers.pump();
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
    if (!this.#aliveSinceTick) {
      this.shared.counters.add('sync.no-pong');
      this.closed();
      this.#out.terminate();
      return;
    }
    const stalled = this.#reads.acked === this.#ackedAtTick && this.#reads.unread > 0 && now - this.lastProgress >= this.config.stallMs;
    this.#ackedAtTick = this.#reads.acked;
    if (stalled) {
      this.#tooSlow();
      return;
    }
    this.#aliveSinceTick = false;
    this.#out.ping();
    this.#reads.probe();
    if (!this.#sentSinceTick) this.send(KEEPALIVE_MESSAGE);
    this.#sentSinceTick = false;
  }

  #attach(room: Room): void {
    if (this.#closed) {
      this.registry.release(room);
      return;
    }
    const fromSource = this.source === null ? null : this.shared.sources.count(room.name, this.source);
    const refused = admit(room, fromSource, { perSource: this.config.perSourceConnections, perRoom: this.config.limits.maxConnectionsPerRoom, graceMs: this.config.slotGraceMs });
    if (refused) {
      this.registry.release(room);
      this.#close(1013, refused);
      return;
    }
    this.#room = room;
    if (this.wants.receipts) {
      this.#receipts = new Receipts(() => this.registry.durable(room), (sv) => this.send(writeReceipt(sv)), () => !this.#closed);
    }
    if (this.source !== null) this.shared.sources.add(room.name, this.source);
    room.join(this);
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
      case 'sync-update': {
        // Verified in the relay's worker threads; the room applies its updates in arrival order.
        const bytes = message.update.length;
        if (!this.#verifying.start(bytes)) {
          this.#close(1013, 'too many updates waiting for verification');
          return;
        }
        void room.receiveVerified(message.update, this).then((result) => {
          this.#verifying.done(bytes);
          if (!this.#closed) this.#onUpdate(room, result);
        });
        return;
      }
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

  #write(message: Uint8Array): void {
    this.#sentSinceTick = true;
    this.#out.send(message);
    this.#reads.sent(message.length);
  }

  #onUpdate(room: Room, result: Acceptance): void {
    if (result.ok) {
      if (result.added > 0) this.lastProgress = performance.now();
      this.#receipts?.accepted();
      return;
    }
    if (result.code === 'gap') {
      // Not an offence: ask for what is missing so the sender fills the gap at once.
      this.send(writeSyncStep1(room.stateVector()));
      return;
    }
    if (result.code === 'busy') {
      this.#close(1013, 'try again later');
      return;
    }
    const code = result.code === 'bad-update' ? CloseCode.badMessage : CloseCode.tooLarge;
    // A protocol-1 client gets one plain reason (close codes 4400-4499 end a stock client's retries).
    const why = result.blobReason === 'retired-version' ? `protocol 1 is retired: this relay speaks protocol ${PROTOCOL_VERSION}` : `${result.code}: ${result.reason}`;
    this.#close(code, why);
  }

  /** A reader that stopped taking what it is sent: closed, and dropped if it does not take the close either. */
  #tooSlow(): void {
    this.shared.counters.add('sync.too-slow');
    this.#close(1013, 'too far behind: reconnect and sync again');
    const drop = setTimeout(() => this.#out.terminate(), CLOSE_GRACE_MS);
    drop.unref();
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

/** Room names in logs are cut short: enough to tell rooms apart, not to list spaces. */
export function short(room: string): string {
  return `${room.slice(0, 8)}…`;
}
