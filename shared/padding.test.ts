import assert from 'node:assert/strict';
import { test } from 'vitest';
import fc from 'fast-check';
import { padToBlock, unpadFromBlock } from './padding.ts';
import { initSodium } from './sodium.ts';

const s = await initSodium();

function sodiumUnpad(padded: Uint8Array, block: number): Uint8Array | null {
  try {
    return s.unpad(padded, block);
  } catch {
    return null;
  }
}

test('padToBlock is byte-identical to sodium_pad', () => {
  for (const block of [1, 16, 256]) {
    for (let length = 0; length <= 600; length++) {
      const data = new Uint8Array(length).map((_, i) => (i * 37 + length) & 0xff);
      assert.deepEqual(padToBlock(data, block), s.pad(data, block), `length ${length}, block ${block}`);
    }
  }
});

test('unpadFromBlock round-trips and agrees with sodium_unpad on any input', () => {
  for (let length = 0; length <= 600; length++) {
    const data = new Uint8Array(length).fill(0x80);
    assert.deepEqual(unpadFromBlock(padToBlock(data, 256), 256), data);
  }
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 700 }), fc.constantFrom(1, 4, 16, 256), fc.nat(40), (raw, block, zeros) => {
      // Mostly near-valid inputs: random bytes, then maybe a marker and some zeros.
      const bytes = new Uint8Array(raw.length + 1 + zeros);
      bytes.set(raw);
      if (zeros % 3 !== 0) bytes[raw.length] = 0x80;
      const expected = sodiumUnpad(bytes, block);
      const actual = unpadFromBlock(bytes, block);
      assert.deepEqual(actual === null ? null : Uint8Array.from(actual), expected === null ? null : Uint8Array.from(expected));
    }),
    { numRuns: 2000 },
  );
});

test('bad block sizes are refused', () => {
  assert.throws(() => padToBlock(new Uint8Array(1), 0), RangeError);
  assert.throws(() => unpadFromBlock(new Uint8Array(1), -1), RangeError);
});
