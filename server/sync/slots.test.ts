import assert from 'node:assert/strict';
import { it } from 'vitest';
import { pickEvictable } from './slots.ts';

const member = (lastProgress: number) => ({ lastProgress, evicted: false, send() {}, evict() { this.evicted = true; } });

it('the member idle for longest gives way, once past the grace period', () => {
  const busy = member(9_000);
  const idle = member(1_000);
  const idler = member(500);
  assert.equal(pickEvictable([busy, idle, idler], 10_000, 5_000), idler);
  assert.equal(pickEvictable([busy, idle], 5_900, 5_000), null, 'nobody idle long enough');
  assert.equal(pickEvictable([{ send() {} }], 10_000, 1), null, 'links that cannot be evicted are skipped');
});
