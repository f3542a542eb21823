// What one sync connection sends its reader, and how far behind that reader is. An update
// cannot be held back: a reader too far behind for it is closed. Presence can: it is skipped
// for a reader that has not taken what it was sent, so a crowd of sockets that never read
// costs little more than their own buffers. Keepalive ticks find dead network paths and
// readers that stopped reading, and keep quiet stock clients connected.
import type { Counters } from '../metrics/counters.ts';
import { ReadTracker } from './read-tracker.ts';
import { Outbox, type SocketLike } from './socket.ts';
import type { UnreadBound } from './unread-bound.ts';

/** An awareness update of no states: a no-op to a stock client, but it resets y-websocket's 30 s watchdog. */
const KEEPALIVE_MESSAGE = new Uint8Array([1, 1, 0]);

/** A backlog past which presence updates are skipped for a member. */
const DROPPABLE_BACKLOG_BYTES = 64 * 1024;

/** Time a closed-for-slowness socket gets to take its close frame before it is dropped. */
const CLOSE_GRACE_MS = 1000;

/**
 * What a keepalive tick found: the peer answered nothing since the last tick (`dead`: a dead
 * network path), the reader is too far behind (`too-slow`), or all is well (`ok`).
 */
export type TickVerdict = 'dead' | 'too-slow' | 'ok';

export class Outflow {
  readonly #out: Outbox;
  /** What the reader has read of what it was sent (numbered pings). */
  readonly reads: ReadTracker;
  /** The reader's read count at the last tick. */
  #ackedAtTick = 0;
  #sentSinceTick = false;
  #aliveSinceTick = true;
  /** What all readers have unread, told of this one's until the socket is gone. */
  #relayWide: UnreadBound | null;

  constructor(
    socket: SocketLike,
    /** The most a reader may have unread before it is closed. */
    private readonly outboundBufferBytes: number,
    private readonly counters: Counters,
    relayWide: UnreadBound | null = null,
  ) {
    this.#relayWide = relayWide;
    this.#out = new Outbox(socket);
    this.reads = new ReadTracker((payload) => this.#out.ping(payload));
  }

  /**
   * Sends a message unless the reader is too far behind for it: then false, and the caller
   * closes the connection. Presence (`droppable`) is skipped instead for a reader that has
   * not taken what it was sent.
   */
  send(message: Uint8Array, droppable = false): boolean {
    const behind = this.reads.unread;
    if (droppable && behind > DROPPABLE_BACKLOG_BYTES) {
      this.counters.add('sync.presence-skipped');
      return true;
    }
    if (behind + message.length > this.outboundBufferBytes) return false;
    this.write(message);
    return true;
  }

  /** Sends a message whatever the reader's backlog (answers bound their own). */
  write(message: Uint8Array): void {
    this.#sentSinceTick = true;
    this.#out.send(message);
    this.reads.sent(message.length);
    this.#relayWide?.change(message.length);
  }

  /** Something came from the peer: it is alive. */
  heard(): void {
    this.#aliveSinceTick = true;
  }

  /** The peer answered a ping; true when a numbered one confirmed what it has read. */
  pong(payload?: Uint8Array): boolean {
    this.#aliveSinceTick = true;
    if (!payload) return false;
    const unread = this.reads.unread;
    if (!this.reads.pong(payload)) return false;
    this.#relayWide?.change(this.reads.unread - unread);
    return true;
  }

  /**
   * Called every keepalive interval. A reader that took none of the bytes queued for it
   * while it made no progress for `stallMs` is too slow; otherwise the peer is pinged, and
   * a quiet one is sent the keepalive message.
   */
  tick(now: number, lastProgress: number, stallMs: number): TickVerdict {
    if (!this.#aliveSinceTick) return 'dead';
    const stalled = this.reads.acked === this.#ackedAtTick && this.reads.unread > 0 && now - lastProgress >= stallMs;
    this.#ackedAtTick = this.reads.acked;
    if (stalled) return 'too-slow';
    this.#aliveSinceTick = false;
    this.#out.ping();
    this.reads.probe();
    const kept = this.#sentSinceTick || this.send(KEEPALIVE_MESSAGE);
    this.#sentSinceTick = false;
    return kept ? 'ok' : 'too-slow';
  }

  /** Writes what is gathered now: what was sent before a refusal goes before its close frame. */
  flush(): void {
    this.#out.flush();
  }

  /** The socket is gone: nothing more is written to it, and its unread bytes no longer count. */
  drop(): void {
    this.#out.drop();
    this.#relayWide?.change(-this.reads.unread);
    this.#relayWide = null;
  }

  close(code: number, reason: string): void {
    this.#out.close(code, reason);
  }

  /** Cuts the connection without a closing handshake. */
  terminate(): void {
    this.#out.terminate();
  }

  /** Cuts the connection if the reader does not take its close frame either. */
  terminateAfterGrace(): void {
    const drop = setTimeout(() => this.#out.terminate(), CLOSE_GRACE_MS);
    drop.unref();
  }
}
