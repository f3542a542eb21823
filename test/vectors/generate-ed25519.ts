// Generates ed25519.json: signatures every Baton verifier must judge alike (libsodium's
// crypto_sign_verify_detached is the reference), among them the encodings where a lax
// verifier differs: a small-order R or A, a non-canonical S, R or A. From fixed seeds:
//   node --import tsx test/vectors/generate-ed25519.ts
// test/unit/ed25519-vectors.test.ts checks the file against this script and every verifier.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { concatBytes, utf8 } from '#shared/bytes.ts';
import { initSodium, sodium } from '#shared/sodium.ts';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

export interface Ed25519Vector {
  name: string;
  description: string;
  publicKey: string;
  signature: string;
  message: string;
  /** libsodium's verdict, which every verifier must give. */
  valid: boolean;
  /** Whether [S]B = R + [h]A holds for the points the bytes decode to (ignoring encoding rules). */
  equationHolds: boolean;
}

const sha512 = (b: Uint8Array): Uint8Array => new Uint8Array(createHash('sha512').update(b).digest());
const P = (1n << 255n) - 19n;
const L = (1n << 252n) + 27742317777372353535851937790883648493n;
const le = (b: Uint8Array): bigint => b.reduceRight((acc, x) => (acc << 8n) + BigInt(x), 0n);
const toLe = (n: bigint): Uint8Array => {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) {
    out[i] = Number(n & 255n);
    n >>= 8n;
  }
  return out;
};
const point = (first: number, fill: number, last: number): Uint8Array => {
  const p = new Uint8Array(32).fill(fill);
  p[0] = first;
  p[31] = last;
  return p;
};

/** The clamped secret scalar of a seed, as Ed25519 derives it. */
function secretScalar(seed: Uint8Array): bigint {
  const h = new Uint8Array(sha512(seed).subarray(0, 32));
  h[0]! &= 248;
  h[31]! &= 127;
  h[31]! |= 64;
  return le(h);
}

const challenge = (r: Uint8Array, a: Uint8Array, m: Uint8Array): bigint => le(sha512(concatBytes(r, a, m))) % L;

export function buildEd25519Vectors(): { vectors: Ed25519Vector[] } {
  const s = sodium();
  const seed = new Uint8Array(32).map((_, i) => (0x40 + i) & 0xff);
  const { publicKey: pk, privateKey: sk } = s.crypto_sign_seed_keypair(seed);
  const message = utf8('baton ed25519 vector');
  const good = s.crypto_sign_detached(message, sk);
  const a = secretScalar(seed);
  const out: Ed25519Vector[] = [];
  const add = (name: string, description: string, publicKey: Uint8Array, signature: Uint8Array, msg: Uint8Array, equationHolds: boolean) =>
    out.push({ name, description, publicKey: hex(publicKey), signature: hex(signature), message: hex(msg), valid: s.crypto_sign_verify_detached(signature, msg, publicKey), equationHolds });

  add('valid', 'an honest signature', pk, good, message, true);
  add('empty-message', 'an honest signature of zero bytes', pk, s.crypto_sign_detached(new Uint8Array(0), sk), new Uint8Array(0), true);
  const flipped = good.slice();
  flipped[10]! ^= 1;
  add('flipped-r', 'one bit of R flipped', pk, flipped, message, false);
  add('other-message', 'the honest signature over another message', pk, good, utf8('baton ed25519 vectoR'), false);

  // R = the identity point and S = h·a: [S]B - [h]A is the identity, so cofactorless
  // arithmetic accepts it; libsodium refuses a small-order R first.
  for (const [name, r] of [
    ['small-order-r-identity', point(0x01, 0x00, 0x00)],
    ['small-order-r-identity-sign-bit', point(0x01, 0x00, 0x80)],
    ['small-order-r-identity-noncanonical', point(0xee, 0xff, 0x7f)],
  ] as const) {
    const h = challenge(r, pk, message);
    add(name, 'R of order 1, S = h·a: the equation holds without the encoding checks', pk, concatBytes(r, toLe((h * a) % L)), message, true);
  }
  for (const [name, r] of [
    ['small-order-r-zero', point(0x00, 0x00, 0x00)],
    ['small-order-r-minus-one', point(0xec, 0xff, 0x7f)],
  ] as const) {
    add(name, 'R of small order (2 or 4), S = h·a', pk, concatBytes(r, toLe((challenge(r, pk, message) * a) % L)), message, false);
  }

  // S + L: the same point multiple, but not canonical.
  const sPlusL = toLe(le(good.subarray(32)) + L);
  add('noncanonical-s', 'the honest signature with S + L', pk, concatBytes(good.subarray(0, 32), sPlusL), message, false);
  const highS = good.slice();
  highS[63]! |= 0xe0;
  add('high-bits-s', 'the top three bits of S set', pk, highS, message, false);

  // A = the identity with R = identity and S = 0: [0]B - [h]·identity = identity = R.
  const identity = point(0x01, 0x00, 0x00);
  add('small-order-a-identity', 'public key and R both the identity, S = 0', identity, concatBytes(identity, new Uint8Array(32)), message, true);
  add('small-order-a-zero', 'public key of order 4 (y = 0), R = identity, S = 0', point(0x00, 0x00, 0x00), concatBytes(identity, new Uint8Array(32)), message, false);

  // A's and R's y at p + k: the same point as y = k to a verifier that reduces mod p.
  const yPlusP = (k: number): Uint8Array => toLe(P + BigInt(k));
  add('noncanonical-a', "public key's y = p + 3", yPlusP(3), good, message, false);
  add('noncanonical-r', "R's y = p + 3", pk, concatBytes(yPlusP(3), good.subarray(32)), message, false);
  add('noncanonical-r-p-plus-one', "R's y = p + 1 (the identity, not canonical), S = h·a", pk, concatBytes(yPlusP(1), toLe((challenge(yPlusP(1), pk, message) * a) % L)), message, false);
  return { vectors: out };
}

export const ED25519_FILE = 'ed25519.json';
export const ed25519Text = (): string => `${JSON.stringify(buildEd25519Vectors(), null, 2)}\n`;

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await initSodium();
  writeFileSync(fileURLToPath(new URL(ED25519_FILE, import.meta.url)), ed25519Text());
}
