import { beforeAll, test } from 'vitest';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { toBase64url } from '../bytes.ts';
import { initSodium, sodium } from '../sodium.ts';
import { createSpace, deriveFileCapability, deriveThreadCapability } from '../capability.ts';
import {
  FILE_CHUNK_BYTES,
  MAX_ATTACHMENT_BYTES,
  THUMB_PADDED_BYTES,
  attachmentsSigningLine,
  checkAttachments,
  chunkFile,
  fileChunkCount,
  padThumb,
  paddedFileSize,
  safeFileName,
  sha256Hex,
  unpadThumb,
  type Attachment,
} from './attachment.ts';
import { postSigningText, signPost, verifyPost } from './post.ts';
import { testIdentity, testRoom } from '#test/support/rooms.ts';

beforeAll(async () => {
  await initSodium();
});

const KiB = 1024;
const MiB = 1024 * KiB;

function attachment(over: Partial<Record<keyof Attachment, unknown>> = {}): Attachment {
  return {
    space: testRoom(9).cap.spaceId,
    nonce: toBase64url(new Uint8Array(16).fill(7)),
    name: 'photo.jpg',
    mime: 'image/jpeg',
    size: 1234,
    sha256: 'ab'.repeat(32),
    ...over,
  } as Attachment;
}

test('files are padded to powers of two from 16 KiB and cut into equal chunks of at most 128 KiB', () => {
  assert.deepEqual([1, 16 * KiB, 16 * KiB + 1, 100 * KiB, 129 * KiB, 5 * MiB + 1, 16 * MiB].map(paddedFileSize), [16 * KiB, 16 * KiB, 32 * KiB, 128 * KiB, 256 * KiB, 8 * MiB, 16 * MiB]);
  assert.deepEqual([1, 200 * KiB, 16 * MiB].map(fileChunkCount), [1, 2, 128]);
  const bytes = new Uint8Array(300 * KiB).map((_, i) => i & 0xff);
  const chunks = chunkFile(bytes);
  assert.equal(chunks.length, 4);
  assert.ok(chunks.every((c) => c.length === FILE_CHUNK_BYTES));
  assert.deepEqual(chunks[0]!.subarray(0, 4), bytes.subarray(0, 4));
  assert.ok(chunks[3]!.every((b) => b === 0), 'the padding is zeros');
  assert.deepEqual(chunkFile(new Uint8Array(5)).map((c) => c.length), [16 * KiB]);
});

test('a thumbnail is carried padded to exactly 8 KiB, and one that does not fit is refused', () => {
  const jpeg = new Uint8Array(3000).fill(0x11);
  const thumb = padThumb(jpeg)!;
  assert.equal(thumb.length, Math.ceil((THUMB_PADDED_BYTES * 4) / 3));
  assert.deepEqual(unpadThumb(thumb), jpeg);
  assert.equal(padThumb(new Uint8Array(THUMB_PADDED_BYTES)), null);
  assert.equal(checkAttachments([attachment({ thumb })]), null);
  const unmarked = toBase64url(new Uint8Array(THUMB_PADDED_BYTES));
  assert.equal(unmarked.length, thumb.length);
  assert.match(checkAttachments([attachment({ thumb: unmarked })]) ?? 'accepted', /thumbnail/, 'no padding marker');
  assert.match(checkAttachments([attachment({ thumb: thumb.slice(0, 100) })]) ?? 'accepted', /thumbnail/, 'wrong length');
});

test('sha256Hex is SHA-256 in lowercase hex', async () => {
  const bytes = new TextEncoder().encode('baton');
  assert.equal(await sha256Hex(bytes), createHash('sha256').update(bytes).digest('hex'));
});

test('a hostile attachment list is refused: types, sizes, names, counts, duplicates', () => {
  assert.equal(checkAttachments([attachment(), attachment({ space: testRoom(10).cap.spaceId, mime: 'application/pdf', w: 3, h: 4 })]), null);
  const bad: Array<[unknown, RegExp]> = [
    ['not a list', /must be a list/],
    [[], /1 to 8/],
    [Array.from({ length: 9 }, (_, i) => attachment({ space: testRoom(20 + i).cap.spaceId })), /1 to 8/],
    [[null], /object/],
    [[attachment({ mime: 'text/html; charset=utf-8' })], /media type/],
    [[attachment({ mime: 'IMAGE/JPEG' })], /media type/],
    [[attachment({ mime: '../../x' })], /media type/],
    [[attachment({ size: MAX_ATTACHMENT_BYTES + 1 })], /16 MiB/],
    [[attachment({ size: 1e300 })], /16 MiB/],
    [[attachment({ size: -1 })], /16 MiB/],
    [[attachment({ size: 1.5 })], /16 MiB/],
    [[attachment({ size: '12' })], /16 MiB/],
    [[attachment({ name: '' })], /name/],
    [[attachment({ name: 'x'.repeat(201) })], /name/],
    [[attachment({ name: 7 })], /name/],
    [[attachment({ sha256: 'AB'.repeat(32) })], /hash/],
    [[attachment({ space: 'nope' })], /space/],
    [[attachment({ nonce: 'AAAA' })], /nonce/],
    [[attachment({ w: 10 })], /dimensions/],
    [[attachment({ w: 0, h: 5 })], /dimensions/],
    [[attachment({ mime: 'application/pdf', pages: 0 })], /page count/],
    [[attachment({ mime: 'application/pdf', pages: 2.5 })], /page count/],
    [[attachment({ mime: 'application/pdf', pages: '3' })], /page count/],
    [[attachment({ mime: 'application/pdf', pages: 100_001 })], /page count/],
    [[attachment(), attachment()], /twice/],
    [Array.from({ length: 3 }, (_, i) => attachment({ space: testRoom(40 + i).cap.spaceId, size: 12 * MiB })), /32 MiB/],
  ];
  for (const [list, reason] of bad) assert.match(checkAttachments(list) ?? 'accepted', reason, JSON.stringify(list).slice(0, 120));
});

test('a post with files signs version 2, covering the list: stripping, adding or changing a file breaks it', () => {
  const thread = testRoom(1).cap.spaceId;
  const author = testIdentity(50);
  const post = signPost(author, { threadSpaceId: thread, name: 'Ada', body: 'see the photo', attachments: [attachment({ extra: 'dropped' } as never)] });
  assert.ok(postSigningText(thread, post).startsWith('baton/post/v2\n'));
  assert.equal(verifyPost(thread, post), true);
  assert.equal('extra' in post.attachments![0]!, false, 'only the schema fields are signed and stored');
  const { attachments: _dropped, ...stripped } = post;
  assert.equal(verifyPost(thread, stripped), false, 'the list cannot be removed');
  for (const change of [{ name: 'other.jpg' }, { size: 1235 }, { sha256: 'cd'.repeat(32) }, { mime: 'image/png' }, { space: testRoom(11).cap.spaceId }]) {
    assert.equal(verifyPost(thread, { ...post, attachments: [{ ...post.attachments![0]!, ...change }] }), false, JSON.stringify(change));
  }
  const plain = signPost(author, { threadSpaceId: thread, name: 'Ada', body: 'text only' });
  assert.ok(postSigningText(thread, plain).startsWith('baton/post/v1\n'), 'posts without files sign as before');
  assert.equal(verifyPost(thread, { ...plain, attachments: post.attachments }), false, 'a list cannot be added');
  // A name holding a newline cannot end the signed line early: it is inside JSON.
  const tricky = signPost(author, { threadSpaceId: thread, name: 'Ada', body: 'b', attachments: [attachment({ name: 'a\nbaton/post/v1' })] });
  assert.equal(postSigningText(thread, tricky).split('\n').length, 8);
  assert.equal(verifyPost(thread, tricky), true);
  // A hostile list, correctly signed, is still refused.
  const hostile = { ...plain, attachments: [attachment({ size: MAX_ATTACHMENT_BYTES * 4 })] };
  hostile.sig = toBase64url(sodium().crypto_sign_detached(new TextEncoder().encode(postSigningText(thread, hostile)), author.secretKey));
  assert.equal(verifyPost(thread, hostile), false);
});

test("a PDF's page count is signed with the list; a list without one signs the line it always did", () => {
  const thread = testRoom(1).cap.spaceId;
  const author = testIdentity(50);
  const pdf = attachment({ mime: 'application/pdf', name: 'order.pdf', pages: 3 });
  assert.equal(checkAttachments([pdf]), null);
  const post = signPost(author, { threadSpaceId: thread, name: 'Ada', body: 'the order', attachments: [pdf] });
  assert.equal(post.attachments![0]!.pages, 3);
  assert.equal(verifyPost(thread, post), true);
  assert.equal(verifyPost(thread, { ...post, attachments: [{ ...post.attachments![0]!, pages: 4 }] }), false, 'a changed count');
  const { pages: _p, ...uncounted } = post.attachments![0]!;
  assert.equal(verifyPost(thread, { ...post, attachments: [uncounted] }), false, 'a count taken out');
  assert.equal(
    attachmentsSigningLine([attachment()]),
    JSON.stringify([[attachment().space, attachment().nonce, 'photo.jpg', 'image/jpeg', 1234, 'ab'.repeat(32), '', 0, 0]]),
    'the line of a file without a count is the one posts made before counts were signed',
  );
});

test('file keys derive from the thread and the nonce; a reader gets the read key only, for the id the post names', () => {
  const board = createSpace('board');
  const thread = deriveThreadCapability(board, new Uint8Array(16).fill(1));
  const nonce = new Uint8Array(16).fill(2);
  const writer = deriveFileCapability(thread, nonce);
  assert.equal(writer.kind, 'file');
  assert.ok(writer.write);
  assert.deepEqual(deriveFileCapability(thread, nonce), writer, 'deterministic');
  assert.notEqual(deriveFileCapability(thread, new Uint8Array(16).fill(3)).spaceId, writer.spaceId);
  const reader = deriveFileCapability({ ...thread, write: null }, nonce, writer.spaceId);
  assert.deepEqual(reader.readKey, writer.readKey);
  assert.equal(reader.write, null);
  assert.notDeepEqual(writer.readKey, thread.readKey);
  assert.throws(() => deriveFileCapability(board, nonce), /from a thread/);
});

test('saved file names cannot leave the folder, hide their type or name a device', () => {
  const cases: Array<[string, string, string]> = [
    ['../../.bashrc', 'image/jpeg', 'bashrc.jpg'],
    ['..\\..\\Windows\\system32\\evil.pdf', 'application/pdf', 'evil.pdf'],
    ['/etc/passwd', 'image/png', 'passwd.png'],
    ['photo.jpg.exe', 'image/jpeg', 'photo.jpg.exe.jpg'],
    ['report\u202Efdp.exe', 'application/pdf', 'report_fdp.exe.pdf'],
    ['CON', 'image/png', 'attachment-1.png'],
    ['..', 'image/webp', 'attachment-1.webp'],
    ['a\u0000b\nc.jpeg', 'image/jpeg', 'a_b_c.jpeg'],
    ['x'.repeat(300), 'application/octet-stream', 'x'.repeat(120)],
  ];
  for (const [name, mime, want] of cases) assert.equal(safeFileName(name, mime, 'attachment-1'), want, name);
  assert.ok(safeFileName('y'.repeat(300) + '.pdf', 'application/pdf', 'f').endsWith('.pdf'));
  assert.equal(safeFileName('y'.repeat(300), 'application/pdf', 'f').length, 120);
});
