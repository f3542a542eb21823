import assert from 'node:assert/strict';
import { it } from 'vitest';
import { Counters } from '../metrics/counters.ts';
import { RefusalLog } from './refusals.ts';

it('refusals are counted each, per round too, and summed up in one log line a minute at most', () => {
  const counters = new Counters();
  const lines: string[] = [];
  const refusals = new RefusalLog('http://127.0.0.1:9', counters, (line) => lines.push(line));
  const t = 1_000_000;
  refusals.note('live', 'room A (live link): bad signature', t);
  refusals.note('catch-up', 'room B (catch-up): bad signature', t + 1000);
  refusals.note('catch-up', 'room C (catch-up): bad signature', t + 2000);
  assert.equal(counters.get('peer.refused.live'), 1);
  assert.equal(counters.get('peer.refused.catch-up'), 2);
  assert.equal(refusals.thisRound, 3);
  assert.deepEqual(lines, ['peer: http://127.0.0.1:9 sent 1 update(s) that were refused, e.g. room A (live link): bad signature']);
  refusals.note('live', 'x'.repeat(500), t + 61_000);
  assert.equal(lines.length, 2);
  assert.ok(lines[1]!.startsWith('peer: http://127.0.0.1:9 sent 3 update(s) that were refused'));
  assert.ok(lines[1]!.length < 260, 'the example is cut short');
});
