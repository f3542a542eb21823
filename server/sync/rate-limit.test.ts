import assert from 'node:assert/strict';
import { it } from 'vitest';
import { TokenBucket } from './rate-limit.ts';

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
