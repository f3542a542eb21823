import { beforeAll, expect, test } from 'vitest';
import { generateIdentity, initSodium, normaliseSafetyCode, safetyCode, toBase64url } from '#shared';
import { MemoryDeviceMemory } from './device-memory.ts';
import { VerifiedKeys } from './verified-keys.ts';

beforeAll(async () => {
  await initSodium();
});

test('a safety code is five groups of four digits, the same for the key in either form, different for another key', () => {
  const a = generateIdentity();
  const code = safetyCode(a.publicKey);
  expect(code).toMatch(/^\d{4}( \d{4}){4}$/);
  expect(safetyCode(toBase64url(a.publicKey))).toBe(code);
  expect(safetyCode(generateIdentity().publicKey)).not.toBe(code);
  expect(normaliseSafetyCode(code.replace(/ /g, '-'))).toBe(code);
  expect(normaliseSafetyCode('1234')).toBeNull();
  expect(() => safetyCode('short')).toThrow();
  // The worked example of docs/PROTOCOL.md §6: the identity of seed 32 × 0x03.
  expect(safetyCode('7UkoxijRwsbq6QM4kFmVYSlZJzpcY_k2NsFGFKyHN9E')).toBe('7881 4464 8490 2549 4986');
});

test('verified keys are remembered; a verified name used by another key is flagged', () => {
  const memory = new MemoryDeviceMemory();
  const layla = toBase64url(generateIdentity().publicKey);
  const other = toBase64url(generateIdentity().publicKey);
  new VerifiedKeys(memory).mark(layla, 'Layla');
  const keys = new VerifiedKeys(memory);
  expect(keys.check({ author: layla, name: 'Layla', verified: true })).toEqual({ verified: true, posingAs: null });
  expect(keys.check({ author: other, name: 'LAYLA ', verified: true })).toEqual({ verified: false, posingAs: layla });
  expect(keys.check({ author: other, name: 'Lаyla', verified: true }).posingAs).toBe(layla); // Cyrillic а
  expect(keys.check({ author: other, name: 'Sam', verified: true })).toEqual({ verified: false, posingAs: null });
  expect(keys.check({ author: layla, name: 'Layla', verified: false }).verified).toBe(false);
  keys.unmark(layla);
  expect(new VerifiedKeys(memory).has(layla)).toBe(false);
  memory.save('verified-keys', { junk: { name: 1 }, [other]: { name: 'x', at: 'y' } });
  expect(new VerifiedKeys(memory).list()).toEqual([]);
});
