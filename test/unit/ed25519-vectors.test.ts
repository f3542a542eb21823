// Every Ed25519 verifier Baton uses gives libsodium's verdict on every vector in
// test/vectors/ed25519.json, the small-order and non-canonical encodings included.
import { beforeAll, test } from 'vitest';
import assert from 'node:assert/strict';
import { createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ed25519EncodingsAllowed } from '#shared/ed25519-rules.ts';
import { initSodium, setSignatureVerifier, sodium, verifySignature } from '#shared/sodium.ts';
import { nodeSignatureVerifier } from '#client-node/ed25519.ts';
import { ed25519Engine, nativeVerifier } from '#server/verify/native.ts';
import { ed25519Text, type Ed25519Vector } from '../vectors/generate-ed25519.ts';

const text = readFileSync(new URL('../vectors/ed25519.json', import.meta.url), 'utf8');
const { vectors } = JSON.parse(text) as { vectors: Ed25519Vector[] };
const bytes = (h: string) => new Uint8Array(Buffer.from(h, 'hex'));
type NativeSodium = { crypto_sign_verify_detached(s: Uint8Array, m: Uint8Array, p: Uint8Array): boolean };
/** sodium-native is an optional dependency: where it did not install, the relay uses node:crypto. */
const nativeSodium = ((): NativeSodium | null => {
  try {
    return createRequire(import.meta.url)('sodium-native') as NativeSodium;
  } catch {
    return null;
  }
})();
const SPKI = Buffer.from('302a300506032b6570032100', 'hex');

/** node:crypto (OpenSSL) with nothing in front of it. */
function openssl(sig: Uint8Array, msg: Uint8Array, pub: Uint8Array): boolean {
  try {
    return verify(null, msg, createPublicKey({ key: Buffer.concat([SPKI, pub]), format: 'der', type: 'spki' }), sig);
  } catch {
    return false;
  }
}

beforeAll(async () => {
  await initSodium();
});

test('the generator reproduces ed25519.json exactly', () => {
  assert.equal(ed25519Text(), text, 'ed25519.json is stale: run node --import tsx test/vectors/generate-ed25519.ts');
});

test('libsodium, the Node verifier, node:crypto behind the shared checks and verifySignature agree on every vector', () => {
  const verifiers: Record<string, (s: Uint8Array, m: Uint8Array, p: Uint8Array) => boolean> = {
    libsodium: (s, m, p) => sodium().crypto_sign_verify_detached(s, m, p),
    'node verifier (fresh keys)': nodeSignatureVerifier(),
    'openssl behind ed25519EncodingsAllowed': (s, m, p) => ed25519EncodingsAllowed(s, p) && openssl(s, m, p),
    [`the relay's native verifier (${ed25519Engine})`]: nativeVerifier(),
    ...(nativeSodium ? { 'native libsodium alone (sodium-native)': (s: Uint8Array, m: Uint8Array, p: Uint8Array) => nativeSodium.crypto_sign_verify_detached(s, m, p) } : {}),
    'verifySignature with the node verifier installed': (s, m, p) => {
      setSignatureVerifier(nodeSignatureVerifier());
      try {
        return verifySignature(s, m, p);
      } finally {
        setSignatureVerifier(null);
      }
    },
  };
  // A verifier that already trusts a key (node:crypto answers alone) must agree too.
  const warm = nodeSignatureVerifier();
  for (const v of vectors) if (v.valid) warm(bytes(v.signature), bytes(v.message), bytes(v.publicKey));
  verifiers['node verifier (keys already trusted)'] = warm;
  assert.ok(vectors.length >= 12 && vectors.some((v) => v.valid) && vectors.some((v) => !v.valid));
  for (const v of vectors) {
    for (const [name, check] of Object.entries(verifiers)) {
      assert.equal(check(bytes(v.signature), bytes(v.message), bytes(v.publicKey)), v.valid, `${name} on ${v.name}`);
    }
  }
});

test('the vectors hold the case that splits node:crypto from libsodium', () => {
  const split = vectors.filter((v) => !v.valid && openssl(bytes(v.signature), bytes(v.message), bytes(v.publicKey)));
  assert.ok(split.some((v) => v.name === 'small-order-r-identity'), `node:crypto alone accepts: ${split.map((v) => v.name).join(', ')}`);
  for (const v of split) assert.equal(v.equationHolds, true, v.name);
});

test('the encoding checks refuse exactly libsodium\'s small-order list and non-canonical values', () => {
  for (const v of vectors) {
    const allowed = ed25519EncodingsAllowed(bytes(v.signature), bytes(v.publicKey));
    if (v.valid) assert.equal(allowed, true, v.name);
    if (/small-order|noncanonical|high-bits/.test(v.name)) assert.equal(allowed, false, v.name);
  }
  assert.equal(ed25519EncodingsAllowed(new Uint8Array(63), new Uint8Array(32)), false);
});
