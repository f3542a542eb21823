// XChaCha20-Poly1305 (IETF) decryption, as libsodium's crypto_aead_xchacha20poly1305_ietf_decrypt:
// the page's first script opens a thread's first screen with it before libsodium has arrived.
// HChaCha20 derives the subkey from the first 16 nonce bytes; ChaCha20 with nonce
// 0^4 || the last 8 runs from block 1, block 0 giving the Poly1305 key (RFC 8439).

const SIGMA = [0x61707865, 0x3320646e, 0x79622d32, 0x6b206574];
const rotl = (x: number, n: number) => (x << n) | (x >>> (32 - n));

function rounds(x: Uint32Array): void {
  const qr = (a: number, b: number, c: number, d: number) => {
    x[a] = (x[a]! + x[b]!) | 0; x[d] = rotl(x[d]! ^ x[a]!, 16);
    x[c] = (x[c]! + x[d]!) | 0; x[b] = rotl(x[b]! ^ x[c]!, 12);
    x[a] = (x[a]! + x[b]!) | 0; x[d] = rotl(x[d]! ^ x[a]!, 8);
    x[c] = (x[c]! + x[d]!) | 0; x[b] = rotl(x[b]! ^ x[c]!, 7);
  };
  for (let i = 0; i < 10; i++) {
    qr(0, 4, 8, 12); qr(1, 5, 9, 13); qr(2, 6, 10, 14); qr(3, 7, 11, 15);
    qr(0, 5, 10, 15); qr(1, 6, 11, 12); qr(2, 7, 8, 13); qr(3, 4, 9, 14);
  }
}

function words(bytes: Uint8Array, count: number): number[] {
  const v = new DataView(bytes.buffer, bytes.byteOffset, count * 4);
  return Array.from({ length: count }, (_, i) => v.getUint32(i * 4, true));
}

function hchacha20(key: Uint8Array, input: Uint8Array): Uint8Array {
  const x = new Uint32Array([...SIGMA, ...words(key, 8), ...words(input, 4)]);
  rounds(x);
  const out = new Uint8Array(32);
  const v = new DataView(out.buffer);
  for (let i = 0; i < 4; i++) v.setUint32(i * 4, x[i]!, true);
  for (let i = 0; i < 4; i++) v.setUint32(16 + i * 4, x[12 + i]!, true);
  return out;
}

/** ChaCha20 (RFC 8439) key stream XORed into `data`, from block `counter`. */
function chacha20(key: Uint8Array, nonce: Uint8Array, counter: number, data: Uint8Array): Uint8Array {
  const state = new Uint32Array([...SIGMA, ...words(key, 8), 0, ...words(nonce, 3)]);
  const out = new Uint8Array(data.length);
  const x = new Uint32Array(16);
  const stream = new Uint8Array(64);
  const sv = new DataView(stream.buffer);
  for (let at = 0; at < data.length; at += 64) {
    state[12] = counter++;
    x.set(state);
    rounds(x);
    for (let i = 0; i < 16; i++) sv.setUint32(i * 4, (x[i]! + state[i]!) | 0, true);
    for (let i = 0; i < 64 && at + i < data.length; i++) out[at + i] = data[at + i]! ^ stream[i]!;
  }
  return out;
}

function leNumber(bytes: Uint8Array): bigint {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]!);
  return n;
}

/** Poly1305 (RFC 8439) with BigInt: a few kilobytes once per page. */
function poly1305(key: Uint8Array, message: Uint8Array): Uint8Array {
  const p = (1n << 130n) - 5n;
  const r = leNumber(key.subarray(0, 16)) & 0x0ffffffc0ffffffc0ffffffc0fffffffn;
  const s = leNumber(key.subarray(16, 32));
  let acc = 0n;
  for (let at = 0; at < message.length; at += 16) {
    const chunk = message.subarray(at, at + 16);
    acc = ((acc + leNumber(chunk) + (1n << BigInt(8 * chunk.length))) * r) % p;
  }
  acc = (acc + s) & ((1n << 128n) - 1n);
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i++) out[i] = Number((acc >> BigInt(8 * i)) & 0xffn);
  return out;
}

const pad16 = (n: number) => new Uint8Array((16 - (n % 16)) % 16);

function le64(n: number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(n), true);
  return out;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) (out.set(p, at), (at += p.length));
  return out;
}

/** The plaintext of ciphertext || tag, or null when it does not authenticate. */
export function xchachaDecrypt(sealed: Uint8Array, ad: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array | null {
  if (sealed.length < 16 || nonce.length !== 24 || key.length !== 32) return null;
  const subkey = hchacha20(key, nonce.subarray(0, 16));
  const ietf = concat(new Uint8Array(4), nonce.subarray(16, 24));
  const cipher = sealed.subarray(0, sealed.length - 16);
  const polyKey = chacha20(subkey, ietf, 0, new Uint8Array(32));
  const tag = poly1305(polyKey, concat(ad, pad16(ad.length), cipher, pad16(cipher.length), le64(ad.length), le64(cipher.length)));
  let diff = 0;
  for (let i = 0; i < 16; i++) diff |= tag[i]! ^ sealed[sealed.length - 16 + i]!;
  if (diff !== 0) return null;
  return chacha20(subkey, ietf, 1, cipher);
}
