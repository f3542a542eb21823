import assert from 'node:assert/strict';
import { it } from 'vitest';
import { holdsWithin, waitUntil } from '../support/wait.ts';

it('waitUntil returns once a sync or async check holds', async () => {
  let calls = 0;
  await waitUntil(() => ++calls >= 3, { intervalMs: 1 });
  assert.equal(calls, 3);
  let asyncCalls = 0;
  await waitUntil(async () => ++asyncCalls >= 2, { intervalMs: 1 });
  assert.equal(asyncCalls, 2);
});

it('waitUntil fails naming what it waited for and how long', async () => {
  const started = Date.now();
  await assert.rejects(waitUntil(() => false, { timeoutMs: 60, what: 'the relay to answer' }), /timed out after \d+ ms \(limit 60 ms\) waiting for the relay to answer/);
  assert.ok(Date.now() - started >= 60);
});

it('holdsWithin answers whether the check held in time, and checks once more at the deadline', async () => {
  assert.equal(await holdsWithin(() => false, { timeoutMs: 30 }), false);
  const start = Date.now();
  // Only true from 40 ms on, with a pause (1 s) far longer than the limit: the last check is at the deadline.
  assert.equal(await holdsWithin(() => Date.now() - start >= 40, { timeoutMs: 40, intervalMs: 1000 }), true);
});

it('a check that throws fails the wait with its error', async () => {
  await assert.rejects(waitUntil(() => { throw new Error('relay gone'); }), /relay gone/);
});
