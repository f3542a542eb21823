// Generates the test vectors in this folder from fixed seeds and nonces. Ed25519 and
// XChaCha20-Poly1305 are deterministic, so running it again gives the same bytes:
//   node --import tsx test/vectors/generate.ts
// test/unit/vectors.test.ts checks the files against this script and against shared/.
import { writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as Y from 'yjs';
import { concatBytes, toBase64url, u32be, utf8 } from '#shared/bytes.ts';
import { BlobKind, PAD_BLOCK, checkBlob, openBlob, sealLinkBlob, sealUpdateBlob, type WriteKey } from '#shared/blob.ts';
import { capabilityFromSeeds, deriveThreadCapability, formatCapability, formatWebLink, withRelays, type SpaceKind } from '#shared/capability.ts';
import { identityFromSeed } from '#shared/identity.ts';
import { initSodium, sodium } from '#shared/sodium.ts';
import { sealProtocol1Link, sealRawPlaintext, signedRaw } from '../support/craft-blob.ts';

export const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
export const unhex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'hex'));
/** A readable fixed byte string: `length` bytes counting up from `start`. */
const counting = (start: number, length = 32): Uint8Array => new Uint8Array(length).map((_, i) => (start + i) & 0xff);

export interface ValidBlobVector {
  name: string;
  kind: number;
  writeSeed: string;
  readKey: string;
  spaceId: string;
  epoch: number;
  /** The Yjs id (client, clock) of the envelope-log item the blob is sealed for. */
  client: number;
  clock: number;
  nonce: string;
  /** Kinds 1 and 2: the author's identity seed and public key and the inner Yjs update. */
  authorSeed?: string;
  authorPub?: string;
  update?: string;
  /** Kind 3: the child space's public key. */
  child?: string;
  /** Kind 3: a move link (the role byte 0x01 after the key: the child is a successor board). */
  move?: boolean;
  blob: string;
}

export interface InvalidBlobVector {
  name: string;
  description: string;
  /** The room the blob is checked for. */
  spaceId: string;
  epoch: number;
  readKey: string;
  /** The Yjs id the blob is checked at. */
  client: number;
  clock: number;
  /** Set where the vector needs a smaller limit than the default 256 KiB. */
  maxBlobBytes?: number;
  blob: string;
  /** checkBlob (no read key): "ok" or the rejection reason. */
  check: string;
  /** openBlob (with the read key): the rejection reason. */
  open: string;
}

/** A Yjs v1 update with a fixed client id, so its bytes are fixed too. */
function fixedUpdate(text: string): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = 1;
  doc.getMap('posts').set('hello', text);
  return Y.encodeStateAsUpdate(doc);
}

export function buildBlobVectors() {
  const s = sodium();
  const space = capabilityFromSeeds('thread', counting(0), counting(100));
  const other = capabilityFromSeeds('thread', counting(200), counting(150));
  const keyAt = (epoch: number): WriteKey => ({ writePub: space.writePub, epoch, readKey: space.readKey!, writeSecret: space.write!.secretKey });
  const author = identityFromSeed(counting(50));
  const update = fixedUpdate('Hello, Baton');
  const nonce = counting(7, 24);
  // Ids as Yjs makes them: random u32 client ids, clocks from 0. The update's is the one the invalid vectors move.
  const at = { client: 0x9e3779b9, clock: 41 };
  const snapshotAt = { client: 7, clock: 0 };
  const linkAt = { client: 0xffffffff, clock: 0xffffffff };
  const room = (epoch: number) => ({ spaceId: space.spaceId, epoch, readKey: hex(space.readKey!), ...at });
  const sealedCommon = { writeSeed: hex(space.write!.seed), readKey: hex(space.readKey!), spaceId: space.spaceId, authorSeed: hex(author.seed), authorPub: hex(author.publicKey) };

  const update0 = sealUpdateBlob(keyAt(0), BlobKind.update, author, update, at, nonce);
  const snapshot = sealUpdateBlob(keyAt(3), BlobKind.snapshot, author, update, snapshotAt, counting(31, 24));
  const link = sealLinkBlob(keyAt(0), other.writePub, linkAt, counting(9, 24));
  const moveLink = sealLinkBlob(keyAt(0), other.writePub, at, counting(9, 24), true);
  const valid: ValidBlobVector[] = [
    { name: 'update', kind: 1, ...sealedCommon, epoch: 0, ...at, nonce: hex(nonce), update: hex(update), blob: hex(update0) },
    { name: 'snapshot in epoch 3', kind: 2, ...sealedCommon, epoch: 3, ...snapshotAt, nonce: hex(counting(31, 24)), update: hex(update), blob: hex(snapshot) },
    { name: 'link at the largest id', kind: 3, writeSeed: sealedCommon.writeSeed, readKey: sealedCommon.readKey, spaceId: space.spaceId, epoch: 0, ...linkAt, nonce: hex(counting(9, 24)), child: hex(other.writePub), blob: hex(link) },
    { name: 'move link', kind: 3, writeSeed: sealedCommon.writeSeed, readKey: sealedCommon.readKey, spaceId: space.spaceId, epoch: 0, ...at, nonce: hex(counting(9, 24)), child: hex(other.writePub), move: true, blob: hex(moveLink) },
  ];

  const authorMessage = (kind: number, u: Uint8Array) => concatBytes(utf8('baton/update/v2'), space.writePub, u32be(0), new Uint8Array([kind]), u);
  const authorSig = s.crypto_sign_detached(authorMessage(1, update), author.secretKey);
  const inner = concatBytes(author.publicKey, authorSig, update);
  const flippedSig = update0.slice();
  flippedSig[flippedSig.length - 1]! ^= 0x01;
  const big = sealUpdateBlob(keyAt(0), BlobKind.update, author, fixedUpdate('x'.repeat(900)), at, nonce);

  const invalid: InvalidBlobVector[] = [
    { name: 'wrong signature', description: 'the update vector with the last signature byte flipped', ...room(0), blob: hex(flippedSig), check: 'bad-signature', open: 'bad-signature' },
    { name: 'wrong space', description: 'the update vector checked for another space', ...room(0), spaceId: other.spaceId, readKey: hex(other.readKey!), blob: hex(update0), check: 'bad-signature', open: 'bad-signature' },
    { name: 'wrong epoch', description: 'the update vector (epoch 0) checked for epoch 1', ...room(1), blob: hex(update0), check: 'bad-signature', open: 'bad-signature' },
    { name: 'another client', description: 'the update vector checked at another client id (the same clock): a replay under a fresh Yjs client', ...room(0), client: at.client + 1, blob: hex(update0), check: 'bad-signature', open: 'bad-signature' },
    { name: 'another clock', description: 'the update vector checked at the next clock of its own client', ...room(0), clock: at.clock + 1, blob: hex(update0), check: 'bad-signature', open: 'bad-signature' },
    { name: 'clock beyond u32', description: 'the update vector checked at clock 2^32 (a clock Yjs never reaches and the signature cannot carry)', ...room(0), clock: 2 ** 32, blob: hex(update0), check: 'bad-position', open: 'bad-position' },
    { name: 'protocol 1', description: 'a version-1 link blob signed as protocol 1 did (ctx "baton/v1", no position)', ...room(0), blob: hex(sealProtocol1Link(keyAt(0), other.writePub, counting(9, 24))), check: 'retired-version', open: 'retired-version' },
    { name: 'truncated', description: 'the first 89 bytes of the update vector: shorter than header and signature', ...room(0), blob: hex(update0.subarray(0, 89)), check: 'too-short', open: 'too-short' },
    { name: 'truncated body', description: 'the update vector without its last 100 bytes', ...room(0), blob: hex(update0.subarray(0, update0.length - 100)), check: 'bad-signature', open: 'bad-signature' },
    { name: 'unknown kind', description: 'kind 4, properly signed', ...room(0), blob: hex(signedRaw(keyAt(0), 2, 4, nonce, counting(0, 32), at)), check: 'unknown-kind', open: 'unknown-kind' },
    { name: 'oversized', description: 'a valid update blob over a 1024-byte limit', ...room(0), maxBlobBytes: 1024, blob: hex(big), check: 'too-large', open: 'too-large' },
    { name: 'bad version', description: 'version 3, properly signed', ...room(0), blob: hex(signedRaw(keyAt(0), 3, 1, nonce, counting(0, 32), at)), check: 'bad-version', open: 'bad-version' },
    { name: 'link of an unknown role', description: 'a kind 3 body of 33 bytes whose role byte is 2, properly signed', ...room(0), blob: hex(signedRaw(keyAt(0), 2, 3, nonce, concatBytes(other.writePub, new Uint8Array([2])), at)), check: 'bad-body-length', open: 'bad-body-length' },
    { name: 'short link', description: 'a kind 3 body of 31 bytes, properly signed', ...room(0), blob: hex(signedRaw(keyAt(0), 2, 3, nonce, counting(0, 31), at)), check: 'bad-body-length', open: 'bad-body-length' },
    { name: 'short sealed body', description: 'a kind 1 body of 15 bytes (less than the AEAD tag), properly signed', ...room(0), blob: hex(signedRaw(keyAt(0), 2, 1, nonce, counting(0, 15), at)), check: 'bad-body-length', open: 'bad-body-length' },
    { name: 'wrong read key', description: 'a valid update blob opened with another read key', ...room(0), readKey: hex(counting(1)), blob: hex(update0), check: 'ok', open: 'decrypt-failed' },
    {
      name: 'bad padding',
      description: 'plaintext = inner part followed by zeros to a 256-byte multiple (no 0x80 marker), encrypted and signed properly',
      ...room(0),
      blob: hex(sealRawPlaintext(keyAt(0), 1, concatBytes(inner, new Uint8Array(PAD_BLOCK - inner.length)), nonce, at)),
      check: 'ok',
      open: 'bad-padding',
    },
    {
      name: 'bad padding length',
      description: 'plaintext = inner part, 0x80, then zeros to 300 bytes (not a 256-byte multiple), encrypted and signed properly',
      ...room(0),
      blob: hex(sealRawPlaintext(keyAt(0), 1, concatBytes(inner, new Uint8Array([0x80]), new Uint8Array(300 - inner.length - 1)), nonce, at)),
      check: 'ok',
      open: 'bad-padding',
    },
    {
      name: 'short inner',
      description: 'a properly padded plaintext of 95 bytes: too short for author key and signature',
      ...room(0),
      blob: hex(sealRawPlaintext(keyAt(0), 1, s.pad(counting(0, 95), PAD_BLOCK), nonce, at)),
      check: 'ok',
      open: 'bad-inner',
    },
    {
      name: 'bad author signature',
      description: 'the author signature covers kind 2 but the blob is kind 1; padded, encrypted and signed properly',
      ...room(0),
      blob: hex(sealRawPlaintext(keyAt(0), 1, s.pad(concatBytes(author.publicKey, s.crypto_sign_detached(authorMessage(2, update), author.secretKey), update), PAD_BLOCK), nonce, at)),
      check: 'ok',
      open: 'bad-author-signature',
    },
  ];
  return {
    description:
      'Baton blobs, protocol 2 (docs/PROTOCOL.md §2). Bytes in hex, space ids in base64url; `client` and `clock` are the Yjs id of the envelope-log item the blob sits in, which the write signature covers. Valid vectors: sealing the inputs gives `blob` exactly. Invalid vectors: `check` is the verdict without a read key, `open` the verdict with it, both at (`client`, `clock`).',
    valid,
    invalid,
  };
}

export function buildCapabilityVectors() {
  const board = capabilityFromSeeds('board', counting(10), counting(20));
  const thread = capabilityFromSeeds('thread', counting(30), counting(40));
  const hinted = withRelays(board, ['https://relay.example.org', 'http://127.0.0.1:8080/baton']);
  const describe = (kind: SpaceKind, text: string, level: string, readKey: Uint8Array | null, writeSeed: Uint8Array | null, relays: string[]) => ({
    text,
    kind,
    level,
    spaceId: text.split(':')[2]!.split('?')[0]!,
    readKey: readKey ? hex(readKey) : null,
    writeSeed: writeSeed ? hex(writeSeed) : null,
    relays,
  });
  const id = board.spaceId;
  const rk = toBase64url(board.readKey!);
  const ws = toBase64url(board.write!.seed);
  return {
    description: 'Baton capabilities (docs/PROTOCOL.md §1). Keys in hex; `text` is the canonical form that parsing and formatting round-trip.',
    valid: [
      describe('board', formatCapability(board), 'write', board.readKey, board.write!.seed, []),
      describe('board', formatCapability(board, 'read'), 'read', board.readKey, null, []),
      describe('board', formatCapability(board, 'mirror'), 'mirror', null, null, []),
      describe('thread', formatCapability(thread, 'read'), 'read', thread.readKey, null, []),
      describe('board', formatCapability(hinted, 'read'), 'read', board.readKey, null, hinted.relays),
    ],
    links: [{ link: formatWebLink(hinted, 'https://relay.example.org/', 'read'), capability: formatCapability(hinted, 'read'), relays: hinted.relays }],
    invalid: [
      { text: 'https://example.org/', error: 'not-a-capability' },
      { text: `baton:board`, error: 'not-a-capability' },
      { text: `baton:board:${id}:${rk}:${ws}:more`, error: 'not-a-capability' },
      { text: `baton:forum:${id}`, error: 'bad-kind' },
      { text: `baton:board:${id.slice(0, 42)}`, error: 'bad-space-id' },
      { text: `baton:board:${id.slice(0, 42)}+`, error: 'bad-space-id' },
      { text: `baton:board:${id}:${rk}=`, error: 'bad-read-key' },
      { text: `baton:board:${id}:${rk.slice(0, 42)}B`, error: 'bad-read-key' },
      { text: `baton:board:${id}:${rk}:${ws.slice(1)}`, error: 'bad-write-seed' },
      { text: `baton:board:${id}:${rk}:${toBase64url(thread.write!.seed)}`, error: 'write-seed-mismatch' },
      { text: `baton:board:${id}?relays=ftp%3A%2F%2Frelay.example.org`, error: 'bad-relay' },
      { text: `baton:board:${id}?relays=%E0%A4%A`, error: 'bad-relay' },
    ],
    rooms: {
      valid: [`${id}.0`, `${id}.7`, `${id}.4294967295`],
      invalid: [`${id}`, `${id}.01`, `${id}.-1`, `${id}.4294967296`, `${id}.1.0`, `${id.slice(1)}.0`, `${id}.0 `],
    },
  };
}

export function buildThreadVectors() {
  const board = capabilityFromSeeds('board', counting(60), counting(70));
  const vectors = [counting(80, 16), counting(96, 16)].map((nonce) => {
    const thread = deriveThreadCapability(board, nonce);
    return {
      threadNonce: hex(nonce),
      threadWriteSeed: hex(thread.write!.seed),
      threadReadKey: hex(thread.readKey!),
      threadSpaceId: thread.spaceId,
      threadCapability: formatCapability(thread),
    };
  });
  return {
    description: 'Thread derivation (docs/PROTOCOL.md §1): thread write seed and read key from the board keys and a 16-byte nonce. Bytes in hex.',
    boardWriteSeed: hex(board.write!.seed),
    boardReadKey: hex(board.readKey!),
    boardSpaceId: board.spaceId,
    threads: vectors,
  };
}

export const VECTOR_FILES = {
  'blobs.json': buildBlobVectors,
  'capabilities.json': buildCapabilityVectors,
  'threads.json': buildThreadVectors,
} as const;

export const vectorText = (data: unknown): string => `${JSON.stringify(data, null, 2)}\n`;

async function main(): Promise<void> {
  await initSodium();
  // Sanity: the valid blobs open, so a broken generator cannot write broken vectors.
  for (const v of buildBlobVectors().valid) {
    const key = { writePub: capabilityFromSeeds('thread', unhex(v.writeSeed), unhex(v.readKey)).writePub, epoch: v.epoch, readKey: unhex(v.readKey) };
    const pos = { client: v.client, clock: v.clock };
    if (!checkBlob(unhex(v.blob), key, pos).ok || !openBlob(unhex(v.blob), key, pos).ok) throw new Error(`vector ${v.name} does not open`);
  }
  for (const [name, build] of Object.entries(VECTOR_FILES)) {
    writeFileSync(fileURLToPath(new URL(name, import.meta.url)), vectorText(build()));
    console.log(`wrote test/vectors/${name}`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
