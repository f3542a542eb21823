// One WebSocket client of one room, speaking the y-websocket protocol. Every update goes
// through the room's validator; a bad message closes only this connection.
import { CloseCode, writeNewerEpoch, writeReceipt, type RoomAddress } from '../../shared/index.ts';
import type { RelayConfig } from '../config.ts';
import type { RoomRegistry } from '../rooms/registry.ts';
import type { Acceptance, Room, RoomMember } from '../rooms/room.ts';
import { readMessage, writeSyncStep1, writeSyncStep2 } from '../../shared/wire/index.ts';
import { TokenBucket } from './rate-limit.ts';

export interface SocketLike {
  send(data: Uint8Array): void;
  close(code: number, reason: string): void;
  /** A WebSocket ping; the socket calls SyncConnection.alive() on the pong. */
  ping(): void;
  /** Drops the connection without a closing handshake. */
  terminate(): void;
}

/** Every open connection of the relay, for the connection limit and the keepalive. */
export type ConnectionSet = Set<SyncConnection>;

/**
 * An awareness update of no states: a stock client applies it as a no-op and answers
 * nothing, but it resets y-websocket's 30-second "no message received" watchdog.
 */
const KEEPALIVE_MESSAGE = new Uint8Array([1, 1, 0]);

/** Sync envelope bytes around an update: message type, sync step and a length prefix. */
const FRAMING_BYTES = 16;

export class SyncConnection implements RoomMember {
  #room: Room | null = null;
  #pending: Uint8Array[] = [];
  #closed = false;
  readonly #bucket: TokenBucket;
  #accepted = 0;
  #receiptFor = -1;
  #sentSinceTick = false;
  #aliveSinceTick = true;

  constructor(
    private readonly socket: SocketLike,
    private readonly address: RoomAddress,
    private readonly registry: RoomRegistry,
    private readonly config: RelayConfig,
    private readonly connections: ConnectionSet,
    /** Baton messages this client asked for: receipts (`?receipts=1`), newer epochs (`?epochs=1`). */
    private readonly wants: { receipts: boolean; epochs: boolean },
    readonly peer = false,
  ) {
    this.#bucket = new TokenBucket(config.limits.messagesPerSecond, config.limits.messageBurst);
  }

  open(): void {
    if (this.connections.size >= this.config.limits.maxConnections) {
      this.#close(1013, 'relay is full, try again later');
      return;
    }
    this.connections.add(this);
    this.registry.acquire(this.address).then(
      (room) => this.#attach(room),
      (err: Error) => {
        this.config.log(`sync: cannot open room ${short(this.address.room)}: ${err.message}`);
        this.#close(1011, 'room unavailable');
      },
    );
  }

  message(data: unknown): void {
    if (this.#closed) return;
    this.#aliveSinceTick = true;
    if (!(data instanceof ArrayBuffer)) {
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
    const bytes = new Uint8Array(data);
    if (this.#room) this.#handleSafely(this.#room, bytes);
    else this.#pending.push(bytes);
  }

  /** The socket is gone (either side closed it). */
  closed(): void {
    this.#closed = true;
    this.#pending = [];
    this.connections.delete(this);
    const room = this.#room;
    if (room) {
      this.#room = null;
      room.leave(this);
      this.registry.release(room);
    }
  }

  send(message: Uint8Array): void {
    if (this.#closed) return;
    this.#sentSinceTick = true;
    this.socket.send(message);
  }

  newerEpoch(epoch: number): void {
    if (this.wants.epochs && epoch > this.address.epoch) this.send(writeNewerEpoch(epoch));
  }

  /** The peer answered a ping. */
  alive(): void {
    this.#aliveSinceTick = true;
  }

  /**
   * Called every keepalive interval: drops a peer that answered nothing since the last
   * tick (a dead network path), pings the others, and keeps quiet stock clients connected.
   */
  tick(): void {
    if (this.#closed) return;
    if (!this.#aliveSinceTick) {
      this.closed();
      this.socket.terminate();
      return;
    }
    this.#aliveSinceTick = false;
    this.socket.ping();
    if (!this.#sentSinceTick) this.send(KEEPALIVE_MESSAGE);
    this.#sentSinceTick = false;
  }

  #attach(room: Room): void {
    if (this.#closed) {
      this.registry.release(room);
      return;
    }
    if (room.members.size >= this.config.limits.maxConnectionsPerRoom) {
      this.registry.release(room);
      this.#close(1013, 'room is full of connections, try again later');
      return;
    }
    this.#room = room;
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
      this.config.log(`sync: ${short(room.name)} internal error: ${(err as Error).message}`);
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
        this.send(writeSyncStep2(room.diff(message.stateVector)));
        return;
      case 'sync-update':
        this.#onUpdate(room, room.receive(message.update, this));
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

  #onUpdate(room: Room, result: Acceptance): void {
    if (result.ok) {
      this.#accepted++;
      if (this.wants.receipts) this.#requestReceipt(room);
      return;
    }
    if (result.code === 'gap') {
      // Not an offence: ask for what is missing so the sender fills the gap at once.
      this.send(writeSyncStep1(room.stateVector()));
      return;
    }
    const code = result.code === 'bad-update' ? CloseCode.badMessage : CloseCode.tooLarge;
    this.#close(code, `${result.code}: ${result.reason}`, result.detail);
  }

  /** One receipt per commit, covering every update accepted before it was asked for. */
  #requestReceipt(room: Room): void {
    if (this.#receiptFor >= 0) return;
    this.#receiptFor = this.#accepted;
    this.registry.durable(room).then(
      (sv) => {
        const coveredAll = this.#receiptFor === this.#accepted;
        this.#receiptFor = -1;
        this.send(writeReceipt(sv));
        if (!coveredAll && !this.#closed) this.#requestReceipt(room);
      },
      () => {
        this.#receiptFor = -1;
      },
    );
  }

  /** Closes this connection only; refusals (4xxx) are logged, with the room cut short. */
  #close(code: number, reason: string, detail?: string): void {
    if (this.#closed) return;
    if (code >= 4000) this.config.log(`sync: ${short(this.address.room)} closed ${code} ${reason}${detail ? ` (${detail})` : ''}`);
    this.closed();
    try {
      this.socket.close(code, reason.slice(0, 120));
    } catch {
      // already closing
    }
  }
}

/** Room names in logs are cut short: enough to tell rooms apart, not to list spaces. */
export function short(room: string): string {
  return `${room.slice(0, 8)}…`;
}
