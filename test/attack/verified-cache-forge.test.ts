// A member who can read the board, given write access to a victim's data directory once,
// plants a blob "by alice" that nobody signed and a verification record vouching for every
// check the victim's client would make on it. The record is keyed by what a reader can
// compute (the read key), so the victim's client ignores it: the forged post is refused or
// shown unverified, never as alice's.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as Y from 'yjs';
import {
  BlobKind,
  addPost,
  applyValidatedUpdate,
  createEnvelopeDoc,
  createSpace,
  generateIdentity,
  initSodium,
  openBlob,
  parseCapability,
  roomName,
  sealUpdateBlob,
  setSignatureVerifier,
  sodium,
  toBase64url,
  utf8,
  verifyPost,
  type RoomName,
} from '#shared';
import { encodeRecord } from '#client-node/file-store.ts';
import { fileBase } from '#client-node/room-files.ts';
import { cacheKey, encodeCache } from '#client-node/verified-cache.ts';
import { craftUpdate } from '../support/craft-update.ts';
import { Workspace, json, type BoardCaps, type ReadJson } from '../integration/cli-harness.ts';

await initSodium();

/** Every signature check a client makes on the update and the post, with a verifier that says yes to all. */
function checksMadeOn(update: Uint8Array, key: { writePub: Uint8Array; epoch: number; readKey: Uint8Array }, threadId: string, post: unknown): string[] {
  const digests: string[] = [];
  setSignatureVerifier((sig, msg, pub) => {
    digests.push(createHash('sha256').update(pub).update(sig).update(msg).digest('base64'));
    return true;
  });
  try {
    const verdict = applyValidatedUpdate(createEnvelopeDoc(), update, key, null);
    assert.ok(verdict.ok, 'the lying verifier lets the forged update through');
    for (const b of verdict.blobs) openBlob(b.blob, key, b);
    verifyPost(threadId, post);
  } finally {
    setSignatureVerifier(null);
  }
  return digests;
}

test('a reader cannot forge the verification record: the planted post is not shown as verified', async () => {
  const ws = new Workspace();
  try {
    const relay = await ws.relay();
    const alice = ws.device('alice');
    const bob = ws.device('bob');
    const caps = json<BoardCaps>(await alice.run('board', 'create', '--relay', relay.url, '--title', 'Meetings', '--name', 'alice'));
    const thread = json<{ id: string; read: string }>(await alice.run('thread', 'create', caps.write, '--title', 'Tuesday', '--body', 'see you at 6'));
    const alicePub = json<{ publicKey: string }>(await alice.run('identity', 'show')).publicKey;
    assert.equal(json<ReadJson>(await bob.run('read', caps.read, '--json')).threads[0]!.posts.length, 1);

    // The attacker reads the board like bob: the thread's read key is theirs too.
    const tcap = parseCapability(thread.read);
    const room = roomName(tcap.spaceId, 0) as RoomName;
    const forged = { id: toBase64url(sodium().randombytes_buf(16)), author: alicePub, name: 'alice', ts: Date.now(), body: 'FORGED: the meeting is cancelled', sig: toBase64url(sodium().randombytes_buf(64)) };
    const plain = new Y.Doc();
    addPost(plain, forged);
    // Sealed under a write key that is not the thread's: the attacker has none.
    const fake = createSpace('thread');
    const blob = sealUpdateBlob({ writePub: tcap.writePub, epoch: 0, readKey: tcap.readKey!, writeSecret: fake.write!.secretKey }, BlobKind.update, generateIdentity(), Y.encodeStateAsUpdate(plain), { client: 31337, clock: 0 });
    const update = craftUpdate([{ client: 31337, clock: 0, structs: [{ content: blob }] }]);
    const digests = checksMadeOn(update, { writePub: tcap.writePub, epoch: 0, readKey: tcap.readKey! }, tcap.spaceId, forged);
    assert.ok(digests.length >= 3, `write, author and post signature: ${digests.length}`);

    const rooms = join(bob.dir, 'rooms');
    appendFileSync(join(rooms, `${fileBase(room)}.log`), encodeRecord(update));
    // Every key a reader could derive: the read key itself, and the old record key.
    for (const key of [tcap.readKey!, sodium().crypto_generichash(32, utf8('baton/verified-cache/v1'), tcap.readKey!), cacheKey(tcap.readKey!)]) {
      writeFileSync(join(rooms, `${fileBase(room)}.verified`), encodeCache(room, digests, key));
      const read = await bob.run('read', caps.read, '--json');
      const view = json<ReadJson>(read);
      const posts = view.threads[0]!.posts;
      assert.ok(posts.some((p) => p.body === 'see you at 6' && p.verified));
      for (const p of posts) if (p.body.includes('FORGED')) assert.equal(p.verified, false);
      const text = await bob.run('read', caps.read);
      assert.doesNotMatch(text.stdout, /alice \[[^\]]+\][^\n]*\n[^\n]*FORGED/);
      // Put the plant back for the next key (a read rewrites the room and the record).
      appendFileSync(join(rooms, `${fileBase(room)}.log`), encodeRecord(update));
    }
  } finally {
    await ws.close();
  }
});
