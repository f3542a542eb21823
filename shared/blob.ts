// Blobs: the only thing relays carry (docs/PROTOCOL.md §2). Self-authenticating: anyone holding the
// space id can check the write signature; only readers can decrypt.
//
//   blob = version:u8 || kind:u8 || nonce:24 || body || sig:64
//   ctx  = "baton/v1" || writePub || epoch:u32be
//   sig  = sign(ctx || blob[0 .. len-64], writeSecret)
import { concatBytes, u32be, utf8 } from './bytes.ts';
import type { Identity } from './identity.ts';
import { DEFAULT_LIMITS } from './limits.ts';
import { padToBlock, unpadFromBlock } from './padding.ts';
import { aeadDecrypt, sodium, verifySignature } from './sodium.ts';

export const BLOB_VERSION = 1;
export const BlobKind = { update: 1, snapshot: 2, link: 3 } as const;
export type BlobKind = (typeof BlobKind)[keyof typeof BlobKind];
export type SealedKind = typeof BlobKind.update | typeof BlobKind.snapshot;

export const NONCE_LENGTH = 24;
export const SIGNATURE_LENGTH = 64;
export const HEADER_LENGTH = 2 + NONCE_LENGTH;
export const AEAD_TAG_LENGTH = 16;
export const LINK_BODY_LENGTH = 32;
export const PAD_BLOCK = 256;
const AUTHOR_PREFIX_LENGTH = 32 + SIGNATURE_LENGTH;

const CTX_LABEL = utf8('baton/v1');
const AUTHOR_LABEL = utf8('baton/update/v1');

export type BlobRejection =
  | 'too-short'
  | 'too-large'
  | 'bad-version'
  | 'unknown-kind'
  | 'bad-body-length'
  | 'bad-signature'
  | 'decrypt-failed'
  | 'bad-padding'
  | 'bad-inner'
  | 'bad-author-signature';

/** What every holder of a space id knows: enough to check a blob, not to read it. */
export interface RoomKey {
  writePub: Uint8Array;
  epoch: number;
}

export interface ReadKey extends RoomKey {
  readKey: Uint8Array;
}

export interface WriteKey extends ReadKey {
  writeSecret: Uint8Array;
}

export type BlobCheck = { ok: true; kind: BlobKind } | { ok: false; reason: BlobRejection };

export type OpenedBlob =
  | { ok: true; kind: SealedKind; author: Uint8Array; update: Uint8Array }
  | { ok: true; kind: typeof BlobKind.link; child: Uint8Array }
  | { ok: false; reason: BlobRejection };

export function signatureContext(writePub: Uint8Array, epoch: number): Uint8Array {
  return concatBytes(CTX_LABEL, writePub, u32be(epoch));
}

function authorMessage(key: RoomKey, kind: SealedKind, update: Uint8Array): Uint8Array {
  return concatBytes(AUTHOR_LABEL, key.writePub, u32be(key.epoch), new Uint8Array([kind]), update);
}

/**
 * A fresh random nonce in one call: libsodium-wrappers' randombytes_buf asks the platform for
 * 4 bytes at a time (six calls per nonce), which cost more than the encryption of a small blob.
 */
function freshNonce(): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(NONCE_LENGTH));
}

function signBlob(key: WriteKey | (RoomKey & { writeSecret: Uint8Array }), unsigned: Uint8Array): Uint8Array {
  const sig = sodium().crypto_sign_detached(concatBytes(signatureContext(key.writePub, key.epoch), unsigned), key.writeSecret);
  return concatBytes(unsigned, sig);
}

/** Seals a Yjs update of the plaintext doc (kind 1) or a whole-doc snapshot (kind 2). */
export function sealUpdateBlob(key: WriteKey, kind: SealedKind, author: Identity, update: Uint8Array, nonce?: Uint8Array): Uint8Array {
  const s = sodium();
  const n = nonce ?? freshNonce();
  if (n.length !== NONCE_LENGTH) throw new RangeError('a blob nonce is 24 bytes');
  const authorSig = s.crypto_sign_detached(authorMessage(key, kind, update), author.secretKey);
  const inner = concatBytes(author.publicKey, authorSig, update);
  const header = concatBytes(new Uint8Array([BLOB_VERSION, kind]), n);
  const ad = concatBytes(signatureContext(key.writePub, key.epoch), header.subarray(0, 2));
  const body = s.crypto_aead_xchacha20poly1305_ietf_encrypt(padToBlock(inner, PAD_BLOCK), ad, null, n, key.readKey);
  return signBlob(key, concatBytes(header, body));
}

/** Seals a link blob naming a child space (a thread of a board), in clear for blind mirrors. */
export function sealLinkBlob(key: RoomKey & { writeSecret: Uint8Array }, childWritePub: Uint8Array, nonce?: Uint8Array): Uint8Array {
  if (childWritePub.length !== LINK_BODY_LENGTH) throw new RangeError('a link names a 32-byte space public key');
  const n = nonce ?? freshNonce();
  if (n.length !== NONCE_LENGTH) throw new RangeError('a blob nonce is 24 bytes');
  return signBlob(key, concatBytes(new Uint8Array([BLOB_VERSION, BlobKind.link]), n, childWritePub));
}

/**
 * The check every relay and mirror makes without a read key: shape, size and the write
 * signature for this (space, epoch).
 */
export function checkBlob(blob: Uint8Array, key: RoomKey, maxBlobBytes: number = DEFAULT_LIMITS.maxBlobBytes): BlobCheck {
  const shape = shapeOf(blob, maxBlobBytes);
  if (!shape.ok) return shape;
  const signed = blob.subarray(0, blob.length - SIGNATURE_LENGTH);
  const sig = blob.subarray(blob.length - SIGNATURE_LENGTH);
  const message = concatBytes(signatureContext(key.writePub, key.epoch), signed);
  if (!verifySignature(sig, message, key.writePub)) return { ok: false, reason: 'bad-signature' };
  return shape;
}

/** Length, version, kind and body length: everything but the signature. */
function shapeOf(blob: Uint8Array, maxBlobBytes: number): BlobCheck {
  if (blob.length > maxBlobBytes) return { ok: false, reason: 'too-large' };
  if (blob.length < HEADER_LENGTH + SIGNATURE_LENGTH) return { ok: false, reason: 'too-short' };
  if (blob[0] !== BLOB_VERSION) return { ok: false, reason: 'bad-version' };
  const kind = blob[1]!;
  const bodyLength = blob.length - HEADER_LENGTH - SIGNATURE_LENGTH;
  if (kind === BlobKind.update || kind === BlobKind.snapshot) {
    if (bodyLength < AEAD_TAG_LENGTH) return { ok: false, reason: 'bad-body-length' };
  } else if (kind === BlobKind.link) {
    if (bodyLength !== LINK_BODY_LENGTH) return { ok: false, reason: 'bad-body-length' };
  } else {
    return { ok: false, reason: 'unknown-kind' };
  }
  return { ok: true, kind: kind as BlobKind };
}

/**
 * Full check for a reader: the write signature first, then decryption, padding and the author's
 * signature. `writeSignatureChecked`: the blob came out of an envelope doc, whose validator
 * already ran checkBlob on it for this very key, so the write signature is not checked twice.
 */
export function openBlob(
  blob: Uint8Array,
  key: ReadKey,
  maxBlobBytes: number = DEFAULT_LIMITS.maxBlobBytes,
  o: { writeSignatureChecked?: boolean } = {},
): OpenedBlob {
  const checked = o.writeSignatureChecked ? shapeOf(blob, maxBlobBytes) : checkBlob(blob, key, maxBlobBytes);
  if (!checked.ok) return checked;
  if (checked.kind === BlobKind.link) {
    return { ok: true, kind: BlobKind.link, child: blob.slice(HEADER_LENGTH, HEADER_LENGTH + LINK_BODY_LENGTH) };
  }
  const nonce = blob.subarray(2, HEADER_LENGTH);
  const body = blob.subarray(HEADER_LENGTH, blob.length - SIGNATURE_LENGTH);
  const ad = concatBytes(signatureContext(key.writePub, key.epoch), blob.subarray(0, 2));
  const padded = aeadDecrypt(body, ad, nonce, key.readKey);
  if (!padded) return { ok: false, reason: 'decrypt-failed' };
  // Unpadding looks only at the last block, so the length is checked here.
  if (padded.length % PAD_BLOCK !== 0) return { ok: false, reason: 'bad-padding' };
  const inner = unpadFromBlock(padded, PAD_BLOCK);
  if (!inner) return { ok: false, reason: 'bad-padding' };
  if (inner.length < AUTHOR_PREFIX_LENGTH) return { ok: false, reason: 'bad-inner' };
  const author = inner.slice(0, 32);
  const authorSig = inner.subarray(32, AUTHOR_PREFIX_LENGTH);
  const update = inner.slice(AUTHOR_PREFIX_LENGTH);
  const kind = checked.kind as SealedKind;
  if (!verifySignature(authorSig, authorMessage(key, kind, update), author)) {
    return { ok: false, reason: 'bad-author-signature' };
  }
  return { ok: true, kind, author, update };
}
