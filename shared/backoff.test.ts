import assert from 'node:assert/strict';
import { it } from 'vitest';
import { Backoff, jitter } from './backoff.ts';

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

it('jitter scatters a delay over half to one and a half times itself', () => {
  assert.equal(jitter(2500, () => 0), 1250);
  assert.equal(jitter(2500, () => 0.5), 2500);
  assert.equal(jitter(2500, () => 0.999), 3748);
  for (let i = 0; i < 200; i++) {
    const ms = jitter(3000);
    assert.ok(ms >= 1500 && ms <= 4500, String(ms));
  }
});
