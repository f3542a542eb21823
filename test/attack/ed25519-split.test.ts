// A writer signs a post with R = the identity point and S = h·a: the verification equation
// holds, node:crypto alone accepts it, libsodium (relays, browsers) refuses it. The CLI, which
// verifies on node:crypto, must show it unverified too, even after it has trusted the key.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { addPost, concatBytes, generateIdentity, initSodium, postSigningText, signPost, sodium, toBase64url, utf8, verifyPost } from '#shared';
import { BatonClient } from '#client-core/client.ts';
import { MemoryStore } from '#client-core/store.ts';
import { openThread } from '#client-core/boards.ts';
import { Workspace, json, type BoardCaps, type ReadJson } from '../integration/cli-harness.ts';
import { NodeWS, until } from '../integration/client-fixtures.ts';

await initSodium();

const L = (1n << 252n) + 27742317777372353535851937790883648493n;
const le = (b: Uint8Array) => b.reduceRight((acc, x) => (acc << 8n) + BigInt(x), 0n);
const toLe = (n: bigint) => Uint8Array.from({ length: 32 }, (_, i) => Number((n >> BigInt(8 * i)) & 255n));

/** R = identity, S = h·a mod L: valid to cofactorless arithmetic without libsodium's checks. */
function smallOrderSignature(seed: Uint8Array, pub: Uint8Array, msg: Uint8Array): Uint8Array {
  const a = new Uint8Array(createHash('sha512').update(seed).digest().subarray(0, 32));
  a[0]! &= 248;
  a[31]! &= 127;
  a[31]! |= 64;
  const r = new Uint8Array(32);
  r[0] = 1;
  const h = le(new Uint8Array(createHash('sha512').update(r).update(pub).update(msg).digest())) % L;
  return concatBytes(r, toLe((h * le(a)) % L));
}

test('a small-order-R post signature is unverified in the CLI, as libsodium says', async () => {
  const ws = new Workspace();
  const writer = new BatonClient({ store: new MemoryStore(), identity: generateIdentity(), name: 'alice', connection: { WebSocket: NodeWS } });
  try {
    const relay = await ws.relay();
    const bob = ws.device('bob');
    const caps = json<BoardCaps>(await bob.run('board', 'create', '--relay', relay.url, '--title', 'Keys', '--name', 'bob'));
    const thread = json<{ id: string }>(await bob.run('thread', 'create', caps.write, '--title', 'Signatures'));
    const board = await writer.open(caps.write);
    assert.ok(await until(() => board.plain!.getMap('threads').has(thread.id)));
    const space = await openThread(writer, board, thread.id);
    // An honest post first, so a verifier that trusts keys after one good signature trusts this one.
    addPost(space.requireWrite(), signPost(writer.identity, { threadSpaceId: thread.id, name: 'alice', body: 'honest' }));
    const odd = signPost(writer.identity, { threadSpaceId: thread.id, name: 'alice', body: 'odd signature' });
    const sig = smallOrderSignature(writer.identity.seed, writer.identity.publicKey, utf8(postSigningText(thread.id, odd)));
    const forged = { ...odd, sig: toBase64url(sig) };
    assert.equal(sodium().crypto_sign_verify_detached(sig, utf8(postSigningText(thread.id, forged)), writer.identity.publicKey), false, 'libsodium refuses it');
    assert.equal(verifyPost(thread.id, forged), false);
    addPost(space.requireWrite(), forged);
    space.flush();
    assert.ok(await until(() => space.outbox().length === 0));

    const view = json<ReadJson>(await bob.run('read', caps.read, '--json'));
    const verdicts = Object.fromEntries(view.threads[0]!.posts.map((p) => [p.body, p.verified]));
    assert.deepEqual(verdicts, { honest: true, 'odd signature': false });
  } finally {
    await writer.close();
    await ws.close();
  }
});
