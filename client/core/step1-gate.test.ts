import { test } from 'vitest';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import * as Y from 'yjs';
import WebSocket, { WebSocketServer } from 'ws';
import { appendSealed, BlobKind, createSpace, generateIdentity, initSodium, sealUpdateBlob, writeSyncStep1, type WriteKey } from '#shared';
import { holdsWithin } from '#test/support/wait.ts';
import { lowerStateVector } from './step1-gate.ts';
import { Space } from './space.ts';
import { MemoryStore } from './store.ts';

await initSodium();

const REQUESTS = 50;

test('a relay that asks for the whole room 50 times without reading gets one answer in flight, and the rest merged', async () => {
  const cap = createSpace('thread');
  const author = generateIdentity();
  const key: WriteKey = { writePub: cap.writePub, epoch: 0, readKey: cap.readKey!, writeSecret: cap.write!.secretKey };
  const text = new Y.Doc();
  text.getText('t').insert(0, 'x'.repeat(200_000));
  const inner = Y.encodeStateAsUpdate(text);
  // The hostile relay: on connect it stops reading and sends 50 sync step 1s with an empty
  // state vector (4 bytes each); once told to, it reads again and counts the answers.
  const answers: number[] = [];
  let resume = () => {};
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload: 256 * 1024 * 1024 });
  await once(wss, 'listening');
  wss.on('connection', (socket) => {
    const raw = (socket as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    raw.pause();
    resume = () => raw.resume();
    socket.on('error', () => {});
    socket.on('message', (data: Buffer) => {
      if (data[0] === 0 && data[1] === 1) answers.push(data.length); // a sync step 2
    });
    for (let i = 0; i < REQUESTS; i++) socket.send(writeSyncStep1(new Uint8Array([0])));
  });
  const space = await Space.open(cap, { store: new MemoryStore(), identity: author, connection: { WebSocket: WebSocket as unknown as typeof globalThis.WebSocket } });
  // About 4 MiB of room: twenty blobs of 200 KB, answered as a step 2 and three updates.
  appendSealed(space.envelope, Array.from({ length: 20 }, () => (pos) => sealUpdateBlob(key, BlobKind.update, author, inner, pos)));
  try {
    space.connect([`http://127.0.0.1:${(wss.address() as AddressInfo).port}`]);
    // Long enough for the client to read every request while the relay reads nothing.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    resume();
    assert.ok(await holdsWithin(() => answers.length >= 1, { timeoutMs: 10_000 }), 'the room was sent at all');
    // Then quiet: no answer for a whole second.
    let seen = -1;
    await holdsWithin(
      () => {
        const settled = answers.length === seen;
        seen = answers.length;
        return settled;
      },
      { timeoutMs: 20_000, intervalMs: 1000 },
    );
    console.log(`${REQUESTS} requests for the whole room over a socket that did not read: ${answers.length} answer(s)`);
    // The kernel's socket buffers (a few MiB on loopback) take an answer or two before the
    // socket holds unsent bytes; every request after that waits, merged into one.
    assert.ok(answers.length <= 10, `${answers.length} answers of the whole room queued`);
    assert.ok(answers.every((bytes) => bytes > 900_000), 'each answer starts with a full step 2');
  } finally {
    await space.close();
    for (const c of wss.clients) c.terminate();
    wss.close();
  }
});

test('two waiting requests merge into one for what either lacks', () => {
  const sv = (entries: [number, number][]) => Y.encodeStateVector(new Map(entries));
  const merged = Y.decodeStateVector(lowerStateVector(sv([[1, 5], [2, 3], [3, 9]]), sv([[1, 2], [2, 7]])));
  assert.deepEqual([...merged].sort(([a], [b]) => a - b), [[1, 2], [2, 3]]);
});
