// The two primitives the first script needs before libsodium has arrived, from the audited
// @noble libraries (a few KB together, where libsodium is over 100 KB): BLAKE2b as
// crypto_generichash and XChaCha20-Poly1305 decryption as crypto_aead_xchacha20poly1305_ietf_decrypt.
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { blake2b as nobleBlake2b } from '@noble/hashes/blake2.js';

/** crypto_generichash(outLength, message, key). */
export function blake2b(outLength: number, message: Uint8Array, key: Uint8Array = new Uint8Array(0)): Uint8Array {
  return nobleBlake2b(message, key.length > 0 ? { dkLen: outLength, key } : { dkLen: outLength });
}

/** The plaintext, or null when the tag does not check (altered bytes, another key, other associated data). */
export function xchachaDecrypt(sealed: Uint8Array, ad: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array | null {
  if (sealed.length < 16) return null;
  try {
    return xchacha20poly1305(key, nonce, ad).decrypt(sealed);
  } catch {
    return null;
  }
}
