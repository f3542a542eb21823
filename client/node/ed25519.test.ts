import { test } from 'vitest';
import assert from 'node:assert/strict';
import { initSodium, sodium } from '../../shared/index.ts';
import { nodeSignatureVerifier } from './ed25519.ts';

await initSodium();

test('the node:crypto verifier agrees with libsodium, on good and bad signatures and keys', () => {
  const s = sodium();
  const v = nodeSignatureVerifier();
  const { publicKey, privateKey } = s.crypto_sign_keypair();
  for (const size of [0, 10, 300, 70_000]) {
    const msg = s.randombytes_buf(size);
    const sig = s.crypto_sign_detached(msg, privateKey);
    for (let round = 0; round < 2; round++) {
      assert.equal(v(sig, msg, publicKey), true, `size ${size} round ${round}`);
      const bad = sig.slice();
      bad[5]! ^= 1;
      assert.equal(v(bad, msg, publicKey), false);
      const other = msg.slice();
      if (size > 0) {
        other[0]! ^= 1;
        assert.equal(v(sig, other, publicKey), false);
      }
    }
  }
  // The identity point as a key with the all-zero-but-one "signature": valid to a lax verifier, not to libsodium.
  const identity = new Uint8Array(32);
  identity[0] = 1;
  const lax = new Uint8Array(64);
  lax[0] = 1;
  assert.equal(s.crypto_sign_verify_detached(lax, new Uint8Array(3), identity), false);
  assert.equal(v(lax, new Uint8Array(3), identity), false);
  assert.equal(v(new Uint8Array(63), new Uint8Array(3), publicKey), false, 'a short signature is false, not a throw');
});
