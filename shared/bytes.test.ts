import { test } from 'vitest';
import assert from 'node:assert/strict';
import { bytesEqual, concatBytes, fromBase64url, fromUtf8, toBase64url, u32be, utf8 } from './bytes.ts';

test('base64url matches the RFC 4648 alphabet without padding', () => {
  assert.equal(toBase64url(new Uint8Array([])), '');
  assert.equal(toBase64url(new Uint8Array([0xfb])), '-w');
  assert.equal(toBase64url(new Uint8Array([0xfb, 0xff])), '-_8');
  assert.equal(toBase64url(new Uint8Array([0xfb, 0xff, 0xbf])), '-_-_');
  assert.equal(toBase64url(utf8('foobar')), 'Zm9vYmFy');
  assert.deepEqual(fromBase64url('Zm9vYg'), utf8('foob'));
  assert.deepEqual(fromBase64url('-_-_'), new Uint8Array([0xfb, 0xff, 0xbf]));
});

test('base64url decoding rejects padding', () => {
  assert.equal(fromBase64url('Zm9vYg=='), null);
  assert.equal(fromBase64url('Zm9vYmE='), null);
  assert.equal(fromBase64url('='), null);
});

test('base64url decoding rejects characters outside the url alphabet', () => {
  for (const bad of ['Zm9v+mFy', 'Zm9v/mFy', 'Zm9v YmFy', 'Zm9v\nYmFy', 'Zm9vYmF\u00e9', 'Zm9vYmF\u{1F600}', 'Zm9v.mFy']) {
    assert.equal(fromBase64url(bad), null, JSON.stringify(bad));
  }
});

test('base64url decoding rejects impossible lengths', () => {
  assert.equal(fromBase64url('A'), null);
  assert.equal(fromBase64url('AAAAA'), null);
});

test('base64url decoding rejects non-canonical trailing bits', () => {
  // "-w" is 0xfb; "-x" carries the same byte with a stray low bit.
  assert.deepEqual(fromBase64url('-w'), new Uint8Array([0xfb]));
  assert.equal(fromBase64url('-x'), null);
  assert.deepEqual(fromBase64url('-_8'), new Uint8Array([0xfb, 0xff]));
  assert.equal(fromBase64url('-_9'), null);
  // A 32-byte key has two unused bits in its last character.
  const key = toBase64url(new Uint8Array(32).fill(7));
  assert.equal(fromBase64url(key)?.length, 32);
  assert.equal(fromBase64url(key.slice(0, -1) + 'B'), null);
});

test('concatBytes, u32be, bytesEqual and strict UTF-8', () => {
  assert.deepEqual(concatBytes(new Uint8Array([1]), new Uint8Array([]), new Uint8Array([2, 3])), new Uint8Array([1, 2, 3]));
  assert.deepEqual(u32be(0x01020304), new Uint8Array([1, 2, 3, 4]));
  assert.deepEqual(u32be(0xffffffff), new Uint8Array([255, 255, 255, 255]));
  assert.equal(bytesEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2])), true);
  assert.equal(bytesEqual(new Uint8Array([1, 2]), new Uint8Array([1, 3])), false);
  assert.equal(bytesEqual(new Uint8Array([1]), new Uint8Array([1, 0])), false);
  assert.equal(fromUtf8(utf8('héllo ✓')), 'héllo ✓');
  assert.equal(fromUtf8(new Uint8Array([0xc3, 0x28])), null);
});
