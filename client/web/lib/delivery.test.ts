import { test } from 'vitest';
import assert from 'node:assert/strict';
import { deliveryText } from './delivery.ts';
import { fileSafe } from './download.ts';

test('delivery reads as queued until a receipt, then k of n relays', () => {
  assert.equal(deliveryText({ reached: 0, of: 0 }), 'queued: no relay yet');
  assert.equal(deliveryText({ reached: 0, of: 2 }), 'queued');
  assert.equal(deliveryText({ reached: 1, of: 1 }), 'reached 1 of 1 relays');
  assert.equal(deliveryText({ reached: 2, of: 3 }), 'reached 2 of 3 relays');
  // A relay removed since it confirmed still counts; n never reads below k.
  assert.equal(deliveryText({ reached: 2, of: 1 }), 'reached 2 of 2 relays');
});

test('file names keep letters of any script and nothing that walks a path', () => {
  assert.equal(fileSafe('Hand to hand', 'board'), 'Hand-to-hand');
  assert.equal(fileSafe('../../etc/passwd', 'board'), 'etc-passwd');
  assert.equal(fileSafe('حرية الإنترنت', 'board'), 'حرية-الإنترنت');
  assert.equal(fileSafe('///', 'board'), 'board');
});
