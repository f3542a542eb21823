// A WebSocket client for load generators that costs next to nothing: a TCP socket, an
// upgrade request written by hand, prebuilt client frames written many to one write(2), and
// the server's frames counted from their headers without a message object per frame. A
// saturation bench on two cores shares them with its load generator: every microsecond it
// spends per update is taken from the server it measures.
import { connect, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';

/** Client frames must be masked; a mask of zero bytes is a valid mask and leaves the payload as it is. */
const MASK_BYTES = 4;

/** One binary frame, masked with zeros, as a client sends it. */
function clientFrame(payload: Uint8Array): Uint8Array {
  const long = payload.length > 125;
  if (payload.length > 0xffff) throw new RangeError('a bench frame is under 64 KiB');
  const head = long ? 4 : 2;
  const frame = new Uint8Array(head + MASK_BYTES + payload.length);
  frame[0] = 0x82; // FIN, binary
  if (long) {
    frame[1] = 0x80 | 126;
    frame[2] = payload.length >> 8;
    frame[3] = payload.length & 0xff;
  } else frame[1] = 0x80 | payload.length;
  frame.set(payload, head + MASK_BYTES);
  return frame;
}

/** A writer's messages as one buffer of frames, and where each frame ends. */
export interface FrameRun {
  bytes: Buffer;
  ends: Uint32Array;
}

export function frameRun(messages: readonly Uint8Array[]): FrameRun {
  const frames = messages.map(clientFrame);
  const bytes = Buffer.concat(frames);
  const ends = new Uint32Array(frames.length);
  let at = 0;
  frames.forEach((f, i) => (ends[i] = at += f.length));
  return { bytes, ends };
}

/** The bytes of frames [from, to) of a run: one write sends them all. */
export function framesBetween(run: FrameRun, from: number, to: number): Buffer {
  return run.bytes.subarray(from === 0 ? 0 : run.ends[from - 1]!, run.ends[to - 1]!);
}

/**
 * Counts the server's binary frames whose payload starts with the two given bytes (for Yjs
 * sync messages: 0 then 2, an update), across chunk boundaries, and its close frames. Server
 * frames are unmasked.
 */
export class FrameCounter {
  count = 0;
  counting = false;
  /** Close frames the server sent (a WebSocket close leaves the TCP socket open until the client answers). */
  closes = 0;
  /** Header bytes of the frame being read, and how many are known. */
  readonly #head = new Uint8Array(14);
  #headAt = 0;
  /** Payload bytes left in the current frame, and how many of its first two are seen. */
  #left = 0;
  #seen = 0;
  #first = -1;
  #match = false;

  constructor(
    private readonly b0: number,
    private readonly b1: number,
  ) {}

  push(chunk: Buffer): void {
    let i = 0;
    while (i < chunk.length) {
      if (this.#left === 0 && this.#seen === 0) {
        // Reading a header: 2 bytes, then 2 or 8 of length.
        this.#head[this.#headAt++] = chunk[i++]!;
        if (this.#headAt < 2) continue;
        const len7 = this.#head[1]! & 0x7f;
        const need = 2 + (len7 === 126 ? 2 : len7 === 127 ? 8 : 0);
        if (this.#headAt < need) continue;
        let length = len7;
        if (len7 === 126) length = (this.#head[2]! << 8) | this.#head[3]!;
        else if (len7 === 127) length = Number(Buffer.from(this.#head.subarray(2, 10)).readBigUInt64BE());
        this.#match = (this.#head[0]! & 0x0f) === 2;
        if ((this.#head[0]! & 0x0f) === 8) this.closes++;
        this.#headAt = 0;
        this.#left = length;
        this.#seen = length === 0 ? 0 : 1; // in a payload
        this.#first = -1;
        continue;
      }
      // In a payload: look at its first two bytes, skip the rest at once.
      if (this.#seen === 1 && this.#first < 0) {
        this.#first = chunk[i++]!;
        this.#left--;
      } else if (this.#seen === 1) {
        if (this.#match && this.counting && this.#first === this.b0 && chunk[i] === this.b1) this.count++;
        this.#seen = 2;
        i++;
        this.#left--;
      } else {
        const skip = Math.min(this.#left, chunk.length - i);
        i += skip;
        this.#left -= skip;
      }
      if (this.#left === 0) this.#seen = 0;
    }
  }
}

/** Opens a WebSocket to ws://host:port/path over a bare socket; resolves once upgraded. */
export function openRawWebSocket(url: string, counter?: FrameCounter): Promise<Socket> {
  const { hostname, port, pathname } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port), noDelay: true });
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.off('data', onData);
      if (!/^HTTP\/1\.1 101/.test(head.subarray(0, 12).toString('latin1'))) {
        socket.destroy();
        reject(new Error(`upgrade refused: ${head.subarray(0, head.indexOf('\r\n')).toString('latin1')}`));
        return;
      }
      // Whatever follows the response is frames. A socket with no counter is still read:
      // a relay closes a member that never reads.
      const rest = head.subarray(end + 4);
      if (counter) {
        if (rest.length > 0) counter.push(rest);
        socket.on('data', (c: Buffer) => counter.push(c));
      } else socket.on('data', () => {});
      resolve(socket);
    };
    socket.on('data', onData);
    socket.once('error', reject);
    socket.once('connect', () => {
      const key = randomBytes(16).toString('base64');
      socket.write(`GET ${pathname} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
    });
  });
}
