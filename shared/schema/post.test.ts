import { beforeAll, test } from 'vitest';
import assert from 'node:assert/strict';
import { toBase64url } from '../bytes.ts';
import { initSodium, sodium } from '../sodium.ts';
import { MAX_POST_BODY_CHARS } from '../limits.ts';
import { PostError, isPostId, newPostId, postSigningText, signPost, verifyPost, type Post } from './post.ts';
import { testIdentity, testRoom } from '#test/support/rooms.ts';

let thread: string;
let post: Post;
const id = toBase64url(new Uint8Array(16).fill(1));
const replyTo = toBase64url(new Uint8Array(16).fill(2));

beforeAll(async () => {
  await initSodium();
  thread = testRoom(1).cap.spaceId;
  post = signPost(testIdentity(50), { threadSpaceId: thread, name: 'Ada', body: 'Hello,\nworld', ts: 1_700_000_000_000, id, replyTo });
});

test('a signed post verifies for its thread and names its author', () => {
  assert.equal(post.author, toBase64url(testIdentity(50).publicKey));
  assert.equal(post.id, id);
  assert.equal(post.replyTo, replyTo);
  assert.equal(verifyPost(thread, post), true);
  assert.equal(verifyPost(thread, JSON.parse(JSON.stringify(post))), true);
  assert.equal(postSigningText(thread, post), `baton/post/v1\n${thread}\n${id}\n1700000000000\n${replyTo}\nAda\nHello,\nworld`);
  // Without replyTo the field is empty in the signed text.
  const top = signPost(testIdentity(50), { threadSpaceId: thread, name: 'Ada', body: 'x' });
  assert.equal('replyTo' in top, false);
  assert.ok(isPostId(top.id));
  assert.ok(Math.abs(top.ts - Date.now()) < 60_000);
  assert.equal(verifyPost(thread, top), true);
});

test('changing any field leaves the post unverified', () => {
  const other = toBase64url(new Uint8Array(16).fill(3));
  const changes: Array<Partial<Record<keyof Post, unknown>>> = [
    { id: other },
    { author: toBase64url(testIdentity(51).publicKey) },
    { name: 'Bob' },
    { ts: post.ts + 1 },
    { body: 'Hello, world' },
    { replyTo: other },
    { replyTo: undefined },
    { sig: toBase64url(new Uint8Array(64)) },
    { sig: post.sig.slice(0, -2) + (post.sig.endsWith('AA') ? 'AQ' : 'AA') },
  ];
  for (const change of changes) assert.equal(verifyPost(thread, { ...post, ...change }), false, JSON.stringify(change));
  // The same post presented in another thread.
  assert.equal(verifyPost(testRoom(2).cap.spaceId, post), false);
});

test('malformed posts are unverified, never a crash', () => {
  for (const value of [null, undefined, 42, 'post', [], {}, { ...post, ts: 'now' }, { ...post, ts: -1 }, { ...post, ts: 1.5 }, { ...post, id: 'short' }, { ...post, name: 'a\nb' }, { ...post, author: 'x' }, { ...post, sig: 5 }, { ...post, replyTo: 'nope' }, { ...post, body: 7 }]) {
    assert.equal(verifyPost(thread, value), false, JSON.stringify(value));
  }
});

test('a body over 20,000 characters is refused when signing and when verifying', () => {
  const author = testIdentity(50);
  const atLimit = signPost(author, { threadSpaceId: thread, name: 'Ada', body: 'x'.repeat(MAX_POST_BODY_CHARS), id });
  assert.equal(verifyPost(thread, atLimit), true);
  assert.throws(() => signPost(author, { threadSpaceId: thread, name: 'Ada', body: 'x'.repeat(MAX_POST_BODY_CHARS + 1) }), PostError);
  // Even correctly signed by hand, an overlong post is not accepted.
  const long = { ...atLimit, body: 'x'.repeat(MAX_POST_BODY_CHARS + 1) };
  long.sig = toBase64url(sodium().crypto_sign_detached(new TextEncoder().encode(postSigningText(thread, long)), author.secretKey));
  assert.equal(verifyPost(thread, long), false);
});

test('signPost refuses bad names, times and ids', () => {
  const author = testIdentity(50);
  for (const draft of [{ name: 'two\nlines' }, { name: 'x'.repeat(101) }, { ts: -5 }, { ts: Number.NaN }, { id: 'bad' }, { replyTo: 'bad' }]) {
    assert.throws(() => signPost(author, { threadSpaceId: thread, name: 'Ada', body: 'b', ...draft }), PostError, JSON.stringify(draft));
  }
  assert.notEqual(newPostId(), newPostId());
});
