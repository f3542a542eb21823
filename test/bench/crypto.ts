// Crypto: blob seal/open throughput (shared/blob.ts, libsodium) at 1 KiB and 1 MiB against
// node:crypto ChaCha20-Poly1305 of the same sizes (no signatures), and the parts that tell
// where the time goes: XChaCha20-Poly1305 and Ed25519 in libsodium and in node:crypto.
//   node --import tsx test/bench/crypto.ts
// Prints the figures and records them in docs/BENCHMARKS.md.
import { createCipheriv, createDecipheriv, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { BlobKind, openBlob, sealUpdateBlob, signatureContext, PAD_BLOCK } from '#shared/blob.ts';
import { concatBytes } from '#shared/bytes.ts';
import { padToBlock, unpadFromBlock } from '#shared/padding.ts';
import { initSodium } from '#shared/sodium.ts';
import { testIdentity, testRoom } from '../support/rooms.ts';
import { describeMachine, loadAverage } from './lib/machine.ts';
import { recordSection, table, today } from './lib/report.ts';
import { fmt } from './lib/stats.ts';
import { finish } from './lib/finish.ts';
import { xchachaDecryptNode, xchachaEncryptNode } from '#client-node/xchacha.ts';

const SIZES = [1024, 1024 * 1024];
const ROUNDS = 9;
/** Each measurement repeats the operation for at least this long. */
const MIN_MS = 60;

const s = await initSodium();
const room = testRoom(9);
const author = testIdentity(3);
const key32 = s.randombytes_buf(32);
const nonce24 = s.randombytes_buf(24);
const nonce12 = s.randombytes_buf(12);
const ad = concatBytes(signatureContext(room.cap.writePub, 0), new Uint8Array([1, 1]));

// Ed25519 keys for node:crypto, from the same seed libsodium uses (PKCS#8 / SPKI DER wrappers).
const seed = author.seed;
const nodePrivate: KeyObject = createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), Buffer.from(seed)]), format: 'der', type: 'pkcs8' });
const nodePublic: KeyObject = createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(author.publicKey)]), format: 'der', type: 'spki' });

function chachaEncrypt(message: Uint8Array): Uint8Array {
  const c = createCipheriv('chacha20-poly1305', key32, nonce12, { authTagLength: 16 });
  c.setAAD(ad, { plaintextLength: message.length });
  const out = Buffer.concat([c.update(message), c.final(), c.getAuthTag()]);
  return out;
}
function chachaDecrypt(sealed: Uint8Array): Uint8Array {
  const d = createDecipheriv('chacha20-poly1305', key32, nonce12, { authTagLength: 16 });
  d.setAAD(ad, { plaintextLength: sealed.length - 16 });
  d.setAuthTag(sealed.subarray(sealed.length - 16));
  return Buffer.concat([d.update(sealed.subarray(0, sealed.length - 16)), d.final()]);
}

/** Microseconds per call: best of ROUNDS interleaved rounds, each at least MIN_MS long. */
function measure(fns: Record<string, () => unknown>): Record<string, number> {
  const best: Record<string, number> = {};
  for (const fn of Object.values(fns)) fn();
  for (let r = 0; r < ROUNDS; r++) {
    for (const [name, fn] of Object.entries(fns)) {
      let n = 0;
      const t0 = performance.now();
      let t = t0;
      while (t - t0 < MIN_MS) {
        fn();
        n++;
        t = performance.now();
      }
      best[name] = Math.min(best[name] ?? Infinity, ((t - t0) * 1000) / n);
    }
  }
  return best;
}

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`self-check failed: ${what}`);
}

const machine = describeMachine();
console.log(`Crypto (${machine}, load ${loadAverage()}), best of ${ROUNDS} rounds of at least ${MIN_MS} ms`);
const wholeRows: (string | number)[][] = [];
const partRows: (string | number)[][] = [];
const notes: string[] = [];
const changes: (string | number)[][] = [];
const mbps = (bytes: number, us: number) => fmt(bytes / us, bytes >= 65536 ? 0 : 1); // bytes per µs = MB/s

for (const size of SIZES) {
  const label = size >= 1024 * 1024 ? '1 MiB' : '1 KiB';
  const update = s.randombytes_buf(size);
  const maxBlobBytes = size * 2 + 4096;
  const at = { client: 0x9e3779b9, clock: 41 };
  const blob = sealUpdateBlob(room.key, BlobKind.update, author, update, at);
  const opened = openBlob(blob, room.readKey, at, maxBlobBytes);
  check(opened.ok && 'update' in opened && opened.update.length === size, 'openBlob round trip');
  const chachaSealed = chachaEncrypt(update);
  check(chachaDecrypt(chachaSealed).length === size, 'node chacha round trip');
  const padded = s.pad(update, PAD_BLOCK);
  const xSealed = s.crypto_aead_xchacha20poly1305_ietf_encrypt(padded, ad, null, nonce24, key32);
  check(Buffer.from(xchachaEncryptNode(padded, ad, nonce24, key32)).equals(Buffer.from(xSealed)), 'node XChaCha equals libsodium');
  const signed = concatBytes(signatureContext(room.cap.writePub, 0), blob.subarray(0, blob.length - 64));
  const sodiumSig = s.crypto_sign_detached(signed, author.secretKey);
  const nodeSig = sign(null, signed, nodePrivate);
  check(Buffer.from(nodeSig).equals(Buffer.from(sodiumSig)), 'node Ed25519 equals libsodium');

  const t = measure({
    seal: () => sealUpdateBlob(room.key, BlobKind.update, author, update, at),
    open: () => openBlob(blob, room.readKey, at, maxBlobBytes),
    chachaEnc: () => chachaEncrypt(update),
    chachaDec: () => chachaDecrypt(chachaSealed),
    xEncSodium: () => s.crypto_aead_xchacha20poly1305_ietf_encrypt(padded, ad, null, nonce24, key32),
    xDecSodium: () => s.crypto_aead_xchacha20poly1305_ietf_decrypt(null, xSealed, ad, nonce24, key32),
    xEncNode: () => xchachaEncryptNode(padded, ad, nonce24, key32),
    xDecNode: () => xchachaDecryptNode(xSealed, ad, nonce24, key32),
    signSodium: () => s.crypto_sign_detached(signed, author.secretKey),
    verifySodium: () => s.crypto_sign_verify_detached(sodiumSig, signed, author.publicKey),
    signNode: () => sign(null, signed, nodePrivate),
    verifyNode: () => verify(null, signed, nodePublic, nodeSig),
    pad: () => padToBlock(update, PAD_BLOCK),
    unpad: () => unpadFromBlock(padded, PAD_BLOCK),
    sodiumPad: () => s.pad(update, PAD_BLOCK),
    sodiumUnpad: () => s.unpad(padded, PAD_BLOCK),
    sodiumNonce: () => s.randombytes_buf(24),
    webNonce: () => globalThis.crypto.getRandomValues(new Uint8Array(24)),
    concat: () => concatBytes(update, nonce24),
  });

  const row = (what: string, baton: number, node: number, nodeName: string) => {
    wholeRows.push([label, what, fmt(baton, 1), fmt(1e6 / baton), mbps(size, baton), nodeName, fmt(node, 1), fmt(1e6 / node), mbps(size, node), `${fmt(baton / node, 1)}x`]);
  };
  row('seal (sealUpdateBlob)', t.seal!, t.chachaEnc!, 'chacha20-poly1305 encrypt');
  row('open (openBlob)', t.open!, t.chachaDec!, 'chacha20-poly1305 decrypt');

  const part = (what: string, sodiumUs: number, nodeUs: number) => {
    partRows.push([label, what, fmt(sodiumUs, 1), mbps(size, sodiumUs), fmt(nodeUs, 1), mbps(size, nodeUs), `${fmt(sodiumUs / nodeUs, 1)}x`]);
  };
  part('XChaCha20-Poly1305 encrypt (padded)', t.xEncSodium!, t.xEncNode!);
  part('XChaCha20-Poly1305 decrypt', t.xDecSodium!, t.xDecNode!);
  part('Ed25519 sign (the signed blob)', t.signSodium!, t.signNode!);
  part('Ed25519 verify (the signed blob)', t.verifySodium!, t.verifyNode!);

  // Seal = author sign + pad + encrypt + write sign (+ copies); open = verify + decrypt + unpad + verify.
  const sealParts = 2 * t.signSodium! + t.pad! + t.xEncSodium!;
  const openParts = 2 * t.verifySodium! + t.xDecSodium! + t.unpad!;
  const share = (x: number, total: number) => `${fmt((x / total) * 100)} %`;
  notes.push(
    `- ${label} seal ${fmt(t.seal!, 1)} µs: two Ed25519 signatures ${share(2 * t.signSodium!, t.seal!)}, padding ${share(t.pad!, t.seal!)}, XChaCha20-Poly1305 ${share(t.xEncSodium!, t.seal!)}, the rest (nonce, copies, concatenation) ${share(Math.max(0, t.seal! - sealParts), t.seal!)}. ` +
      `Open ${fmt(t.open!, 1)} µs: two verifications ${share(2 * t.verifySodium!, t.open!)}, decryption ${share(t.xDecSodium!, t.open!)}, unpadding ${share(t.unpad!, t.open!)}, the rest ${share(Math.max(0, t.open! - openParts), t.open!)}.`,
  );
  changes.push(
    [label, 'padding (sodium.pad / padToBlock)', fmt(t.sodiumPad!, 1), fmt(t.pad!, 1)],
    [label, 'unpadding (sodium.unpad / unpadFromBlock)', fmt(t.sodiumUnpad!, 1), fmt(t.unpad!, 1)],
  );
  if (size === SIZES[0]) changes.push(['-', '24-byte nonce (randombytes_buf / getRandomValues)', fmt(t.sodiumNonce!, 1), fmt(t.webNonce!, 1)]);
  for (const r of wholeRows.slice(-2)) console.log(`  ${r[0]} ${String(r[1]).padEnd(22)} ${String(r[2]).padStart(9)} µs (${r[4]} MB/s) vs ${r[5]} ${r[6]} µs (${r[8]} MB/s): ${r[9]}`);
  for (const r of partRows.slice(-4)) console.log(`  ${r[0]} ${String(r[1]).padEnd(36)} libsodium ${String(r[2]).padStart(9)} µs, node ${String(r[4]).padStart(9)} µs: ${r[6]}`);
  console.log(`  ${notes.at(-1)!.slice(2)}`);
  console.log(`  padding ${fmt(t.pad!, 1)} µs (sodium.pad ${fmt(t.sodiumPad!, 1)}), unpadding ${fmt(t.unpad!, 1)} µs (sodium.unpad ${fmt(t.sodiumUnpad!, 1)}), nonce ${fmt(t.webNonce!, 1)} µs (randombytes_buf ${fmt(t.sodiumNonce!, 1)}), one copy of the update ${fmt(t.concat!, 1)} µs`);
}

recordSection(
  'Crypto',
  [
    `\`node --import tsx test/bench/crypto.ts\` on ${machine} (one-minute load average ${loadAverage()}); time per operation, best of ${ROUNDS} interleaved rounds of at least ${MIN_MS} ms each, in one process. Baton's blob code runs libsodium-wrappers (WebAssembly, the same build the browser gets); node:crypto is OpenSSL, native.`,
    '',
    'Whole blobs: `sealUpdateBlob` (author signature, padding to 256 bytes, XChaCha20-Poly1305, write signature) and `openBlob` (write signature check, decryption, unpadding, author signature check) against node:crypto `chacha20-poly1305` encrypting or decrypting the same payload with no signatures. The ratio is Baton time over node time: what sealing and signing cost over a bare native AEAD.',
    '',
    table(
      ['Size', 'Baton', 'µs/op', 'ops/s', 'MB/s', 'node:crypto', 'µs/op', 'ops/s', 'MB/s', 'Time ratio'],
      ['l', 'l', 'r', 'r', 'r', 'l', 'r', 'r', 'r', 'r'],
      wholeRows,
    ),
    '',
    'The parts, libsodium against node:crypto on the same input (node XChaCha20-Poly1305 is HChaCha20 in JavaScript plus the native ChaCha20-Poly1305, checked byte-equal to libsodium; node Ed25519 is `crypto.sign(null, ...)`, checked signature-equal). Signatures are over the signed part of the blob (ctx || header || body), as the write signature is.',
    '',
    table(['Size', 'Operation', 'libsodium µs', 'libsodium MB/s', 'node µs', 'node MB/s', 'libsodium/node'], ['l', 'l', 'r', 'r', 'r', 'r', 'r'], partRows),
    '',
    'Where the time goes (shares of the measured seal/open time, from the parts):',
    '',
    ...notes,
    '',
    'Two costs found here were not cryptography and are now gone from shared/blob.ts: libsodium-wrappers\' `pad()` copies into WebAssembly memory one byte at a time in JavaScript, and its `randombytes_buf()` calls the platform\'s random source once per 4 bytes. shared/padding.ts pads byte-identically (tested against sodium_pad/sodium_unpad), and the nonce comes from one `crypto.getRandomValues` call. Before (libsodium-wrappers) and now, µs per call:',
    '',
    table(['Size', 'Step', 'Before µs', 'Now µs'], ['l', 'l', 'r', 'r'], changes),
    '',
    `Measured ${today()}.`,
  ].join('\n'),
);
console.log('recorded in docs/BENCHMARKS.md');
finish();
