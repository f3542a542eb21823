import { test } from 'vitest';
import assert from 'node:assert/strict';
import { initSodium, sodium } from '#shared';
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

test('restored checks are trusted only inside collectPassedChecks, for the room being applied', async () => {
  const { createHash } = await import('node:crypto');
  const { collectPassedChecks } = await import('./ed25519.ts');
  const s = sodium();
  const v = nodeSignatureVerifier();
  const { publicKey } = s.crypto_sign_keypair();
  const msg = new TextEncoder().encode('not signed by anyone');
  const sig = s.randombytes_buf(64);
  sig[63]! &= 0x0f; // a canonical S, so only the digest decides
  const digest = createHash('sha256').update(publicKey).update(sig).update(msg).digest('base64');
  let inside: boolean | null = null;
  const passed = collectPassedChecks(() => (inside = v(sig, msg, publicKey)), new Set([digest]));
  assert.equal(inside, true, 'the record vouches for it while its room is applied');
  assert.deepEqual(passed, [digest]);
  assert.equal(v(sig, msg, publicKey), false, 'and for nothing after');
  assert.equal(collectPassedChecks(() => void v(sig, msg, publicKey)).length, 0);
});
