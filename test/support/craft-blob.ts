// Builds blobs that the sealing functions refuse to make: a test needs properly signed
// and encrypted blobs that are wrong in exactly one way.
import { concatBytes } from '#shared/bytes.ts';
import { signatureContext, signedMessage, BLOB_VERSION, type BlobPosition, type RoomKey, type WriteKey } from '#shared/blob.ts';
import { sodium } from '#shared/sodium.ts';

/** Signs `unsigned` (header and body) with the space's write key for this epoch, at `pos`. */
export function signUnsigned(key: RoomKey & { writeSecret: Uint8Array }, unsigned: Uint8Array, pos: BlobPosition): Uint8Array {
  return concatBytes(unsigned, sodium().crypto_sign_detached(signedMessage(key, pos, unsigned), key.writeSecret));
}

/** A kind 1/2 blob whose AEAD plaintext is exactly `plaintext` (no padding applied). */
export function sealRawPlaintext(key: WriteKey, kind: number, plaintext: Uint8Array, nonce: Uint8Array, pos: BlobPosition, version = BLOB_VERSION): Uint8Array {
  const s = sodium();
  const header = concatBytes(new Uint8Array([version, kind]), nonce);
  const ad = concatBytes(signatureContext(key.writePub, key.epoch), header.subarray(0, 2));
  const body = s.crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, ad, null, nonce, key.readKey);
  return signUnsigned(key, concatBytes(header, body), pos);
}

/** A signed blob with an arbitrary header and body, nothing encrypted. */
export function signedRaw(key: RoomKey & { writeSecret: Uint8Array }, version: number, kind: number, nonce: Uint8Array, body: Uint8Array, pos: BlobPosition): Uint8Array {
  return signUnsigned(key, concatBytes(new Uint8Array([version, kind]), nonce, body), pos);
}

/**
 * A protocol-1 blob: version 1, signed over "baton/v1" || writePub || epoch || blob, with no
 * position. What a relay or client of the retired protocol would send.
 */
export function sealProtocol1Link(key: RoomKey & { writeSecret: Uint8Array }, child: Uint8Array, nonce: Uint8Array): Uint8Array {
  const v1ctx = concatBytes(new TextEncoder().encode('baton/v1'), key.writePub, signatureContext(key.writePub, key.epoch).subarray(40));
  const unsigned = concatBytes(new Uint8Array([1, 3]), nonce, child);
  return concatBytes(unsigned, sodium().crypto_sign_detached(concatBytes(v1ctx, unsigned), key.writeSecret));
}
