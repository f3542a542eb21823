// Checks the JSON test vectors in both directions: the generator reproduces the files byte
// for byte, sealing each valid vector's inputs gives its blob, and shared/ reads every
// vector as the file says.
import { beforeAll, test } from 'vitest';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { concatBytes, toBase64url, utf8 } from '#shared/bytes.ts';
import { BlobKind, checkBlob, openBlob, sealLinkBlob, sealUpdateBlob, type SealedKind } from '#shared/blob.ts';
import { CapabilityError, accessLevel, capabilityFromSeeds, deriveThreadCapability, formatCapability, parseCapability, parseCapabilityOrLink, restrictCapability } from '#shared/capability.ts';
import { identityFromSeed } from '#shared/identity.ts';
import { parseRoomName, publicKeyFromSpaceId, type SpaceId } from '#shared/ids.ts';
import { initSodium, sodium } from '#shared/sodium.ts';
import { VECTOR_FILES, buildBlobVectors, buildCapabilityVectors, buildThreadVectors, unhex, vectorText } from '../vectors/generate.ts';

const load = <T>(name: string): T => JSON.parse(readFileSync(new URL(`../vectors/${name}`, import.meta.url), 'utf8')) as T;
type BlobFile = ReturnType<typeof buildBlobVectors>;
type CapabilityFile = ReturnType<typeof buildCapabilityVectors>;
type ThreadFile = ReturnType<typeof buildThreadVectors>;

beforeAll(async () => {
  await initSodium();
});

test('the generator reproduces every vector file exactly', () => {
  for (const [name, build] of Object.entries(VECTOR_FILES)) {
    const onDisk = readFileSync(new URL(`../vectors/${name}`, import.meta.url), 'utf8');
    assert.equal(vectorText(build()), onDisk, `${name} is stale: run node --import tsx test/vectors/generate.ts`);
  }
});

test('valid blob vectors: sealing the inputs gives the blob, and the blob opens to the inputs', () => {
  const { valid } = load<BlobFile>('blobs.json');
  assert.deepEqual(valid.map((v) => v.kind).sort(), [1, 2, 3, 3]);
  for (const v of valid) {
    const cap = capabilityFromSeeds('thread', unhex(v.writeSeed), unhex(v.readKey));
    assert.equal(cap.spaceId, v.spaceId, v.name);
    const key = { writePub: cap.writePub, epoch: v.epoch, readKey: cap.readKey!, writeSecret: cap.write!.secretKey };
    const blob = unhex(v.blob);
    const pos = { client: v.client, clock: v.clock };
    assert.deepEqual(checkBlob(blob, key, pos), { ok: true, kind: v.kind }, v.name);
    const opened = openBlob(blob, key, pos);
    if (v.kind === BlobKind.link) {
      assert.deepEqual(sealLinkBlob(key, unhex(v.child!), pos, unhex(v.nonce), v.move === true), blob, v.name);
      assert.ok(opened.ok && 'child' in opened);
      assert.deepEqual(opened.child, unhex(v.child!));
      assert.equal(opened.move, v.move === true, v.name);
    } else {
      const author = identityFromSeed(unhex(v.authorSeed!));
      assert.deepEqual(author.publicKey, unhex(v.authorPub!));
      assert.deepEqual(sealUpdateBlob(key, v.kind as SealedKind, author, unhex(v.update!), pos, unhex(v.nonce)), blob, v.name);
      assert.ok(opened.ok && 'update' in opened, v.name);
      assert.equal(opened.kind, v.kind);
      assert.deepEqual(opened.author, author.publicKey);
      assert.deepEqual(opened.update, unhex(v.update!));
    }
  }
});

test('invalid blob vectors fail with their reason codes', () => {
  const { invalid } = load<BlobFile>('blobs.json');
  const names = invalid.map((v) => v.name);
  for (const required of ['wrong signature', 'wrong space', 'wrong epoch', 'truncated', 'unknown kind', 'oversized', 'bad padding', 'bad author signature', 'bad version', 'another client', 'another clock', 'clock beyond u32', 'protocol 1']) {
    assert.ok(names.includes(required), `missing vector: ${required}`);
  }
  for (const v of invalid) {
    const writePub = publicKeyFromSpaceId(v.spaceId);
    assert.ok(writePub, v.name);
    const blob = unhex(v.blob);
    const pos = { client: v.client, clock: v.clock };
    const checked = checkBlob(blob, { writePub, epoch: v.epoch }, pos, v.maxBlobBytes);
    assert.equal(checked.ok ? 'ok' : checked.reason, v.check, `${v.name}: check`);
    const opened = openBlob(blob, { writePub, epoch: v.epoch, readKey: unhex(v.readKey) }, pos, v.maxBlobBytes);
    assert.equal(opened.ok ? 'ok' : opened.reason, v.open, `${v.name}: open`);
  }
});

test('capability vectors parse, format back, and fail with their codes', () => {
  const { valid, links, invalid, rooms } = load<CapabilityFile>('capabilities.json');
  for (const v of valid) {
    const cap = parseCapability(v.text);
    assert.equal(cap.kind, v.kind);
    assert.equal(accessLevel(cap), v.level);
    assert.equal(cap.spaceId, v.spaceId);
    assert.deepEqual(cap.readKey, v.readKey ? unhex(v.readKey) : null);
    assert.deepEqual(cap.write?.seed ?? null, v.writeSeed ? unhex(v.writeSeed) : null);
    assert.deepEqual(cap.relays, v.relays);
    assert.equal(formatCapability(cap), v.text);
  }
  for (const l of links) {
    const cap = parseCapabilityOrLink(l.link);
    assert.equal(formatCapability(cap), l.capability);
    assert.deepEqual(cap.relays, l.relays);
  }
  for (const v of invalid) {
    assert.throws(() => parseCapability(v.text), (err: unknown) => err instanceof CapabilityError && err.code === v.error, v.text);
  }
  for (const name of rooms.valid) assert.ok(parseRoomName(name), name);
  for (const name of rooms.invalid) assert.equal(parseRoomName(name), null, name);
});

test('thread vectors: a board writer and a board reader derive them, by the formulas of docs/PROTOCOL.md §1', () => {
  const v = load<ThreadFile>('threads.json');
  const board = capabilityFromSeeds('board', unhex(v.boardWriteSeed), unhex(v.boardReadKey));
  assert.equal(board.spaceId, v.boardSpaceId);
  const reader = restrictCapability(board, 'read');
  const s = sodium();
  for (const t of v.threads) {
    const nonce = unhex(t.threadNonce);
    const byWriter = deriveThreadCapability(board, nonce);
    assert.equal(formatCapability(byWriter), t.threadCapability);
    assert.equal(byWriter.spaceId, t.threadSpaceId);
    assert.equal(toBase64url(s.crypto_generichash(32, concatBytes(utf8('baton/thread-write/v1'), nonce), board.write!.seed)), toBase64url(unhex(t.threadWriteSeed)));
    assert.deepEqual(s.crypto_generichash(32, concatBytes(utf8('baton/thread-read/v1'), nonce), board.readKey!), unhex(t.threadReadKey));
    const byReader = deriveThreadCapability(reader, nonce, t.threadSpaceId as SpaceId);
    assert.deepEqual(byReader.readKey, unhex(t.threadReadKey));
    assert.equal(byReader.write, null);
  }
});
