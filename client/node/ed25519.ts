// Ed25519 verification on node:crypto (native SHA-512: about twice libsodium's speed on large
// blobs), with libsodium's semantics: a public key is trusted to node:crypto only after
// libsodium itself accepted a signature under it, which it never does for a small-order or
// non-canonical key; until then libsodium answers.
//
// Checks that passed are remembered for the life of the process, keyed by a SHA-256 of key,
// signature and message together (hardware SHA-256 costs a fraction of the verification's own
// SHA-512 and curve arithmetic): reopening a space re-checks its stored blobs in a fraction of
// the time, and nothing from outside the process can add an entry.
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { sodium, type SignatureVerifier } from '../../shared/index.ts';

const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const MAX_KEYS = 10_000;
const MAX_REMEMBERED = 200_000;

export function nodeSignatureVerifier(): SignatureVerifier {
  const keys = new Map<string, KeyObject>();
  const passed = new Set<string>();
  const check = (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean => {
    const id = Buffer.from(publicKey.buffer, publicKey.byteOffset, 32).toString('base64');
    const key = keys.get(id);
    if (key) return verify(null, message, key, signature);
    const ok = sodium().crypto_sign_verify_detached(signature, message, publicKey);
    if (ok) {
      if (keys.size >= MAX_KEYS) keys.clear();
      keys.set(id, createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' }));
    }
    return ok;
  };
  return (signature, message, publicKey) => {
    if (signature.length !== 64 || publicKey.length !== 32) return false;
    const digest = createHash('sha256').update(publicKey).update(signature).update(message).digest('base64');
    if (passed.has(digest)) return true;
    const ok = check(signature, message, publicKey);
    if (ok) {
      if (passed.size >= MAX_REMEMBERED) passed.clear();
      passed.add(digest);
    }
    return ok;
  };
}
