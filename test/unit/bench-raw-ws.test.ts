// The saturation bench's bare WebSocket client (test/bench/lib/raw-ws.ts) against a real `ws`
// server: frames it writes many to one write arrive as the messages they were, and it counts
// exactly the server's binary messages that start with the given two bytes, whatever their
// length and however the socket splits them.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { FrameCounter, frameRun, framesBetween, openRawWebSocket } from '../bench/lib/raw-ws.ts';

let server: WebSocketServer;
let port = 0;
const received: Buffer[] = [];
let peer: WebSocket | null = null;

beforeAll(async () => {
  server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  await new Promise((resolve) => server.once('listening', resolve));
  port = (server.address() as AddressInfo).port;
  server.on('connection', (ws) => {
    peer = ws;
    ws.on('message', (data: Buffer) => received.push(data));
  });
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const message = (first: number, second: number, length: number) => {
  const m = new Uint8Array(length).fill(7);
  m[0] = first;
  m[1] = second;
  return m;
};

test('frames written many to one write arrive whole, in order; only matching binary messages are counted', async () => {
  const counter = new FrameCounter(0, 2);
  counter.counting = true;
  const socket = await openRawWebSocket(`ws://127.0.0.1:${port}/room`, counter);
  try {
    await expect.poll(() => peer).not.toBeNull();
    // Sizes on each side of the 7-bit and 16-bit length forms.
    const sent = [message(0, 2, 2), message(0, 2, 125), message(0, 2, 126), message(0, 1, 500), message(0, 2, 65_535), message(1, 2, 40)];
    const run = frameRun(sent);
    socket.write(framesBetween(run, 0, 3));
    socket.write(framesBetween(run, 3, sent.length));
    await expect.poll(() => received.length).toBe(sent.length);
    received.forEach((r, i) => expect(Buffer.compare(r, Buffer.from(sent[i]!))).toBe(0));

    // From the server: 4 matching binary messages (one of them over 64 KiB), others that
    // do not match, a text message that would, and a one-byte message.
    const out = [message(0, 2, 3), message(0, 0, 900), message(0, 2, 70_000), message(2, 2, 10), message(0, 2, 126), new Uint8Array([0]), message(0, 2, 60)];
    for (const m of out) peer!.send(m);
    peer!.send('\u0000\u0002text');
    await expect.poll(() => counter.count).toBe(4);
    // Nothing more is counted when counting stops.
    counter.counting = false;
    peer!.send(message(0, 2, 5));
    peer!.send(message(0, 2, 6));
    await new Promise((r) => setTimeout(r, 100));
    expect(counter.count).toBe(4);
  } finally {
    socket.destroy();
  }
});

test('a counter fed one byte at a time counts as one fed whole chunks', () => {
  // Unmasked server frames by hand: 7-bit, 16-bit and 64-bit lengths.
  const frame = (payload: Uint8Array) => {
    const head = payload.length < 126 ? [0x82, payload.length] : payload.length < 65_536 ? [0x82, 126, payload.length >> 8, payload.length & 0xff] : [0x82, 127, 0, 0, 0, 0, (payload.length >>> 24) & 0xff, (payload.length >> 16) & 0xff, (payload.length >> 8) & 0xff, payload.length & 0xff];
    return Buffer.concat([Buffer.from(head), payload]);
  };
  const stream = Buffer.concat([frame(message(0, 2, 2)), frame(message(0, 1, 200)), frame(message(0, 2, 70_000)), frame(new Uint8Array(0)), frame(message(0, 2, 1000))]);
  const whole = new FrameCounter(0, 2);
  const bytewise = new FrameCounter(0, 2);
  whole.counting = bytewise.counting = true;
  whole.push(stream);
  for (let i = 0; i < stream.length; i++) bytewise.push(stream.subarray(i, i + 1));
  expect(whole.count).toBe(3);
  expect(bytewise.count).toBe(3);
});
