// The encodings libsodium's crypto_sign_verify_detached refuses before it does any curve
// arithmetic, as one pure check every other Ed25519 verifier runs first (node:crypto in the
// Node client, and any native path a relay takes), so that all of them give one verdict:
//   S (signature[32..64]) must be below the group order L;
//   R (signature[0..32]) and A (the public key) must not encode a point of small order, in any
//   encoding (the sign bit is ignored, as libsodium ignores it);
//   R and A must be canonical: their y coordinate below p = 2^255 - 19.
// libsodium checks R's canonicity only implicitly (it compares R with its own canonical
// encoding of the result); OpenSSL does the same, so the explicit check changes no verdict.

/** L = 2^252 + 27742317777372353535851937790883648493, little-endian. */
const L = [
  0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x10,
];

const ff = (first: number, last: number): number[] => [first, ...new Array<number>(30).fill(0xff), last];
const zeros = (first: number): number[] => [first, ...new Array<number>(31).fill(0)];

/** libsodium's list of small-order encodings (compared with the sign bit cleared). */
const SMALL_ORDER: readonly number[][] = [
  zeros(0x00), // 0 (order 4)
  zeros(0x01), // 1 (order 1)
  [
    0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4, 0x89, 0xf2, 0xef, 0x98, 0xf0, 0xd5, 0xdf, 0xac, 0x05, 0xd3, 0xc6, 0x33, 0x39, 0xb1, 0x38, 0x02, 0x88,
    0x6d, 0x53, 0xfc, 0x05,
  ], // order 8
  [
    0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c, 0x0b, 0x76, 0x0d, 0x10, 0x67, 0x0f, 0x2a, 0x20, 0x53, 0xfa, 0x2c, 0x39, 0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77,
    0x92, 0xac, 0x03, 0x7a,
  ], // order 8
  ff(0xec, 0x7f), // p - 1 (order 2)
  ff(0xed, 0x7f), // p, that is 0 (order 4)
  ff(0xee, 0x7f), // p + 1, that is 1 (order 1)
];

/** S < L, comparing little-endian from the top byte. */
export function isCanonicalScalar(s: Uint8Array): boolean {
  if (s.length !== 32) return false;
  for (let i = 31; i >= 0; i--) {
    if (s[i]! < L[i]!) return true;
    if (s[i]! > L[i]!) return false;
  }
  return false; // equal to L
}

/** The y coordinate (sign bit cleared) is below p = 2^255 - 19. */
export function isCanonicalPoint(p: Uint8Array): boolean {
  if (p.length !== 32) return false;
  if ((p[31]! & 0x7f) !== 0x7f) return true;
  for (let i = 30; i > 0; i--) if (p[i] !== 0xff) return true;
  return p[0]! < 0xed;
}

export function hasSmallOrder(p: Uint8Array): boolean {
  if (p.length !== 32) return false;
  return SMALL_ORDER.some((bad) => {
    for (let i = 0; i < 31; i++) if (p[i] !== bad[i]) return false;
    return (p[31]! & 0x7f) === bad[31];
  });
}

/**
 * Whether a signature and key pass the checks libsodium makes before verifying. A verifier
 * that is not libsodium must return false whenever this does, and may verify only otherwise.
 */
export function ed25519EncodingsAllowed(signature: Uint8Array, publicKey: Uint8Array): boolean {
  if (signature.length !== 64 || publicKey.length !== 32) return false;
  const r = signature.subarray(0, 32);
  if (!isCanonicalScalar(signature.subarray(32, 64))) return false;
  if (!isCanonicalPoint(r) || hasSmallOrder(r)) return false;
  return isCanonicalPoint(publicKey) && !hasSmallOrder(publicKey);
}
