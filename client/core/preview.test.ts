import { test } from 'vitest';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { addPost, createSpace, generateIdentity, initSodium, initThreadDoc, postsMap, signPost, sodium, utf8 } from '#shared';
import { newestThreadPosts } from './posts.ts';
import { PREVIEW_POSTS, openPreview, sealPreview } from './preview.ts';

await initSodium();

function thread(posts: number) {
  const cap = createSpace('thread');
  const doc = new Y.Doc();
  initThreadDoc(doc, { title: 'Mirrors after the block', createdAt: 1, boardId: createSpace('board').spaceId });
  const author = generateIdentity();
  for (let i = 0; i < posts; i++) addPost(doc, signPost(author, { threadSpaceId: cap.spaceId, name: 'Rana', body: `mirror ${i} is up`, ts: 1000 + i }));
  return { cap, doc, author };
}

test('a sealed preview opens to the thread title and its newest posts, as newestPosts shows them', () => {
  const { cap, doc } = thread(80);
  const record = sealPreview(cap, doc, 1234);
  const preview = openPreview(cap, record);
  assert.ok(preview);
  assert.equal(preview.title, 'Mirrors after the block');
  assert.equal(preview.savedAt, 1234);
  assert.equal(preview.posts.length, PREVIEW_POSTS);
  assert.deepEqual(preview.posts, newestThreadPosts(doc, cap.spaceId, PREVIEW_POSTS));
  assert.ok(preview.posts.every((p) => p.verified));
  assert.equal(Buffer.from(record).indexOf('mirror 79'), -1, 'no plaintext in the record');
  assert.equal(Buffer.from(record).indexOf('Mirrors'), -1);
});

test('a record opens only under its own thread read key; a damaged or foreign record is ignored', () => {
  const { cap, doc } = thread(3);
  const record = sealPreview(cap, doc);
  const other = createSpace('thread');
  assert.equal(openPreview(other, record), null, 'another thread');
  assert.equal(openPreview({ ...cap, readKey: null }, record), null, 'a mirror capability');
  for (const at of [0, 5, 40, record.length - 1]) {
    const damaged = record.slice();
    damaged[at]! ^= 1;
    assert.equal(openPreview(cap, damaged), null, `byte ${at} flipped`);
  }
  assert.equal(openPreview(cap, record.subarray(0, 20)), null, 'truncated');
  assert.equal(openPreview(cap, new Uint8Array(0)), null, 'empty');
  assert.throws(() => sealPreview(createSpace('board'), doc), /thread/);
});

/** Seals any JSON body the way sealPreview does: what a holder of the read key could write. */
function sealBody(cap: ReturnType<typeof createSpace>, body: unknown): Uint8Array {
  const key = sodium().crypto_generichash(32, utf8('baton/preview/v1'), cap.readKey!);
  const nonce = new Uint8Array(24);
  const sealed = sodium().crypto_aead_xchacha20poly1305_ietf_encrypt(utf8(JSON.stringify(body)), utf8(cap.spaceId), null, nonce, key);
  return new Uint8Array([...utf8('BPV1'), ...nonce, ...sealed]);
}

test('a record written with the read key still cannot put words in an author mouth: signatures are checked on open', () => {
  const { cap, doc } = thread(2);
  const real = [...postsMap(doc).values()] as Record<string, unknown>[];
  const forged = { ...real[1]!, body: 'the relay is safe, use it' };
  const preview = openPreview(cap, sealBody(cap, { v: 1, title: 't', savedAt: 1, posts: [real[0], forged, 7, null, { id: 'x' }] }));
  assert.ok(preview);
  assert.deepEqual(
    preview.posts.map((p) => [p.body, p.verified]),
    [
      ['mirror 0 is up', true],
      ['the relay is safe, use it', false],
    ],
    'junk entries dropped, the altered post shown unverified',
  );
  for (const body of [null, [], { v: 2, title: 't', savedAt: 1, posts: [] }, { v: 1, title: 3, savedAt: 1, posts: [] }, { v: 1, title: 't', savedAt: 1, posts: {} }]) {
    assert.equal(openPreview(cap, sealBody(cap, body)), null, JSON.stringify(body));
  }
  const many = Array.from({ length: 500 }, () => real[0]);
  assert.equal(openPreview(cap, sealBody(cap, { v: 1, title: 't', savedAt: 1, posts: many }))!.posts.length, PREVIEW_POSTS, 'at most one screen is checked');
});

test('a record keeps only the fields a post is made of', () => {
  const { cap, doc } = thread(1);
  const [entry] = [...postsMap(doc).entries()];
  postsMap(doc).set(entry![0], { ...(entry![1] as object), junk: 'x'.repeat(100_000) });
  const record = sealPreview(cap, doc);
  assert.ok(record.length < 2_000, `${record.length} bytes`);
  assert.ok(openPreview(cap, record)!.posts[0]!.verified, 'the post still verifies');
});

test('a carried post shows as signed in the preview only with the origins the thread named when it was saved', () => {
  const { cap, doc, author } = thread(1);
  const oldThread = createSpace('thread').spaceId;
  const carried = { ...signPost(author, { threadSpaceId: oldThread, name: 'Rana', body: 'written before the move', ts: 5000 }), from: oldThread };
  postsMap(doc).set(carried.id, carried);
  const withOrigins = openPreview(cap, sealPreview(cap, doc, 1, new Set([oldThread])));
  assert.deepEqual(withOrigins?.posts.map((p) => p.verified), [true, true]);
  const without = openPreview(cap, sealPreview(cap, doc, 1));
  assert.deepEqual(without?.posts.map((p) => p.verified), [true, false]);
});
