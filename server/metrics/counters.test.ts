import assert from 'node:assert/strict';
import { it } from 'vitest';
import { Counters } from './counters.ts';

it('counters add up per name and list sorted', () => {
  const counters = new Counters();
  counters.add('sync.closed.4429');
  counters.add('http.rate-limited', 3);
  counters.add('sync.closed.4429');
  assert.equal(counters.get('sync.closed.4429'), 2);
  assert.equal(counters.get('never'), 0);
  assert.deepEqual(Object.keys(counters.snapshot()), ['http.rate-limited', 'sync.closed.4429']);
});
