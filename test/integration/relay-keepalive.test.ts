// Keepalive: quiet stock clients get a no-op message (y-websocket drops a connection after
// 30 s without one); peers that stop answering pings are dropped.
import assert from 'node:assert/strict';
import { afterAll, beforeAll, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { createEnvelopeDoc } from '#shared';
import { startRelay, type Relay } from '#server/index.ts';
import { connectProvider, makeSpace, rawClient, stopProvider, wsBase } from './relay-fixtures.ts';
import { waitUntil } from '../support/wait.ts';

let relay: Relay;
beforeAll(async () => {
  relay = await startRelay({ port: 0, host: '127.0.0.1', log: () => {}, keepaliveMs: 100 });
});
afterAll(() => relay.close());

it('a quiet connection gets a no-op awareness message, and a stock client ignores it', async () => {
  const space = await makeSpace();
  const raw = await rawClient(relay.url, space.room);
  const doc = createEnvelopeDoc();
  const provider = await connectProvider(relay.url, space.room, doc);
  const states = provider.awareness.getStates().size;
  await waitUntil(() => raw.messages.filter((m) => m.length === 3 && m[0] === 1 && m[1] === 1 && m[2] === 0).length >= 2, { timeoutMs: 2000, what: 'keepalives' });
  assert.equal(raw.ws.readyState, raw.ws.OPEN);
  assert.equal(provider.wsconnected, true);
  assert.equal(provider.awareness.getStates().size, states);
  assert.equal(Y.encodeStateVector(doc).length, 1, 'the doc is untouched');
  stopProvider(provider);
  raw.close();
});

it('a peer that stops answering pings is dropped', async () => {
  const space = await makeSpace();
  const ws = new WebSocket(`${wsBase(relay.url)}/${space.room}`, { autoPong: false });
  ws.on('error', () => {});
  const closed = new Promise<number>((r) => ws.on('close', (code) => r(code)));
  await new Promise((r) => ws.once('open', r));
  const start = Date.now();
  const code = await closed;
  assert.equal(code, 1006, 'terminated without a closing handshake');
  assert.ok(Date.now() - start < 2000);
});
