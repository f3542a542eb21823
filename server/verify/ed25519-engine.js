// The relay's native Ed25519 check, shared by the event loop (native.ts) and the
// verification threads (worker.js); plain JavaScript so that a worker loads it under any
// loader. libsodium itself, through the prebuilt binary of sodium-native, when it loads:
// about twice as fast as node:crypto here, and libsodium's verdict by construction. Else
// node:crypto (OpenSSL). Callers run libsodium's encoding rules first
// (shared/ed25519-rules.ts), which makes OpenSSL's verdicts libsodium's too.
import { createPublicKey, verify } from 'node:crypto';
import { createRequire } from 'node:module';

const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
/** A relay checks few keys (one per room epoch) many times: their parsed forms are kept. */
const MAX_KEYS = 4096;

function loadSodium() {
  if (process.env.BATON_VERIFY_ENGINE === 'openssl') return null;
  try {
    const sodium = createRequire(import.meta.url)('sodium-native');
    return typeof sodium.crypto_sign_verify_detached === 'function' ? sodium : null;
  } catch {
    return null; // no binary for this platform: node:crypto serves
  }
}

const sodium = loadSodium();

/** Which library checks signatures: 'libsodium' or 'openssl'. */
export const ed25519Engine = sodium ? 'libsodium' : 'openssl';

/**
 * A verifier (signature, message, publicKey) => boolean. Its inputs must already have
 * passed ed25519EncodingsAllowed.
 */
export function ed25519Verifier() {
  if (sodium) return (signature, message, publicKey) => sodium.crypto_sign_verify_detached(signature, message, publicKey);
  const keys = new Map();
  return (signature, message, publicKey) => verify(null, message, keyObject(keys, publicKey), signature);
}

function keyObject(keys, publicKey) {
  const id = Buffer.from(publicKey.buffer, publicKey.byteOffset, 32).toString('latin1');
  let key = keys.get(id);
  if (!key) {
    if (keys.size >= MAX_KEYS) keys.clear();
    key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' });
    keys.set(id, key);
  }
  return key;
}
