// What a sync connection needs of its WebSocket, and the outbox that writes to it. A room's
// broadcast is framed once and the same bytes go to every member; the frames one socket
// gets within one event-loop turn leave in one write. A write to a loopback or LAN socket
// costs several times the framing of a small message, so fewer writes is most of the CPU
// a relay spends fanning out.

export interface SocketLike {
  send(data: Uint8Array): void;
  /**
   * Writes bytes that are already whole unmasked WebSocket frames (a run of them), after
   * everything sent before. Optional: without it every message goes through send().
   */
  sendFrames?(frames: Uint8Array): void;
  close(code: number, reason: string): void;
  /** A WebSocket ping; the socket calls SyncConnection.alive(payload) on the pong. */
  ping(payload?: Uint8Array): void;
  /** Drops the connection without a closing handshake, and what is still queued for it. */
  terminate(): void;
  /** Stops reading from the socket (how long is the connection's business: read-gate.ts). */
  pauseReading(): void;
  /** Reads from the socket again. */
  resumeReading(): void;
}

/** Messages framed and gathered; larger ones are written on their own, without a copy. */
const GATHER_BYTES = 16 * 1024;

let lastMessage: Uint8Array | null = null;
let lastFrame: Uint8Array | null = null;

/**
 * The message as one binary frame (FIN, opcode 2, unmasked as a server sends). The last
 * one is kept: a broadcast frames its message once for all members.
 */
export function binaryFrame(message: Uint8Array): Uint8Array {
  if (message === lastMessage && lastFrame) return lastFrame;
  const n = message.length;
  const head = n < 126 ? 2 : n < 65536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(head + n);
  frame[0] = 0x82;
  if (head === 2) frame[1] = n;
  else if (head === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(n, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(Math.floor(n / 2 ** 32), 2);
    frame.writeUInt32BE(n >>> 0, 6);
  }
  frame.set(message, head);
  lastMessage = message;
  lastFrame = frame;
  return frame;
}

/** Outboxes holding frames, all written at the end of this turn by one callback. */
const filled = new Set<Outbox>();
let flushScheduled = false;

function flushAll(): void {
  flushScheduled = false;
  const boxes = [...filled];
  filled.clear();
  for (const box of boxes) box.flush();
}

/**
 * One socket's outgoing messages, in order. Pings and closes go after every message sent
 * before them: a numbered ping must follow the bytes it counts (server/sync/read-tracker.ts).
 */
export class Outbox {
  #frames: Uint8Array[] = [];
  #closed = false;

  constructor(private readonly socket: SocketLike) {}

  send(message: Uint8Array): void {
    if (this.#closed) return;
    if (!this.socket.sendFrames || message.length > GATHER_BYTES) {
      this.flush();
      this.socket.send(message);
      return;
    }
    this.#frames.push(binaryFrame(message));
    if (this.#frames.length === 1) {
      filled.add(this);
      if (!flushScheduled) {
        flushScheduled = true;
        setImmediate(flushAll);
      }
    }
  }

  ping(payload?: Uint8Array): void {
    this.flush();
    this.socket.ping(payload);
  }

  close(code: number, reason: string): void {
    this.flush();
    this.#closed = true;
    this.socket.close(code, reason);
  }

  /** Drops what is not yet written: the connection is cut without a handshake. */
  terminate(): void {
    this.drop();
    this.socket.terminate();
  }

  /** The socket is gone: nothing more is written to it. */
  drop(): void {
    this.#closed = true;
    this.#frames = [];
    filled.delete(this);
  }

  /** Writes the gathered frames now (one write). */
  flush(): void {
    const frames = this.#frames;
    if (frames.length === 0) return;
    this.#frames = [];
    filled.delete(this);
    if (this.#closed) return;
    this.socket.sendFrames!(frames.length === 1 ? frames[0]! : Buffer.concat(frames));
  }
}
