// The Node XChaCha20-Poly1305 must be libsodium's, byte for byte, or blobs would open
// differently in Node than in the browser.
import assert from 'node:assert/strict';
import { beforeAll, test } from 'vitest';
import { createSpace, generateIdentity, initSodium, openBlob, sealUpdateBlob, setAeadDecrypter, sodium } from '#shared';
import { xchachaDecryptNode, xchachaEncryptNode } from './xchacha.ts';

beforeAll(() => initSodium());

test('encrypts and decrypts exactly as libsodium, at every size class', () => {
  const s = sodium();
  for (const size of [0, 1, 15, 16, 63, 64, 65, 255, 256, 1024, 4097, 300_000]) {
    const key = s.randombytes_buf(32);
    const nonce = s.randombytes_buf(24);
    const ad = s.randombytes_buf(size % 50);
    const message = s.randombytes_buf(size);
    const sealed = s.crypto_aead_xchacha20poly1305_ietf_encrypt(message, ad, null, nonce, key);
    assert.deepEqual(xchachaEncryptNode(message, ad, nonce, key), sealed, `encrypt ${size}`);
    assert.deepEqual(xchachaDecryptNode(sealed, ad, nonce, key), message, `decrypt ${size}`);
  }
});

test('refuses what libsodium refuses: tampering, a wrong key, wrong AD, short input', () => {
  const s = sodium();
  const key = s.randombytes_buf(32);
  const nonce = s.randombytes_buf(24);
  const ad = new Uint8Array([1, 2, 3]);
  const sealed = s.crypto_aead_xchacha20poly1305_ietf_encrypt(new Uint8Array(100), ad, null, nonce, key);
  const flipped = sealed.slice();
  flipped[10]! ^= 1;
  assert.equal(xchachaDecryptNode(flipped, ad, nonce, key), null);
  const badTag = sealed.slice();
  badTag[badTag.length - 1]! ^= 1;
  assert.equal(xchachaDecryptNode(badTag, ad, nonce, key), null);
  assert.equal(xchachaDecryptNode(sealed, ad, nonce, s.randombytes_buf(32)), null);
  assert.equal(xchachaDecryptNode(sealed, new Uint8Array([1, 2, 4]), nonce, key), null);
  assert.equal(xchachaDecryptNode(sealed.subarray(0, 15), ad, nonce, key), null);
});

test('openBlob gives the same verdicts through the Node decrypter', () => {
  const space = createSpace('thread');
  const key = { writePub: space.writePub, epoch: 0, readKey: space.readKey!, writeSecret: space.write!.secretKey };
  const at = { client: 3, clock: 0 };
  const blob = sealUpdateBlob(key, 1, generateIdentity(), new Uint8Array([9, 8, 7]), at);
  const wrongKey = { ...key, readKey: sodium().randombytes_buf(32) };
  const viaSodium = [openBlob(blob, key, at), openBlob(blob, wrongKey, at)];
  setAeadDecrypter(xchachaDecryptNode);
  try {
    assert.deepEqual([openBlob(blob, key, at), openBlob(blob, wrongKey, at)], viaSodium);
    assert.equal(viaSodium[1]!.ok, false);
  } finally {
    setAeadDecrypter(null);
  }
});
