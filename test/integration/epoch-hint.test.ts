// A writer compacts a thread while others follow it live: the relay tells the clients still
// in the older epoch (message 101, for connections that asked with ?epochs=1), so they move
// to the new epoch at once instead of at their periodic epoch check a minute later.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { MessageType, generateIdentity, initSodium, roomName } from '#shared';
import { BatonClient, type ClientOptions } from '#client-core/client.ts';
import { MemoryStore } from '#client-core/store.ts';
import { createBoard, createThread, post, posts } from '#client-core/boards.ts';
import { startRelay, type Relay } from '#server/index.ts';
import { startCensorProxy } from '../scenario/censor-proxy.ts';
import { NodeWS, until } from './client-fixtures.ts';

await initSodium();

/** No automatic compaction and no growth checks: only the relay's message can move a reader. */
function client(name: string, o: Partial<ClientOptions> = {}): BatonClient {
  return new BatonClient({
    store: new MemoryStore(),
    identity: generateIdentity(),
    name,
    connection: { WebSocket: NodeWS, maxBackoffMs: 200 },
    compactAfterBlobs: 10_000,
    compactJitterMs: 0,
    batchMs: 10,
    ...o,
  });
}

/** A raw connection to a room that records the type and first value of every message. */
async function listen(relay: Relay, room: string, query: string): Promise<{ messages: number[][]; ws: WebSocket }> {
  const ws = new WebSocket(`${relay.url.replace(/^http/, 'ws')}/v1/sync/${room}?${query}`);
  const messages: number[][] = [];
  ws.on('message', (data: Buffer) => messages.push([...data.subarray(0, 2)]));
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  return { messages, ws };
}

const hints = (messages: number[][]) => messages.filter((m) => m[0] === MessageType.newerEpoch).map((m) => m[1]);

test('readers following a thread live move to the epoch a writer starts, at once', async () => {
  const relay = await startRelay({ host: '127.0.0.1', port: 0, log: () => {} });
  const writer = client('w');
  const reader = client('r');
  const clients = [writer, reader];
  const sockets: WebSocket[] = [];
  try {
    const { board } = await createBoard(writer, { title: 'B', relays: [relay.url] });
    const { thread, caps } = await createThread(writer, board, { title: 'T', body: 'before' });
    assert.ok(await until(() => thread.outbox().length === 0));
    const live = await reader.open(caps.read);
    assert.ok(await until(() => posts(live).length === 1 && live.statuses()[0]?.state === 'synced'));
    const room0 = roomName(thread.spaceId, 0);
    const asked = await listen(relay, room0, 'receipts=1&epochs=1');
    const stock = await listen(relay, room0, 'receipts=1');
    sockets.push(asked.ws, stock.ws);

    assert.equal(await thread.compact(), 1);
    post(writer, thread, { body: 'after' });
    const started = Date.now();
    assert.ok(await until(() => live.epoch === 1 && posts(live).some((p) => p.body === 'after'), 5000), `reader still in epoch ${live.epoch}`);
    console.log(`# a live reader moved to the new epoch and showed the next post ${Date.now() - started} ms after it was written`);
    assert.ok(await until(() => hints(asked.messages).length > 0));
    assert.deepEqual(hints(asked.messages), [1], 'one hint, naming epoch 1');
    assert.deepEqual(hints(stock.messages), [], 'a connection that did not ask hears nothing new');

    // A device whose epoch query goes unanswered (that path blocked) syncs epoch 0, and is told
    // of epoch 1 on joining it.
    const blind: typeof fetch = async (input, init) => {
      if (String(input).includes('/v1/spaces/')) throw new TypeError('blocked');
      return fetch(input, init);
    };
    const late = await listen(relay, room0, 'epochs=1');
    sockets.push(late.ws);
    assert.ok(await until(() => hints(late.messages).length > 0), 'a connection to an older epoch is told on joining');
    assert.deepEqual(hints(late.messages), [1]);
    const returning = client('returning', { store: new MemoryStore(), connection: { WebSocket: NodeWS, maxBackoffMs: 200, fetch: blind } });
    clients.push(returning);
    const back = await returning.open(caps.read);
    assert.ok(await until(() => back.epoch === 1 && posts(back).length === 2, 6000), `epoch ${back.epoch}, ${posts(back).length} posts`);
  } finally {
    for (const s of sockets) s.close();
    for (const c of clients) await c.close();
    await relay.close();
  }
});

/** A WebSocket whose messages for epoch 1 rooms arrive late: a slow fetch of that epoch. */
class SlowEpochOne extends WebSocket {
  constructor(url: string, protocols?: string | string[]) {
    super(url, protocols);
    if (!/\.1(\?|$)/.test(url)) return;
    const add = this.addEventListener.bind(this) as (type: string, listener: (event: unknown) => void) => void;
    (this as { addEventListener: unknown }).addEventListener = (type: string, listener: (event: unknown) => void) =>
      add(type, type === 'message' ? (event) => void setTimeout(() => listener(event), 1000) : listener);
  }
}

test('two compactions in a row: a live reader ends in the newest epoch, with every post once', async () => {
  const relay = await startRelay({ host: '127.0.0.1', port: 0, log: () => {} });
  const writer = client('w');
  const reader = client('r', { connection: { WebSocket: SlowEpochOne as unknown as typeof globalThis.WebSocket, maxBackoffMs: 200 } });
  try {
    const { board } = await createBoard(writer, { title: 'B', relays: [relay.url] });
    const { thread, caps } = await createThread(writer, board, { title: 'T', body: 'one' });
    const live = await reader.open(caps.read);
    assert.ok(await until(() => posts(live).length === 1 && live.statuses()[0]?.state === 'synced'));
    // The second epoch is named while the reader is still fetching the first.
    assert.equal(await thread.compact(), 1);
    post(writer, thread, { body: 'two' });
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(live.epoch, 0, 'the reader is still fetching epoch 1');
    assert.equal(await thread.compact(), 2);
    post(writer, thread, { body: 'three' });
    assert.ok(await until(() => live.epoch === 2 && posts(live).length === 3, 5000), `reader in epoch ${live.epoch} with ${posts(live).length} posts`);
    assert.deepEqual(posts(live).map((p) => p.body).sort(), ['one', 'three', 'two']);
  } finally {
    await reader.close();
    await writer.close();
    await relay.close();
  }
});

test('where WebSockets are blocked, the HTTP answer names the newer epoch, and a polling reader follows', async () => {
  const relay = await startRelay({ host: '127.0.0.1', port: 0, log: () => {} });
  const proxy = await startCensorProxy({ host: '127.0.0.1', port: relay.port });
  proxy.setMode({ kind: 'block-websocket' });
  // The epoch list is unreachable too: only the header of the polled room can tell.
  const blind: typeof fetch = async (input, init) => {
    if (String(input).includes('/v1/spaces/')) throw new TypeError('blocked');
    return fetch(input, init);
  };
  const writer = client('w');
  const reader = client('r', { connection: { WebSocket: NodeWS, maxBackoffMs: 100, pollMs: 150, fetch: blind } });
  try {
    const { board } = await createBoard(writer, { title: 'B', relays: [relay.url] });
    const { thread, caps } = await createThread(writer, board, { title: 'T', body: 'before' });
    assert.ok(await until(() => thread.outbox().length === 0));
    const behind = await reader.open(caps.read.replace(/\?relays=.*/, `?relays=${encodeURIComponent(proxy.url)}`));
    assert.ok(await until(() => posts(behind).length === 1 && behind.statuses()[0]?.transport === 'http'), 'the reader polls over HTTP');

    const res = await fetch(`${relay.url}/v1/rooms/${roomName(thread.spaceId, 0)}`);
    assert.equal(res.headers.get('baton-newer-epoch'), null, 'no newer epoch yet');
    assert.equal(await thread.compact(), 1);
    post(writer, thread, { body: 'after' });
    assert.ok(await until(() => thread.outbox().length === 0), 'the snapshot reached the relay');
    const named = await fetch(`${relay.url}/v1/rooms/${roomName(thread.spaceId, 0)}`);
    assert.equal(named.headers.get('baton-newer-epoch'), '1');
    assert.match(named.headers.get('access-control-expose-headers') ?? '', /baton-newer-epoch/i, 'a page from another origin may read it');
    assert.ok(await until(() => behind.epoch === 1 && posts(behind).some((p) => p.body === 'after'), 8000), `reader in epoch ${behind.epoch}`);
  } finally {
    await reader.close();
    await writer.close();
    await proxy.close();
    await relay.close();
  }
});
