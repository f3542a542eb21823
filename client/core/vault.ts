// The key a locked device keeps everything under: 32 random bytes (the data key), unwrapped
// from its passphrase (vault-lock.ts) and held only in memory. Two subkeys come from it by
// keyed BLAKE2b: one seals records (XChaCha20-Poly1305, a random nonce each, the record's
// place as associated data, so a record moved to another place does not open), one names
// them (a keyed hash, so a stored name says nothing about the board it belongs to).
//   sealed = 0x01 || nonce:24 || ciphertext of (plaintext padded to 64-byte blocks)
import { concatBytes, fromUtf8, sodium, toBase64url, utf8 } from '#shared';

export const DATA_KEY_BYTES = 32;
const VERSION = 1;
const NONCE_BYTES = 24;
/** Padding hides exact lengths (of titles, drafts, names), not rough sizes. */
const BLOCK = 64;

export class Vault {
  private readonly sealKey: Uint8Array;
  private readonly nameKey: Uint8Array;

  constructor(dataKey: Uint8Array) {
    if (dataKey.length !== DATA_KEY_BYTES) throw new RangeError('a data key is 32 bytes');
    const s = sodium();
    this.sealKey = s.crypto_generichash(32, utf8('baton/vault/seal/v1'), dataKey);
    this.nameKey = s.crypto_generichash(32, utf8('baton/vault/name/v1'), dataKey);
  }

  static newDataKey(): Uint8Array {
    return sodium().randombytes_buf(DATA_KEY_BYTES);
  }

  /** 32 bytes that stand for `label` in this vault only. */
  name(label: string): Uint8Array {
    return sodium().crypto_generichash(32, utf8(label), this.nameKey);
  }

  /** The same, as text for a key or file name. */
  nameText(label: string): string {
    return toBase64url(this.name(label));
  }

  seal(plain: Uint8Array, place: string): Uint8Array {
    const s = sodium();
    const nonce = s.randombytes_buf(NONCE_BYTES);
    const padded = s.pad(plain, BLOCK);
    return concatBytes(new Uint8Array([VERSION]), nonce, s.crypto_aead_xchacha20poly1305_ietf_encrypt(padded, utf8(place), null, nonce, this.sealKey));
  }

  /** The plaintext, or null when the record is not one this vault sealed for `place`. */
  open(sealed: Uint8Array, place: string): Uint8Array | null {
    if (sealed.length < 1 + NONCE_BYTES + 16 || sealed[0] !== VERSION) return null;
    const s = sodium();
    try {
      const padded = s.crypto_aead_xchacha20poly1305_ietf_decrypt(null, sealed.subarray(1 + NONCE_BYTES), utf8(place), sealed.subarray(1, 1 + NONCE_BYTES), this.sealKey);
      return s.unpad(padded, BLOCK);
    } catch {
      return null;
    }
  }

  sealText(text: string, place: string): Uint8Array {
    return this.seal(utf8(text), place);
  }

  openText(sealed: Uint8Array, place: string): string | null {
    const plain = this.open(sealed, place);
    return plain ? fromUtf8(plain) : null;
  }
}
