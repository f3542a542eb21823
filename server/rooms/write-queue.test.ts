import assert from 'node:assert/strict';
import { it } from 'vitest';
import { MemoryStorage } from '../storage/memory.ts';
import type { AppendEntry } from '../storage/types.ts';
import { WriteQueue } from './write-queue.ts';

it('groups the appends of one turn into one batch and resolves waiters after it commits', async () => {
  const storage = new MemoryStorage();
  const batches: number[] = [];
  const append = storage.append.bind(storage);
  storage.append = async (batch: readonly AppendEntry[]) => {
    batches.push(batch.length);
    await append(batch);
  };
  const queue = new WriteQueue(storage, () => {});
  queue.enqueue('r', new Uint8Array([1]));
  queue.enqueue('r', new Uint8Array([2]));
  let vector = 1;
  const durable = queue.durable(() => new Uint8Array([vector]));
  queue.enqueue('r', new Uint8Array([3]));
  assert.equal((await storage.load('r')).updates.length, 0, 'nothing is written within the turn');
  vector = 2;
  assert.deepEqual([...(await durable)], [2], 'the vector is read when the batch is taken');
  assert.deepEqual(batches, [3]);
  assert.equal((await storage.load('r')).updates.length, 3);
  queue.enqueue('r', new Uint8Array([4]));
  await queue.drain();
  assert.deepEqual(batches, [3, 1]);
});

it('a failed write rejects its waiters and is logged; the queue carries on', async () => {
  const storage = new MemoryStorage();
  const logs: string[] = [];
  let fail = true;
  const append = storage.append.bind(storage);
  storage.append = async (batch: readonly AppendEntry[]) => {
    if (fail) throw new Error('disk full');
    await append(batch);
  };
  const queue = new WriteQueue(storage, (l) => logs.push(l));
  queue.enqueue('r', new Uint8Array([1]));
  await assert.rejects(queue.durable(() => new Uint8Array()), /disk full/);
  assert.match(logs[0]!, /disk full/);
  fail = false;
  queue.enqueue('r', new Uint8Array([2]));
  await queue.durable(() => new Uint8Array());
  assert.equal((await storage.load('r')).updates.length, 1);
});
