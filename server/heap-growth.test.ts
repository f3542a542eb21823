// The relay keeps V8's heap growth low unless the operator ran node with a growth of their own.
import assert from 'node:assert/strict';
import { it } from 'vitest';
import { keepHeapGrowthLow } from './heap-growth.ts';

it('sets the heap growth unless node was given one', () => {
  assert.equal(keepHeapGrowthLow([]), true);
  assert.equal(keepHeapGrowthLow(['--enable-source-maps', '--max-old-space-size=2048']), true);
  assert.equal(keepHeapGrowthLow(['--heap-growing-percent=50']), false);
  assert.equal(keepHeapGrowthLow(['--heap_growing_percent=0']), false);
  assert.equal(keepHeapGrowthLow(['--heap-growing-percent', '50']), false);
});
