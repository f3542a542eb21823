import { beforeAll, test } from 'vitest';
import assert from 'node:assert/strict';
import { concatBytes, u32be, utf8 } from './bytes.ts';
import { BlobKind, SIGNATURE_CHECKED, HEADER_LENGTH, LINK_ROLE_MOVE, PAD_BLOCK, SIGNATURE_LENGTH, checkBlob, isMoveLink, openBlob, sealLinkBlob, sealUpdateBlob, signedMessage } from './blob.ts';
import { initSodium, sodium } from './sodium.ts';
import { filled, plainUpdate, testIdentity, testRoom } from '#test/support/rooms.ts';
import { sealProtocol1Link, sealRawPlaintext, signUnsigned, signedRaw } from '#test/support/craft-blob.ts';

beforeAll(async () => {
  await initSodium();
});

const nonce = filled(9, 24);
/** Where the blobs of these tests are sealed to sit in an envelope log. */
const at = { client: 7, clock: 3 };

test('kinds 1 and 2 seal and open to the author and the update', () => {
  const room = testRoom(1);
  const author = testIdentity(50);
  const update = plainUpdate('hello', 'world');
  for (const kind of [BlobKind.update, BlobKind.snapshot] as const) {
    const blob = sealUpdateBlob(room.key, kind, author, update, at, nonce);
    assert.equal(blob[0], 2);
    assert.equal(blob[1], kind);
    assert.deepEqual(blob.subarray(2, HEADER_LENGTH), nonce);
    // Padded to a 256-byte multiple, plus the AEAD tag.
    assert.equal((blob.length - HEADER_LENGTH - SIGNATURE_LENGTH - 16) % PAD_BLOCK, 0);
    assert.deepEqual(checkBlob(blob, room.roomKey, at), { ok: true, kind });
    const opened = openBlob(blob, room.readKey, at);
    assert.ok(opened.ok && opened.kind === kind);
    assert.ok('update' in opened);
    assert.deepEqual(opened.update, update);
    assert.deepEqual(opened.author, author.publicKey);
    // Deterministic for a fixed nonce; random nonces differ.
    assert.deepEqual(sealUpdateBlob(room.key, kind, author, update, at, nonce), blob);
    assert.notDeepEqual(sealUpdateBlob(room.key, kind, author, update, at), blob);
  }
});

test('the plaintext does not appear in the blob', () => {
  const room = testRoom(1);
  const secret = 'a secret message that must not leak';
  const blob = sealUpdateBlob(room.key, BlobKind.update, testIdentity(50), plainUpdate('k', secret), at, nonce);
  assert.equal(Buffer.from(blob).includes(Buffer.from(secret)), false);
});

test('kind 3 links carry the child id in clear and open to it', () => {
  const room = testRoom(1, 0, 'board');
  const child = testRoom(2).cap.writePub;
  const blob = sealLinkBlob(room.key, child, at, nonce);
  assert.equal(blob.length, HEADER_LENGTH + 32 + SIGNATURE_LENGTH);
  assert.deepEqual(blob.subarray(HEADER_LENGTH, HEADER_LENGTH + 32), child);
  assert.deepEqual(checkBlob(blob, room.roomKey, at), { ok: true, kind: BlobKind.link });
  const opened = openBlob(blob, room.readKey, at);
  assert.ok(opened.ok && opened.kind === BlobKind.link);
  assert.deepEqual(opened.child, child);
  assert.throws(() => sealLinkBlob(room.key, new Uint8Array(31), at), RangeError);
  assert.throws(() => sealLinkBlob(room.key, child, at, new Uint8Array(23)), RangeError);
  assert.throws(() => sealUpdateBlob(room.key, 1, testIdentity(1), new Uint8Array(2), at, new Uint8Array(25)), RangeError);
});

test('a move link carries one role byte after the child, signed with it; no other role byte is valid', () => {
  const room = testRoom(1, 0, 'board');
  const child = testRoom(2).cap.writePub;
  const blob = sealLinkBlob(room.key, child, at, nonce, true);
  assert.equal(blob.length, HEADER_LENGTH + 33 + SIGNATURE_LENGTH);
  assert.equal(blob[HEADER_LENGTH + 32], LINK_ROLE_MOVE);
  assert.deepEqual(checkBlob(blob, room.roomKey, at), { ok: true, kind: BlobKind.link });
  assert.ok(isMoveLink(blob) && !isMoveLink(sealLinkBlob(room.key, child, at, nonce)));
  const opened = openBlob(blob, room.readKey, at);
  assert.ok(opened.ok && opened.kind === BlobKind.link && opened.move);
  assert.deepEqual(opened.child, child);
  // Another role byte, well signed, is a body of the wrong length; a flipped role breaks the signature.
  const unsigned = concatBytes(blob.subarray(0, HEADER_LENGTH + 32), new Uint8Array([2]));
  const other = concatBytes(unsigned, sodium().crypto_sign_detached(signedMessage(room.roomKey, at, unsigned), room.key.writeSecret));
  assert.deepEqual(checkBlob(other, room.roomKey, at), { ok: false, reason: 'bad-body-length' });
  const flipped = blob.slice();
  flipped[HEADER_LENGTH + 32] = 0;
  assert.deepEqual(checkBlob(flipped, room.roomKey, at), { ok: false, reason: 'bad-body-length' });
  const plain = concatBytes(blob.subarray(0, HEADER_LENGTH + 32), blob.subarray(HEADER_LENGTH + 33));
  assert.deepEqual(checkBlob(plain, room.roomKey, at), { ok: false, reason: 'bad-signature' }, 'the role is signed');
});

test('the write signature covers ctx: another space or another epoch fails', () => {
  const room = testRoom(1);
  const blob = sealUpdateBlob(room.key, BlobKind.update, testIdentity(50), plainUpdate('k', 'v'), at, nonce);
  assert.deepEqual(checkBlob(blob, testRoom(2).roomKey, at), { ok: false, reason: 'bad-signature' });
  assert.deepEqual(checkBlob(blob, testRoom(1, 1).roomKey, at), { ok: false, reason: 'bad-signature' });
  for (const i of [0 + 2, HEADER_LENGTH, blob.length - 1]) {
    const forged = blob.slice();
    forged[i]! ^= 1;
    assert.deepEqual(checkBlob(forged, room.roomKey, at), { ok: false, reason: 'bad-signature' }, `byte ${i}`);
  }
});

test('checkBlob refuses bad shapes with their reason codes', () => {
  const room = testRoom(1);
  const blob = sealUpdateBlob(room.key, BlobKind.update, testIdentity(50), plainUpdate('k', 'v'), at, nonce);
  assert.deepEqual(checkBlob(blob, room.roomKey, at, blob.length - 1), { ok: false, reason: 'too-large' });
  assert.deepEqual(checkBlob(blob, room.roomKey, at, blob.length), { ok: true, kind: 1 });
  assert.deepEqual(checkBlob(blob.subarray(0, 89), room.roomKey, at), { ok: false, reason: 'too-short' });
  assert.deepEqual(checkBlob(new Uint8Array(0), room.roomKey, at), { ok: false, reason: 'too-short' });
  assert.deepEqual(checkBlob(signedRaw(room.key, 3, 1, nonce, new Uint8Array(32), at), room.roomKey, at), { ok: false, reason: 'bad-version' });
  assert.deepEqual(checkBlob(signedRaw(room.key, 0, 1, nonce, new Uint8Array(32), at), room.roomKey, at), { ok: false, reason: 'bad-version' });
  for (const kind of [0, 4, 255]) {
    assert.deepEqual(checkBlob(signedRaw(room.key, 2, kind, nonce, new Uint8Array(32), at), room.roomKey, at), { ok: false, reason: 'unknown-kind' });
  }
  assert.deepEqual(checkBlob(signedRaw(room.key, 2, 1, nonce, new Uint8Array(15), at), room.roomKey, at), { ok: false, reason: 'bad-body-length' });
  assert.deepEqual(checkBlob(signedRaw(room.key, 2, 3, nonce, new Uint8Array(31), at), room.roomKey, at), { ok: false, reason: 'bad-body-length' });
  assert.deepEqual(checkBlob(signedRaw(room.key, 2, 3, nonce, new Uint8Array(33), at), room.roomKey, at), { ok: false, reason: 'bad-body-length' });
});

test('openBlob verifies the write signature before decrypting', () => {
  const room = testRoom(1);
  const s = sodium();
  const valid = sealUpdateBlob(room.key, BlobKind.update, testIdentity(50), plainUpdate('k', 'v'), at, nonce);
  const forged = valid.slice();
  forged[forged.length - 1]! ^= 0x40;
  const realDecrypt = s.crypto_aead_xchacha20poly1305_ietf_decrypt;
  let decrypts = 0;
  s.crypto_aead_xchacha20poly1305_ietf_decrypt = ((...args: Parameters<typeof realDecrypt>) => {
    decrypts++;
    return realDecrypt(...args);
  }) as typeof realDecrypt;
  try {
    assert.deepEqual(openBlob(forged, room.readKey, at), { ok: false, reason: 'bad-signature' });
    assert.equal(decrypts, 0, 'a blob with a bad write signature is never decrypted');
    assert.equal(openBlob(valid, room.readKey, at).ok, true);
    assert.equal(decrypts, 1);
  } finally {
    s.crypto_aead_xchacha20poly1305_ietf_decrypt = realDecrypt;
  }
});

test('openBlob refuses a wrong read key, bad padding, a short inner part and a bad author signature', () => {
  const room = testRoom(1);
  const author = testIdentity(50);
  const update = plainUpdate('k', 'v');
  const s = sodium();
  const blob = sealUpdateBlob(room.key, BlobKind.update, author, update, at, nonce);
  assert.deepEqual(openBlob(blob, { ...room.readKey, readKey: filled(0xee) }, at), { ok: false, reason: 'decrypt-failed' });

  const authorMessage = (kind: number, u: Uint8Array) => concatBytes(utf8('baton/update/v2'), room.cap.writePub, u32be(0), new Uint8Array([kind]), u);
  const goodInner = concatBytes(author.publicKey, s.crypto_sign_detached(authorMessage(1, update), author.secretKey), update);

  // No 0x80 marker: the padding is wrong although encryption and signature are right.
  const noMarker = concatBytes(goodInner, new Uint8Array(PAD_BLOCK - (goodInner.length % PAD_BLOCK)));
  assert.equal(checkBlob(sealRawPlaintext(room.key, 1, noMarker, nonce, at), room.roomKey, at).ok, true);
  assert.deepEqual(openBlob(sealRawPlaintext(room.key, 1, noMarker, nonce, at), room.readKey, at), { ok: false, reason: 'bad-padding' });
  // A valid marker but not padded to a block multiple.
  const shortPad = concatBytes(goodInner, new Uint8Array([0x80]));
  assert.deepEqual(openBlob(sealRawPlaintext(room.key, 1, shortPad, nonce, at), room.readKey, at), { ok: false, reason: 'bad-padding' });
  // The same past one block: unpadding alone would accept it.
  const bigUpdate = plainUpdate('k', 'x'.repeat(300));
  const bigInner = concatBytes(author.publicKey, s.crypto_sign_detached(authorMessage(1, bigUpdate), author.secretKey), bigUpdate);
  assert.ok(bigInner.length > PAD_BLOCK && (bigInner.length + 1) % PAD_BLOCK !== 0);
  assert.deepEqual(openBlob(sealRawPlaintext(room.key, 1, concatBytes(bigInner, new Uint8Array([0x80])), nonce, at), room.readKey, at), { ok: false, reason: 'bad-padding' });
  // Unpadded plaintext.
  assert.deepEqual(openBlob(sealRawPlaintext(room.key, 1, goodInner, nonce, at), room.readKey, at), { ok: false, reason: 'bad-padding' });

  // Inner part shorter than author key and signature.
  assert.deepEqual(openBlob(sealRawPlaintext(room.key, 1, s.pad(new Uint8Array(95), PAD_BLOCK), nonce, at), room.readKey, at), { ok: false, reason: 'bad-inner' });

  // The author signature covers the update, the kind, the space and the epoch.
  const otherAuthor = testIdentity(51);
  const cases: Uint8Array[] = [
    concatBytes(author.publicKey, goodInner.subarray(32, 96), plainUpdate('k', 'w')), // another update
    concatBytes(otherAuthor.publicKey, goodInner.subarray(32)), // claimed by another author
    concatBytes(author.publicKey, s.crypto_sign_detached(authorMessage(2, update), author.secretKey), update), // signed as a snapshot
  ];
  for (const inner of cases) {
    assert.deepEqual(openBlob(sealRawPlaintext(room.key, 1, s.pad(inner, PAD_BLOCK), nonce, at), room.readKey, at), { ok: false, reason: 'bad-author-signature' });
  }
  // An author key that is not a curve point fails cleanly.
  const notAPoint = concatBytes(new Uint8Array(32).fill(0xff), goodInner.subarray(32));
  assert.deepEqual(openBlob(sealRawPlaintext(room.key, 1, s.pad(notAPoint, PAD_BLOCK), nonce, at), room.readKey, at), { ok: false, reason: 'bad-author-signature' });
  // Signed for epoch 1 but sealed into epoch 0.
  const epoch1Msg = concatBytes(utf8('baton/update/v2'), room.cap.writePub, u32be(1), new Uint8Array([1]), update);
  const wrongEpoch = concatBytes(author.publicKey, s.crypto_sign_detached(epoch1Msg, author.secretKey), update);
  assert.deepEqual(openBlob(sealRawPlaintext(room.key, 1, s.pad(wrongEpoch, PAD_BLOCK), nonce, at), room.readKey, at), { ok: false, reason: 'bad-author-signature' });
  // The same inner part, properly padded, opens: the crafting above is not what fails.
  assert.equal(openBlob(sealRawPlaintext(room.key, 1, s.pad(goodInner, PAD_BLOCK), nonce, at), room.readKey, at).ok, true);
});

test('the AEAD binds the header: a re-signed blob with its kind changed does not decrypt', () => {
  const room = testRoom(1);
  const blob = sealUpdateBlob(room.key, BlobKind.update, testIdentity(50), plainUpdate('k', 'v'), at, nonce);
  const asSnapshot = blob.slice(0, blob.length - SIGNATURE_LENGTH);
  asSnapshot[1] = BlobKind.snapshot;
  assert.deepEqual(openBlob(signUnsigned(room.key, asSnapshot, at), room.readKey, at), { ok: false, reason: 'decrypt-failed' });
});

test('the write signature covers the position: the same bytes at any other id fail', () => {
  const room = testRoom(1);
  const update = sealUpdateBlob(room.key, BlobKind.update, testIdentity(50), plainUpdate('k', 'v'), at, nonce);
  const link = sealLinkBlob(room.key, testRoom(2).cap.writePub, at, nonce);
  for (const blob of [update, link]) {
    assert.equal(checkBlob(blob, room.roomKey, at).ok, true);
    for (const elsewhere of [
      { client: at.client + 1, clock: at.clock },
      { client: at.client, clock: at.clock + 1 },
      { client: at.clock, clock: at.client },
      { client: at.client + 2 ** 32, clock: at.clock }, // equal mod 2^32: not the same id
    ]) {
      const checked = checkBlob(blob, room.roomKey, elsewhere);
      assert.equal(checked.ok, false, `${elsewhere.client}:${elsewhere.clock}`);
    }
  }
  // A reader opening a blob out of a validated log skips the signature, not the shape.
  assert.equal(openBlob(update, room.readKey, SIGNATURE_CHECKED).ok, true);
  assert.deepEqual(openBlob(update, room.readKey, { client: 8, clock: 3 }), { ok: false, reason: 'bad-signature' });
});

test('positions beyond u32 cannot be sealed and are refused when checked', () => {
  const room = testRoom(1);
  const blob = sealLinkBlob(room.key, testRoom(2).cap.writePub, at, nonce);
  for (const bad of [{ client: 2 ** 32, clock: 0 }, { client: 0, clock: 2 ** 32 }, { client: -1, clock: 0 }, { client: 0.5, clock: 0 }]) {
    assert.deepEqual(checkBlob(blob, room.roomKey, bad), { ok: false, reason: 'bad-position' });
    assert.throws(() => sealLinkBlob(room.key, testRoom(2).cap.writePub, bad), RangeError);
  }
  assert.equal(checkBlob(sealLinkBlob(room.key, testRoom(2).cap.writePub, { client: 2 ** 32 - 1, clock: 2 ** 32 - 1 }), room.roomKey, { client: 2 ** 32 - 1, clock: 2 ** 32 - 1 }).ok, true);
});

test('a protocol-1 blob is refused as retired, whatever its signature', () => {
  const room = testRoom(1);
  const v1 = sealProtocol1Link(room.key, testRoom(2).cap.writePub, nonce);
  assert.deepEqual(checkBlob(v1, room.roomKey, at), { ok: false, reason: 'retired-version' });
  assert.deepEqual(openBlob(v1, room.readKey, SIGNATURE_CHECKED), { ok: false, reason: 'retired-version' });
});
