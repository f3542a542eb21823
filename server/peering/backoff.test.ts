import assert from 'node:assert/strict';
import { it } from 'vitest';
import { Backoff } from './backoff.ts';

it('backoff doubles up to its maximum, with jitter, and starts over on reset', () => {
  const middle = new Backoff(100, 1000, () => 0.5);
  assert.deepEqual([1, 2, 3, 4, 5, 6].map(() => middle.next()), [100, 200, 400, 800, 1000, 1000]);
  middle.reset();
  assert.equal(middle.next(), 100);
  middle.penalise();
  assert.equal(middle.next(), 1000);
  const low = new Backoff(100, 1000, () => 0);
  const high = new Backoff(100, 1000, () => 0.999);
  assert.equal(low.next(), 50);
  assert.equal(high.next(), 150);
});
