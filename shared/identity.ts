// A member's author identity: an Ed25519 keypair that signs posts and blobs' inner updates.
// The write key of a space is shared by its writers; this key says who wrote what.
import { fromBase64url, toBase64url } from './bytes.ts';
import { sodium } from './sodium.ts';

export interface Identity {
  publicKey: Uint8Array; // 32 bytes
  secretKey: Uint8Array; // 64 bytes (libsodium form: seed || public key)
  seed: Uint8Array; // 32 bytes, what is exported
}

const EXPORT_PREFIX = 'baton-identity:v1:';

export function identityFromSeed(seed: Uint8Array): Identity {
  if (seed.length !== 32) throw new RangeError('an identity seed is 32 bytes');
  const keys = sodium().crypto_sign_seed_keypair(seed);
  return { publicKey: keys.publicKey, secretKey: keys.privateKey, seed: seed.slice() };
}

export function generateIdentity(): Identity {
  return identityFromSeed(sodium().randombytes_buf(32));
}

/** A text form of the identity's secret seed, for backup or moving to another device. */
export function exportIdentity(identity: Identity): string {
  return EXPORT_PREFIX + toBase64url(identity.seed);
}

export function importIdentity(text: string): Identity {
  const trimmed = text.trim();
  if (!trimmed.startsWith(EXPORT_PREFIX)) throw new IdentityError('not a Baton identity (expected baton-identity:v1:...)');
  const seed = fromBase64url(trimmed.slice(EXPORT_PREFIX.length));
  if (!seed || seed.length !== 32) throw new IdentityError('the identity key is damaged (expected 32 bytes of base64url)');
  return identityFromSeed(seed);
}

export class IdentityError extends Error {
  override name = 'IdentityError';
}
