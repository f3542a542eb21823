// The Redis Streams bus on its own, against a real Redis: delivery between nodes, no echo of
// a node's own updates, resuming after a lost connection, and the fall back to storage when
// the stream was trimmed past the last id read.
import assert from 'node:assert/strict';
import { afterAll, beforeAll, it } from 'vitest';
import { Redis } from 'ioredis';
import { RedisBus, compareIds } from '#server/cluster/redis-bus.ts';
import { startRedis, type Service } from './services.ts';
import { hasSystemPackage } from '../support/system.ts';
import { waitUntil } from '../support/wait.ts';

// Skipped, with one line from the global setup, where redis-server is missing.
const missing = !hasSystemPackage('redis');

let redis: Service;
let raw: Redis;
beforeAll(async () => {
  if (missing) return;
  redis = await startRedis();
  raw = new Redis(redis.url, { protocol: 2 });
});
afterAll(async () => {
  raw?.disconnect();
  await redis?.stop();
});

const ROOM = 'S'.repeat(43) + '.0';

function recorder() {
  const delivered: number[] = [];
  const missed: string[] = [];
  return { delivered, missed, handler: { deliver: (_room: string, u: Uint8Array) => delivered.push(u[0]!), missed: (room: string) => missed.push(room) } };
}

it('stream ids compare by time, then sequence', () => {
  assert.equal(compareIds('1-0', '0-9'), 1);
  assert.equal(compareIds('5-2', '5-10'), -1);
  assert.equal(compareIds('7-7', '7-7'), 0);
});

it.skipIf(missing)('delivers what another node publishes, after the position taken, and never a node\'s own', async () => {
  const a = recorder();
  const b = recorder();
  const busA = await RedisBus.open(redis.url, a.handler);
  const busB = await RedisBus.open(redis.url, b.handler);
  try {
    busA.publish([{ room: ROOM, update: new Uint8Array([1]) }]);
    await new Promise((r) => setTimeout(r, 50));
    const from = await busB.position(ROOM);
    busA.follow(ROOM, await busA.position(ROOM));
    busB.follow(ROOM, from);
    busA.publish([{ room: ROOM, update: new Uint8Array([2]) }, { room: ROOM, update: new Uint8Array([3]) }]);
    await waitUntil(() => b.delivered.length === 2, { what: 'node B to read two updates', intervalMs: 10 });
    assert.deepEqual(b.delivered, [2, 3], 'only what came after the position, in order');
    assert.deepEqual(a.delivered, [], 'no echo to the publishing node');
    busB.unfollow(ROOM);
    busA.publish([{ room: ROOM, update: new Uint8Array([4]) }]);
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(b.delivered, [2, 3], 'nothing after unfollow');
  } finally {
    await Promise.all([busA.close(), busB.close()]);
  }
});

it.skipIf(missing)('after a lost connection, resumes from its last id; a stream trimmed past it sends the room to storage', async () => {
  const reader = recorder();
  const bus = await RedisBus.open(redis.url, reader.handler);
  const key = `baton:room:${ROOM}`;
  try {
    await raw.del(key);
    await raw.xadd(key, '*', 'n', 'other', 'u', Buffer.from([10]));
    bus.follow(ROOM, '0-0');
    await waitUntil(() => reader.delivered.length === 1, { what: 'the first entry', intervalMs: 10 });

    // Connection lost, entries written meanwhile: read on reconnect, nothing missed.
    await raw.call('CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes');
    await raw.xadd(key, '*', 'n', 'other', 'u', Buffer.from([11]));
    await waitUntil(() => reader.delivered.includes(11), { what: 'the entry written while disconnected', intervalMs: 10 });
    assert.deepEqual(reader.missed, []);

    // Lost again, and the stream trimmed past the last id read meanwhile: reload from storage.
    await raw.call('CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes');
    for (let i = 0; i < 20; i++) await raw.xadd(key, 'MAXLEN', '5', '*', 'n', 'other', 'u', Buffer.from([20 + i]));
    await waitUntil(() => reader.missed.length > 0, { what: 'the room to be sent back to storage', intervalMs: 10 });
    assert.deepEqual(reader.missed, [ROOM]);
  } finally {
    await bus.close();
  }
});
