import { test } from 'vitest';
import assert from 'node:assert/strict';
import { deliveryOf, deliveryText } from './delivery.ts';
import { fileSafe } from './download.ts';

test('delivery reads as queued until a receipt, then k of n relays', () => {
  assert.equal(deliveryText({ reached: 0, of: 0 }), 'queued: no relay yet');
  assert.equal(deliveryText({ reached: 0, of: 2 }), 'queued');
  assert.equal(deliveryText({ reached: 1, of: 1 }), 'reached 1 of 1 relays');
  assert.equal(deliveryText({ reached: 2, of: 3 }), 'reached 2 of 3 relays');
  // n never reads below k.
  assert.equal(deliveryText({ reached: 2, of: 1 }), 'reached 2 of 2 relays');
});

test('a relay no longer dialled (removed from the board) counts neither as reached nor as to reach', () => {
  const ref = { client: 1, clock: 0 };
  const space = (relays: string[], confirmed: string[]) => ({ relays: () => relays, confirmedBy: () => confirmed });
  assert.deepEqual(deliveryOf(space(['https://a', 'https://b', 'https://dead'], ['https://a', 'https://b']), ref), { reached: 2, of: 3 });
  assert.deepEqual(deliveryOf(space(['https://a', 'https://b'], ['https://a', 'https://b']), ref), { reached: 2, of: 2 });
  assert.deepEqual(deliveryOf(space(['https://b'], ['https://a']), ref), { reached: 0, of: 1 });
});

test('file names keep letters of any script and nothing that walks a path', () => {
  assert.equal(fileSafe('Hand to hand', 'board'), 'Hand-to-hand');
  assert.equal(fileSafe('../../etc/passwd', 'board'), 'etc-passwd');
  assert.equal(fileSafe('حرية الإنترنت', 'board'), 'حرية-الإنترنت');
  assert.equal(fileSafe('///', 'board'), 'board');
});
