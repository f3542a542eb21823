// Ed25519 verification on node:crypto (native SHA-512: about twice libsodium's speed on large
// blobs), with libsodium's semantics: a public key is trusted to node:crypto only after
// libsodium itself accepted a signature under it, which it never does for a small-order or
// non-canonical key; until then libsodium answers.
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { sodium, type SignatureVerifier } from '../../shared/index.ts';

const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const MAX_KEYS = 10_000;

export function nodeSignatureVerifier(): SignatureVerifier {
  const keys = new Map<string, KeyObject>();
  return (signature, message, publicKey) => {
    if (signature.length !== 64 || publicKey.length !== 32) return false;
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
}
