import { beforeAll, test } from 'vitest';
import assert from 'node:assert/strict';
import { initSodium } from '#shared';
import { Vault } from '#client-core';
import { SealedStorage } from './sealed-storage.ts';

class TextStorage {
  readonly map = new Map<string, string>();
  getItem(k: string) {
    return this.map.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.map.set(k, v);
  }
  removeItem(k: string) {
    this.map.delete(k);
  }
}

beforeAll(() => initSodium());

test('entries are kept under keyed names, sealed, and read back only with the same vault', () => {
  const inner = new TextStorage();
  const vault = new Vault(Vault.newDataKey());
  const sealed = new SealedStorage(inner, vault);
  sealed.setItem('baton:draft:thread-id-42', '{"body":"meet at the bakery"}');
  assert.equal(sealed.getItem('baton:draft:thread-id-42'), '{"body":"meet at the bakery"}');
  const [[key, value]] = [...inner.map];
  assert.match(key!, /^baton-s:[\w-]{43}$/);
  assert.ok(!key!.includes('thread-id-42') && !value!.includes('bakery'));
  assert.equal(new SealedStorage(inner, new Vault(Vault.newDataKey())).getItem('baton:draft:thread-id-42'), null, 'another key opens nothing');
  // A value moved to another entry's key does not open there.
  sealed.setItem('baton:relay', '"https://relay.example.org"');
  const relayKey = [...inner.map.keys()].find((k) => k !== key)!;
  inner.setItem(relayKey, value!);
  assert.equal(sealed.getItem('baton:relay'), null);
  inner.setItem(key!, 'not base64 at all!');
  assert.equal(sealed.getItem('baton:draft:thread-id-42'), null);
  sealed.removeItem('baton:draft:thread-id-42');
  assert.equal(inner.map.has(key!), false);
});
