import { describe, expect, it } from 'vitest';
import type { EventEmitter } from 'node:events';
import * as ws from 'ws';
import { Outbox, binaryFrame, type SocketLike } from './socket.ts';

/** ws's own frame parser (exported at run time, not in its types). */
const { Receiver } = ws as unknown as { Receiver: new (options: { isServer: boolean }) => EventEmitter & { write(chunk: Buffer): void } };

/** A socket that records what reaches it, in order; frames are read back with ws's own parser. */
function recorder(withFrames = true) {
  const log: string[] = [];
  const messages: Uint8Array[] = [];
  const receiver = new Receiver({ isServer: false });
  receiver.on('message', (data: Buffer) => messages.push(new Uint8Array(data)));
  const socket: SocketLike = {
    send: (data) => {
      log.push(`send ${data.length}`);
      messages.push(data);
    },
    close: (code) => log.push(`close ${code}`),
    ping: () => log.push('ping'),
    terminate: () => log.push('terminate'),
    pauseReading: () => {},
    resumeReading: () => {},
  };
  if (withFrames) {
    socket.sendFrames = (frames) => {
      log.push(`frames ${frames.length}`);
      receiver.write(Buffer.from(frames));
    };
  }
  return { socket, log, messages };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));
const bytes = (n: number, fill: number) => new Uint8Array(n).fill(fill);

describe('binaryFrame', () => {
  it('frames every length class so that a WebSocket reader gets the message back', () => {
    for (const n of [0, 1, 125, 126, 65535, 65536, 70000]) {
      const { socket, messages } = recorder();
      socket.sendFrames!(binaryFrame(bytes(n, n % 251)));
      expect(messages).toHaveLength(1);
      expect(messages[0]).toEqual(bytes(n, n % 251));
    }
  });

  it('frames a broadcast once for every member', () => {
    const message = bytes(40, 1);
    expect(binaryFrame(message)).toBe(binaryFrame(message));
  });
});

describe('Outbox', () => {
  it('writes the messages of one turn in one write, in order', async () => {
    const { socket, log, messages } = recorder();
    const out = new Outbox(socket);
    out.send(bytes(10, 1));
    out.send(bytes(20, 2));
    out.send(bytes(30, 3));
    expect(log).toEqual([]);
    await turn();
    expect(log).toEqual([`frames ${3 * 2 + 60}`]);
    expect(messages).toEqual([bytes(10, 1), bytes(20, 2), bytes(30, 3)]);
  });

  it('sends a ping or a close only after every message before it', () => {
    const { socket, log } = recorder();
    const out = new Outbox(socket);
    out.send(bytes(10, 1));
    out.ping();
    out.send(bytes(10, 2));
    out.close(1013, 'bye');
    out.send(bytes(10, 3));
    expect(log).toEqual(['frames 12', 'ping', 'frames 12', 'close 1013']);
  });

  it('writes a large message on its own, after what was gathered before it', () => {
    const { socket, log, messages } = recorder();
    const out = new Outbox(socket);
    out.send(bytes(10, 1));
    out.send(bytes(100_000, 2));
    expect(log).toEqual(['frames 12', 'send 100000']);
    expect(messages.map((m) => m.length)).toEqual([10, 100_000]);
  });

  it('writes nothing gathered once the socket is dropped', async () => {
    const { socket, log } = recorder();
    const out = new Outbox(socket);
    out.send(bytes(10, 1));
    out.drop();
    await turn();
    expect(log).toEqual([]);
  });

  it('sends each message at once to a socket that takes no frames', () => {
    const { socket, log } = recorder(false);
    const out = new Outbox(socket);
    out.send(bytes(10, 1));
    out.send(bytes(20, 2));
    expect(log).toEqual(['send 10', 'send 20']);
  });
});
