import { afterEach, beforeEach, test, vi } from 'vitest';
import assert from 'node:assert/strict';
import { roomName, createSpace, initSodium } from '#shared';
import { MemoryStore } from './store.ts';
import { TrackedStore, persistFirstWebSocket, persistFirstFetch } from './persist-first.ts';

/** A store whose writes take a while, logging when each lands. */
class SlowStore extends MemoryStore {
  constructor(private readonly log: string[]) {
    super();
  }
  override async append(room: Parameters<MemoryStore['append']>[0], update: Uint8Array): Promise<void> {
    await new Promise((r) => setTimeout(r, 30));
    this.log.push(`stored ${update[0]}`);
    return super.append(room, update);
  }
}

/** Stands in for the browser's WebSocket: records what is sent while open. */
class FakeSocket {
  static readonly OPEN = 1;
  static log: string[] = [];
  readyState = 1;
  readonly log = FakeSocket.log;
  constructor(readonly url: string) {}
  send(data: Uint8Array): void {
    this.log.push(`sent ${data[0]}`);
  }
}

// The slow store's delays run on a fake clock: nothing here needs to wait for real time.
beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

test('a message waits for the store write its update started, and order is kept', async () => {
  await initSodium();
  const log: string[] = [];
  const store = new TrackedStore(new SlowStore(log));
  const room = roomName(createSpace('thread').spaceId, 0);
  FakeSocket.log = log;
  const Socket = persistFirstWebSocket(FakeSocket as unknown as typeof WebSocket, store);
  const ws = new Socket(`ws://127.0.0.1:1/v1/sync/${room}?receipts=1`);
  // Another room's slow write does not hold this room's messages.
  void store.append(roomName(createSpace('thread').spaceId, 0), new Uint8Array([9]));
  // The core's order within one update: the store write is queued (a microtask later), the send is immediate.
  queueMicrotask(() => void store.append(room, new Uint8Array([1])));
  ws.send(new Uint8Array([1]));
  ws.send(new Uint8Array([2]));
  await vi.advanceTimersByTimeAsync(100);
  assert.deepEqual(log.filter((l) => l !== 'stored 9'), ['stored 1', 'sent 1', 'sent 2']);
});

test('a socket closed while waiting drops the message instead of throwing', async () => {
  const log: string[] = [];
  const store = new TrackedStore(new SlowStore(log));
  FakeSocket.log = log;
  const Socket = persistFirstWebSocket(FakeSocket as unknown as typeof WebSocket, store);
  const room = roomName(createSpace('thread').spaceId, 0);
  const ws = new Socket(`ws://127.0.0.1:1/v1/sync/${room}`);
  void store.append(room, new Uint8Array([7]));
  ws.send(new Uint8Array([7]));
  (ws as unknown as { readyState: number }).readyState = 3;
  await vi.advanceTimersByTimeAsync(80);
  assert.deepEqual(log, ['stored 7']);
});

test('HTTP uploads wait for the store, reads do not', async () => {
  const log: string[] = [];
  const store = new TrackedStore(new SlowStore(log));
  const fetchLog = (async (input: RequestInfo | URL, init?: RequestInit) => {
    log.push(`${init?.method ?? 'GET'} ${String(input)}`);
    return new Response('{}');
  }) as typeof fetch;
  const f = persistFirstFetch(fetchLog, store);
  const room = roomName(createSpace('thread').spaceId, 0);
  void store.append(room, new Uint8Array([3]));
  const get = f(`http://r/v1/rooms/${room}`);
  const post = f(`http://r/v1/rooms/${room}`, { method: 'POST', body: new Uint8Array([3]) });
  await vi.advanceTimersByTimeAsync(30);
  await Promise.all([get, post]);
  assert.deepEqual(log, [`GET http://r/v1/rooms/${room}`, 'stored 3', `POST http://r/v1/rooms/${room}`]);
});
