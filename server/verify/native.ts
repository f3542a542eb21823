// Ed25519 on node:crypto (OpenSSL: native SHA-512 and curve arithmetic, several times libsodium's
// WebAssembly), with libsodium's acceptance rules checked first (shared/ed25519-rules.ts), so
// the relay accepts exactly what crypto_sign_verify_detached accepts.
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { ed25519EncodingsAllowed } from '#shared/ed25519-rules.ts';
import type { SignatureVerifier } from '#shared';

const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
/** A relay checks few keys (one per room epoch) many times: their parsed forms are kept. */
const MAX_KEYS = 4096;

export function nativeVerifier(): SignatureVerifier {
  const keys = new Map<string, KeyObject>();
  return (signature, message, publicKey) => {
    if (!ed25519EncodingsAllowed(signature, publicKey)) return false;
    return verify(null, message, keyObject(keys, publicKey), signature);
  };
}

/** The public key as node:crypto takes it, parsed once. */
export function keyObject(keys: Map<string, KeyObject>, publicKey: Uint8Array): KeyObject {
  const id = Buffer.from(publicKey.buffer, publicKey.byteOffset, 32).toString('latin1');
  let key = keys.get(id);
  if (!key) {
    if (keys.size >= MAX_KEYS) keys.clear();
    key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' });
    keys.set(id, key);
  }
  return key;
}
