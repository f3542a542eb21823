// ISO/IEC 7816-4 padding to a block multiple, byte-for-byte what libsodium's sodium_pad and
// sodium_unpad produce and accept. Done here rather than through libsodium-wrappers, whose
// pad() copies into WebAssembly memory one byte at a time in JavaScript (about 4 ms per MiB)
// and whose unpad() copies the whole buffer twice. The padded length is public anyway (it is
// the ciphertext's); only the exact length inside the last block is hidden, by the encryption.

/** data || 0x80 || zeros, to the next multiple of `block` (a whole extra block if data fills one). */
export function padToBlock(data: Uint8Array, block: number): Uint8Array {
  if (!Number.isInteger(block) || block <= 0) throw new RangeError('block size must be a positive integer');
  const out = new Uint8Array(data.length + block - (data.length % block));
  out.set(data);
  out[data.length] = 0x80;
  return out;
}

/**
 * The data before the padding (a view into `padded`), or null unless the last block holds the
 * 0x80 marker followed only by zeros. Like sodium_unpad, it looks at the last block only.
 */
export function unpadFromBlock(padded: Uint8Array, block: number): Uint8Array | null {
  if (!Number.isInteger(block) || block <= 0) throw new RangeError('block size must be a positive integer');
  if (padded.length < block) return null;
  const stop = padded.length - block;
  let i = padded.length - 1;
  while (i >= stop && padded[i] === 0) i--;
  if (i < stop || padded[i] !== 0x80) return null;
  return padded.subarray(0, i);
}
