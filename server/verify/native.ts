// Ed25519 on native code (libsodium through sodium-native, or node:crypto: ed25519-engine.js),
// with libsodium's acceptance rules checked first (shared/ed25519-rules.ts), so the relay
// accepts exactly what crypto_sign_verify_detached accepts whichever library answers.
import { ed25519EncodingsAllowed } from '#shared/ed25519-rules.ts';
import type { SignatureVerifier } from '#shared';
import { ed25519Verifier } from './ed25519-engine.js';

export { ed25519Engine } from './ed25519-engine.js';

export function nativeVerifier(): SignatureVerifier {
  const check = ed25519Verifier();
  return (signature, message, publicKey) => ed25519EncodingsAllowed(signature, publicKey) && check(signature, message, publicKey);
}
