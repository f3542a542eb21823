// Blobs: the only thing relays carry (docs/PROTOCOL.md §2). Self-authenticating: anyone
// holding the space id can check the write signature; only readers can decrypt.
//
//   blob = version:u8 (=2) || kind:u8 || nonce:24 || body || sig:64
//   ctx  = "baton/v2" || writePub || epoch:u32be
//   pos  = client:u32be || clock:u32be, the Yjs id of the envelope-log item holding the blob
//   sig  = sign(ctx || pos || blob[0 .. len-64], writeSecret)
//
// The signature binds a blob to its place in the log, so its bytes are valid under one Yjs
// id only: a copy appended under a fresh id fails, which is what stops replays from
// filling a room (docs/PROTOCOL.md §8).
import { concatBytes, u32be, utf8 } from './bytes.ts';
import type { Identity } from './identity.ts';
import { DEFAULT_LIMITS } from './limits.ts';
import { padToBlock, unpadFromBlock } from './padding.ts';
import { aeadDecrypt, sodium, verifySignature } from './sodium.ts';

export const BLOB_VERSION = 2;
/** Protocol 1 blobs (no position in the signature) are retired: refused with their own reason. */
export const RETIRED_BLOB_VERSION = 1;
export const BlobKind = { update: 1, snapshot: 2, link: 3 } as const;
export type BlobKind = (typeof BlobKind)[keyof typeof BlobKind];
export type SealedKind = typeof BlobKind.update | typeof BlobKind.snapshot;

export const NONCE_LENGTH = 24;
export const SIGNATURE_LENGTH = 64;
export const HEADER_LENGTH = 2 + NONCE_LENGTH;
export const AEAD_TAG_LENGTH = 16;
export const LINK_BODY_LENGTH = 32;
/** A move link's body: the successor board's write public key, then this role byte (docs/PROTOCOL.md §2). */
export const MOVE_LINK_BODY_LENGTH = LINK_BODY_LENGTH + 1;
export const LINK_ROLE_MOVE = 1;
export const PAD_BLOCK = 256;
const AUTHOR_PREFIX_LENGTH = 32 + SIGNATURE_LENGTH;

const CTX_LABEL = utf8('baton/v2');
const AUTHOR_LABEL = utf8('baton/update/v2');
const MAX_U32 = 0xffff_ffff;

/** The Yjs id (client, clock) of the envelope-log item that holds a blob. */
export interface BlobPosition {
  client: number;
  clock: number;
}

/** Where a blob's write signature was already checked (by the envelope validator, at its own id). */
export const SIGNATURE_CHECKED = 'signature-checked';

export type BlobRejection =
  | 'too-short'
  | 'too-large'
  | 'bad-version'
  | 'retired-version'
  | 'bad-position'
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
  | { ok: true; kind: typeof BlobKind.link; child: Uint8Array; move: boolean }
  | { ok: false; reason: BlobRejection };

export function signatureContext(writePub: Uint8Array, epoch: number): Uint8Array {
  return concatBytes(CTX_LABEL, writePub, u32be(epoch));
}

/** True when both halves of the id fit in u32 (Yjs clocks and client ids do; a hostile update's may not). */
export function isSignablePosition(pos: BlobPosition): boolean {
  return isU32(pos.client) && isU32(pos.clock);
}

function isU32(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0 && n <= MAX_U32;
}

/** `pos` as signed: client:u32be || clock:u32be. */
export function encodePosition(pos: BlobPosition): Uint8Array {
  if (!isSignablePosition(pos)) throw new RangeError(`a blob position is two u32s, not ${pos.client}:${pos.clock}`);
  return concatBytes(u32be(pos.client), u32be(pos.clock));
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

/**
 * What the write signature covers: ctx || pos || blob without its signature, built in one
 * allocation (it is made once per blob checked, the relay's hottest path after Ed25519).
 */
export function signedMessage(key: RoomKey, pos: BlobPosition, unsigned: Uint8Array): Uint8Array {
  if (!isSignablePosition(pos)) throw new RangeError(`a blob position is two u32s, not ${pos.client}:${pos.clock}`);
  const head = CTX_LABEL.length + key.writePub.length;
  const out = new Uint8Array(head + 12 + unsigned.length);
  out.set(CTX_LABEL, 0);
  out.set(key.writePub, CTX_LABEL.length);
  const view = new DataView(out.buffer);
  view.setUint32(head, key.epoch);
  view.setUint32(head + 4, pos.client);
  view.setUint32(head + 8, pos.clock);
  out.set(unsigned, head + 12);
  return out;
}

function signBlob(key: RoomKey & { writeSecret: Uint8Array }, pos: BlobPosition, unsigned: Uint8Array): Uint8Array {
  const sig = sodium().crypto_sign_detached(signedMessage(key, pos, unsigned), key.writeSecret);
  return concatBytes(unsigned, sig);
}

/**
 * Seals a Yjs update of the plaintext doc (kind 1) or a whole-doc snapshot (kind 2), for the
 * log item at `pos`: the writer must append it there (appendSealed in envelope/doc.ts does).
 */
export function sealUpdateBlob(key: WriteKey, kind: SealedKind, author: Identity, update: Uint8Array, pos: BlobPosition, nonce?: Uint8Array): Uint8Array {
  const s = sodium();
  encodePosition(pos); // a bad position throws before any work
  const n = nonce ?? freshNonce();
  if (n.length !== NONCE_LENGTH) throw new RangeError('a blob nonce is 24 bytes');
  const authorSig = s.crypto_sign_detached(authorMessage(key, kind, update), author.secretKey);
  const inner = concatBytes(author.publicKey, authorSig, update);
  const header = concatBytes(new Uint8Array([BLOB_VERSION, kind]), n);
  const ad = concatBytes(signatureContext(key.writePub, key.epoch), header.subarray(0, 2));
  const body = s.crypto_aead_xchacha20poly1305_ietf_encrypt(padToBlock(inner, PAD_BLOCK), ad, null, n, key.readKey);
  return signBlob(key, pos, concatBytes(header, body));
}

/**
 * Seals a link blob naming a child space (a board's thread, a thread's file), in clear for
 * blind mirrors, for the log item at `pos`. `move`: the child is the board's successor, so a
 * mirror follows it as a board (one role byte after the key).
 */
export function sealLinkBlob(key: RoomKey & { writeSecret: Uint8Array }, childWritePub: Uint8Array, pos: BlobPosition, nonce?: Uint8Array, move = false): Uint8Array {
  if (childWritePub.length !== LINK_BODY_LENGTH) throw new RangeError('a link names a 32-byte space public key');
  const n = nonce ?? freshNonce();
  if (n.length !== NONCE_LENGTH) throw new RangeError('a blob nonce is 24 bytes');
  const role = move ? new Uint8Array([LINK_ROLE_MOVE]) : new Uint8Array(0);
  return signBlob(key, pos, concatBytes(new Uint8Array([BLOB_VERSION, BlobKind.link]), n, childWritePub, role));
}

/** True for a link blob of the move role (its shape checked elsewhere): the child is a successor board. */
export function isMoveLink(blob: Uint8Array): boolean {
  return blob[1] === BlobKind.link && blob.length === HEADER_LENGTH + MOVE_LINK_BODY_LENGTH + SIGNATURE_LENGTH && blob[HEADER_LENGTH + LINK_BODY_LENGTH] === LINK_ROLE_MOVE;
}

/**
 * The check every relay and mirror makes without a read key: shape, size and the write
 * signature for this (space, epoch) at this position in the log.
 */
export function checkBlob(blob: Uint8Array, key: RoomKey, pos: BlobPosition, maxBlobBytes: number = DEFAULT_LIMITS.maxBlobBytes): BlobCheck {
  const prepared = blobSignatureCheck(blob, key, pos, maxBlobBytes);
  if (!prepared.ok) return prepared;
  const { signature, message, publicKey } = prepared.check;
  if (!verifySignature(signature, message, publicKey)) return { ok: false, reason: 'bad-signature' };
  return { ok: true, kind: prepared.kind };
}

/** One Ed25519 check to make: the split lets a caller verify elsewhere (another thread). */
export interface SignatureCheck {
  signature: Uint8Array;
  message: Uint8Array;
  publicKey: Uint8Array;
}

/** Everything checkBlob checks but the signature, and the signature check still to make. */
export function blobSignatureCheck(
  blob: Uint8Array,
  key: RoomKey,
  pos: BlobPosition,
  maxBlobBytes: number = DEFAULT_LIMITS.maxBlobBytes,
): { ok: true; kind: BlobKind; check: SignatureCheck } | { ok: false; reason: BlobRejection } {
  const shape = shapeOf(blob, maxBlobBytes);
  if (!shape.ok) return shape;
  if (!isSignablePosition(pos)) return { ok: false, reason: 'bad-position' };
  const signed = blob.subarray(0, blob.length - SIGNATURE_LENGTH);
  const signature = blob.subarray(blob.length - SIGNATURE_LENGTH);
  return { ok: true, kind: shape.kind, check: { signature, message: signedMessage(key, pos, signed), publicKey: key.writePub } };
}

/** Length, version, kind and body length: everything but the signature. */
function shapeOf(blob: Uint8Array, maxBlobBytes: number): BlobCheck {
  if (blob.length > maxBlobBytes) return { ok: false, reason: 'too-large' };
  if (blob.length < HEADER_LENGTH + SIGNATURE_LENGTH) return { ok: false, reason: 'too-short' };
  if (blob[0] === RETIRED_BLOB_VERSION) return { ok: false, reason: 'retired-version' };
  if (blob[0] !== BLOB_VERSION) return { ok: false, reason: 'bad-version' };
  const kind = blob[1]!;
  const bodyLength = blob.length - HEADER_LENGTH - SIGNATURE_LENGTH;
  if (kind === BlobKind.update || kind === BlobKind.snapshot) {
    if (bodyLength < AEAD_TAG_LENGTH) return { ok: false, reason: 'bad-body-length' };
  } else if (kind === BlobKind.link) {
    // A plain link, or a move link whose one role byte is the only role there is.
    const move = bodyLength === MOVE_LINK_BODY_LENGTH && blob[HEADER_LENGTH + LINK_BODY_LENGTH] === LINK_ROLE_MOVE;
    if (bodyLength !== LINK_BODY_LENGTH && !move) return { ok: false, reason: 'bad-body-length' };
  } else {
    return { ok: false, reason: 'unknown-kind' };
  }
  return { ok: true, kind: kind as BlobKind };
}

/**
 * Full check for a reader: the write signature at `at` first, then decryption, padding and the
 * author's signature. `at` = SIGNATURE_CHECKED: the blob came out of an envelope doc, whose
 * validator already checked it at its own id for this very key, so it is not checked twice.
 */
export function openBlob(
  blob: Uint8Array,
  key: ReadKey,
  at: BlobPosition | typeof SIGNATURE_CHECKED,
  maxBlobBytes: number = DEFAULT_LIMITS.maxBlobBytes,
): OpenedBlob {
  const checked = at === SIGNATURE_CHECKED ? shapeOf(blob, maxBlobBytes) : checkBlob(blob, key, at, maxBlobBytes);
  if (!checked.ok) return checked;
  if (checked.kind === BlobKind.link) {
    return { ok: true, kind: BlobKind.link, child: blob.slice(HEADER_LENGTH, HEADER_LENGTH + LINK_BODY_LENGTH), move: isMoveLink(blob) };
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
