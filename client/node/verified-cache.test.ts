import { test } from 'vitest';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSpace, generateIdentity, initSodium, roomName, setSignatureVerifier, sodium, type Capability } from '#shared';
import { Space } from '#client-core/space.ts';
import { freshChecks, nodeSignatureVerifier } from './ed25519.ts';
import { FileStore } from './file-store.ts';
import { cacheKey, decodeCache, encodeCache } from './verified-cache.ts';

await initSodium();
const secret = sodium().randombytes_buf(32);

/** Opens the space as a new process would (a verifier that remembers nothing) and counts the checks it computed. */
async function reopen(dir: string, cap: Capability): Promise<{ checks: number; posts: number }> {
  setSignatureVerifier(nodeSignatureVerifier());
  const space = await Space.open(cap, { store: new FileStore(dir, secret), identity: generateIdentity() });
  const checks = freshChecks();
  const posts = space.plain!.getMap('posts').size;
  await space.saved();
  await space.close();
  return { checks, posts };
}

test('a second open in a new process trusts only the checks this device authenticated', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-verified-'));
  try {
    setSignatureVerifier(nodeSignatureVerifier());
    const cap = createSpace('thread');
    const first = await Space.open(cap, { store: new FileStore(dir, secret), identity: generateIdentity() });
    for (let i = 0; i < 4; i++) {
      first.requireWrite().getMap('posts').set(`p${i}`, `body ${i}`);
      first.flush();
    }
    await first.saved();
    await first.close();

    const second = await reopen(dir, cap); // checks everything, records it
    assert.equal(second.posts, 4);
    assert.ok(second.checks >= 8, `write and author signature of 4 blobs: ${second.checks}`);
    const third = await reopen(dir, cap);
    assert.equal(third.posts, 4);
    assert.equal(third.checks, 0);

    // A record altered by anyone without the read key is ignored whole.
    const file = readdirSync(join(dir, 'rooms')).find((f) => f.endsWith('.verified'))!;
    const bytes = readFileSync(join(dir, 'rooms', file));
    bytes[10]! ^= 1;
    writeFileSync(join(dir, 'rooms', file), bytes);
    const tampered = await reopen(dir, cap);
    assert.equal(tampered.posts, 4);
    assert.equal(tampered.checks, second.checks);
    assert.equal((await reopen(dir, cap)).checks, 0, 'rewritten after the checks were redone');
  } finally {
    setSignatureVerifier(null);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a cache record binds its room and this device\'s key, not the read key', () => {
  const cap = createSpace('thread');
  const room = roomName(cap.spaceId, 0);
  const key = cacheKey(secret);
  const digests = [Buffer.alloc(32, 7).toString('base64'), Buffer.alloc(32, 9).toString('base64')];
  const bytes = encodeCache(room, digests, key);
  assert.deepEqual(decodeCache(room, bytes, key), digests);
  assert.equal(decodeCache(roomName(cap.spaceId, 1), bytes, key), null);
  assert.equal(decodeCache(room, bytes, cacheKey(sodium().randombytes_buf(32))), null, 'another device');
  // What a reader of the board could compute: a record keyed by anything derived from the read key.
  assert.equal(decodeCache(room, encodeCache(room, digests, sodium().crypto_generichash(32, new TextEncoder().encode('baton/verified-cache/v1'), cap.readKey!)), key), null);
  assert.equal(decodeCache(room, bytes.subarray(0, bytes.length - 1), key), null);
  const longer = encodeCache(room, [...digests, digests[0]!], key);
  assert.equal(decodeCache(room, new Uint8Array([...longer.subarray(0, 8 + 64), ...bytes.subarray(bytes.length - 32)]), key), null);
});
