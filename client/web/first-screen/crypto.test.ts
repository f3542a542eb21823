// The first script's BLAKE2b and XChaCha20-Poly1305 give libsodium's answers, byte for byte.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { initSodium, sodium } from '#shared';
import { blake2b } from './blake2b.ts';
import { xchachaDecrypt } from './xchacha.ts';

await initSodium();

test('BLAKE2b, keyed and not, of every length around the block size, is crypto_generichash', () => {
  const s = sodium();
  for (const len of [0, 1, 31, 64, 127, 128, 129, 255, 256, 300]) {
    const message = s.randombytes_buf(len);
    for (const key of [new Uint8Array(0), s.randombytes_buf(32), s.randombytes_buf(64)]) {
      for (const out of [32, 64]) assert.deepEqual(blake2b(out, message, key), s.crypto_generichash(out, message, key.length ? key : null));
    }
  }
});

test('XChaCha20-Poly1305 opens what libsodium seals, and nothing altered', () => {
  const s = sodium();
  for (const len of [0, 1, 63, 64, 65, 256, 1000, 20_000]) {
    const key = s.randombytes_buf(32);
    const nonce = s.randombytes_buf(24);
    const ad = s.randombytes_buf(len % 50);
    const message = s.randombytes_buf(len);
    const sealed = s.crypto_aead_xchacha20poly1305_ietf_encrypt(message, ad, null, nonce, key);
    assert.deepEqual(xchachaDecrypt(sealed, ad, nonce, key), message);
    const bad = sealed.slice();
    bad[len % bad.length] ^= 1;
    assert.equal(xchachaDecrypt(bad, ad, nonce, key), null, 'a flipped bit');
    assert.equal(xchachaDecrypt(sealed, s.randombytes_buf(3), nonce, key), null, 'other associated data');
    assert.equal(xchachaDecrypt(sealed, ad, nonce, s.randombytes_buf(32)), null, 'another key');
  }
});
