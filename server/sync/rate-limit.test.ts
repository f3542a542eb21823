import assert from 'node:assert/strict';
import { it } from 'vitest';
import { BucketMap, TokenBucket } from './rate-limit.ts';

it('a token bucket allows a burst, then the rate', () => {
  let t = 0;
  const bucket = new TokenBucket(10, 3, () => t);
  assert.deepEqual([bucket.take(), bucket.take(), bucket.take(), bucket.take()], [true, true, true, false]);
  t = 100; // 0.1 s later: one token back
  assert.equal(bucket.take(), true);
  assert.equal(bucket.take(), false);
  t = 10_000; // refills only up to the burst
  assert.deepEqual([bucket.take(), bucket.take(), bucket.take(), bucket.take()], [true, true, true, false]);
});

it('bytes are charged into debt, and the debt is the wait', () => {
  let t = 0;
  const bucket = new TokenBucket(1000, 2000, () => t);
  assert.equal(bucket.charge(1500), 0);
  assert.equal(bucket.charge(1500), 1000, 'a second of debt at 1000 a second');
  t = 1000;
  assert.equal(bucket.charge(0), 0);
  bucket.refund(5000);
  assert.equal(bucket.full, true, 'a refund stops at the burst');
});

it('a bucket in use is not reset by creating many others', () => {
  let t = 0;
  const map = new BucketMap(1, 5, 100, () => t);
  for (let i = 0; i < 5; i++) assert.equal(map.take('victim'), true);
  assert.equal(map.take('victim'), false);
  for (let round = 0; round < 50; round++) {
    for (let i = 0; i < 20; i++) map.take(`junk-${round}-${i}`);
    assert.equal(map.take('victim'), false, `round ${round}: still empty`);
  }
  assert.ok(map.size <= 100, 'bounded');
  t = 5000;
  assert.equal(map.take('victim'), true, 'refills with time');
});

it('full buckets are forgotten before used ones', () => {
  let t = 0;
  const map = new BucketMap(1, 2, 3, () => t);
  map.take('a');
  map.take('a');
  map.take('b'); // b is used but not full
  t = 10_000; // a and b are full again
  map.take('c');
  map.take('c');
  map.take('d'); // at capacity: a full one goes
  assert.ok(map.size <= 3);
  assert.equal(map.take('c'), false, 'c (in debt) was kept');
});
