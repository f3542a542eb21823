import { beforeAll, test } from 'vitest';
import assert from 'node:assert/strict';
import { IdentityError, exportIdentity, generateIdentity, identityFromSeed, importIdentity } from './identity.ts';
import { initSodium } from './sodium.ts';

beforeAll(async () => {
  await initSodium();
});

test('an identity exports and imports to the same keys', () => {
  const id = generateIdentity();
  const text = exportIdentity(id);
  assert.match(text, /^baton-identity:v1:[A-Za-z0-9_-]{43}$/);
  const back = importIdentity(`  ${text}\n`);
  assert.deepEqual(back.publicKey, id.publicKey);
  assert.deepEqual(back.secretKey, id.secretKey);
  assert.notDeepEqual(generateIdentity().publicKey, id.publicKey);
});

test('damaged identity text is refused with an IdentityError', () => {
  const text = exportIdentity(identityFromSeed(new Uint8Array(32).fill(1)));
  for (const bad of ['', 'hello', text.replace('v1', 'v2'), text.slice(0, -1), `${text}A`, `${text.slice(0, -1)}=`]) {
    assert.throws(() => importIdentity(bad), IdentityError, bad);
  }
  assert.throws(() => identityFromSeed(new Uint8Array(31)), RangeError);
});
