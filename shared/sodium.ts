// libsodium is initialised once per process; everything else asks for the ready instance.
import sodiumModule from 'libsodium-wrappers';

export type Sodium = typeof sodiumModule;

let ready: Sodium | null = null;

/** Resolves once libsodium is usable. Safe to call any number of times. */
export async function initSodium(): Promise<Sodium> {
  if (ready) return ready;
  await sodiumModule.ready;
  ready = sodiumModule;
  return ready;
}

/** The initialised libsodium. Throws if initSodium() has not resolved yet (a programmer error). */
export function sodium(): Sodium {
  if (!ready) throw new Error('libsodium is not initialised: await initSodium() first');
  return ready;
}

/** An Ed25519 detached-signature check with libsodium's semantics. */
export type SignatureVerifier = (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array) => boolean;

let verifier: SignatureVerifier | null = null;

/**
 * Swaps in a faster verifier (node:crypto in Node, whose SHA-512 is native); null restores
 * libsodium. It must accept exactly what crypto_sign_verify_detached accepts.
 */
export function setSignatureVerifier(v: SignatureVerifier | null): void {
  verifier = v;
}

/** The verifier installed now (null: libsodium), so a caller can wrap it and put it back. */
export function installedSignatureVerifier(): SignatureVerifier | null {
  return verifier;
}

/** Every signature check of blobs and posts goes through here. */
export function verifySignature(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  if (verifier) return verifier(signature, message, publicKey);
  return sodium().crypto_sign_verify_detached(signature, message, publicKey);
}

/** XChaCha20-Poly1305 (IETF) decryption: the plaintext, or null when authentication fails. */
export type AeadDecrypter = (ciphertext: Uint8Array, ad: Uint8Array, nonce: Uint8Array, key: Uint8Array) => Uint8Array | null;

let decrypter: AeadDecrypter | null = null;

/**
 * Swaps in a faster XChaCha20-Poly1305 decryption (node:crypto's native ChaCha20 in Node,
 * several times libsodium's WebAssembly on large snapshots); null restores libsodium. It
 * must return byte for byte what crypto_aead_xchacha20poly1305_ietf_decrypt returns.
 */
export function setAeadDecrypter(d: AeadDecrypter | null): void {
  decrypter = d;
}

/** Every blob decryption goes through here. */
export function aeadDecrypt(ciphertext: Uint8Array, ad: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array | null {
  if (decrypter) return decrypter(ciphertext, ad, nonce, key);
  try {
    return sodium().crypto_aead_xchacha20poly1305_ietf_decrypt(null, ciphertext, ad, nonce, key);
  } catch {
    return null;
  }
}
