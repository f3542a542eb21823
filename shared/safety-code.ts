// Safety codes (docs/PROTOCOL.md §6, "Safety codes"): a short text per identity key that two
// people compare in person. 20 digits in five groups of four, from a hash of the key: finding
// another key with the same code takes about 2^66 tries.
import { concatBytes, fromBase64url, utf8 } from './bytes.ts';
import { sodium } from './sodium.ts';

const CONTEXT = utf8('baton/safety-code/v1');
export const SAFETY_CODE_GROUPS = 5;

export function safetyCode(identityKey: Uint8Array | string): string {
  const key = typeof identityKey === 'string' ? fromBase64url(identityKey) : identityKey;
  if (!key || key.length !== 32) throw new RangeError('a safety code is made from a 32-byte identity key');
  const hash = sodium().crypto_generichash(32, concatBytes(CONTEXT, key), null);
  const groups: string[] = [];
  for (let i = 0; i < SAFETY_CODE_GROUPS; i++) {
    // 48 bits per group, reduced mod 10^4: the bias is below 2^-34.
    let v = 0;
    for (let j = 0; j < 6; j++) v = v * 256 + hash[i * 6 + j]!;
    groups.push(String(v % 10_000).padStart(4, '0'));
  }
  return groups.join(' ');
}

/** The same code typed by a person: digits only, spaces and dashes ignored. */
export function normaliseSafetyCode(text: string): string | null {
  const digits = text.replace(/[\s-]/g, '');
  return /^\d{20}$/.test(digits) ? digits.replace(/(\d{4})(?=\d)/g, '$1 ') : null;
}
