// A thread's published first screen (client/core/first-screen.ts) against a real relay: a
// writer's post publishes it, a device that never opened the thread reads it from its own small
// space before opening the thread, and a first screen not signed with the thread's write key,
// or naming another thread, is not shown.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { createSpace, generateIdentity, initSodium, parseRoomName, toBase64url, sodium, utf8, concatBytes } from '#shared';
import { BatonClient } from '#client-core/client.ts';
import { MemoryStore } from '#client-core/store.ts';
import { createBoard, createThread, newestPosts, post } from '#client-core/boards.ts';
import { FIRST_SCREEN_COMPACT_AFTER, FIRST_SCREEN_POSTS, firstScreenCapability, firstScreenMap, readFirstScreen } from '#client-core/first-screen.ts';
import { startRelay } from '#server/index.ts';
import { NodeWS, until } from './client-fixtures.ts';

await initSodium();

const client = (name: string) => new BatonClient({ store: new MemoryStore(), identity: generateIdentity(), name, connection: { WebSocket: NodeWS }, batchMs: 5 });

test('a post publishes the thread’s first screen; a new reader gets it before the thread, and it stays small', async () => {
  const relay = await startRelay({ host: '127.0.0.1', port: 0, log: () => {} });
  const writer = client('Writer');
  const reader = client('Reader');
  try {
    const { board } = await createBoard(writer, { title: 'Relays', relays: [relay.url] });
    const { thread, caps } = await createThread(writer, board, { title: 'Which mirrors still answer?' });
    for (let i = 0; i < 40; i++) post(writer, thread, { body: `mirror ${i} answers` });
    const fsCap = firstScreenCapability(thread.cap)!;
    // Published a moment after the posts, once.
    assert.ok(await until(() => writer.get(fsCap.spaceId)?.outbox().length === 0 && readFirstScreen(thread.cap, writer.get(fsCap.spaceId)!.plain!) !== null, 10_000));

    const shown = await reader.firstScreen(caps.read, 10_000);
    assert.ok(shown, 'the reader gets the first screen');
    assert.equal(shown.title, 'Which mirrors still answer?');
    assert.equal(shown.posts.length, FIRST_SCREEN_POSTS);
    assert.deepEqual(
      shown.posts.map((p) => p.body),
      newestPosts(thread, FIRST_SCREEN_POSTS).map((p) => p.body),
    );
    assert.ok(shown.posts.every((p) => p.verified && p.name === 'Writer'));
    assert.equal(reader.get(thread.spaceId), undefined, 'the thread itself was not opened');
    const readerSpace = reader.get(fsCap.spaceId)!;
    assert.equal(readerSpace.access, 'read', 'a reader holds the first-screen space read-only');

    // Later posts replace it; the writer starts a new epoch every few, so a reader fetches little.
    for (let round = 0; round < FIRST_SCREEN_COMPACT_AFTER + 2; round++) {
      post(writer, thread, { body: `round ${round}` });
      await until(() => readFirstScreen(thread.cap, writer.get(fsCap.spaceId)!.plain!)?.posts.at(-1)?.body === `round ${round}`, 10_000);
    }
    const fsSpace = writer.get(fsCap.spaceId)!;
    assert.ok(await until(() => fsSpace.epoch >= 1 && fsSpace.outbox().length === 0, 10_000), 'the first-screen space was compacted');
    const fresh = client('Fresh');
    try {
      const latest = await fresh.firstScreen(caps.read, 10_000);

      assert.equal(latest?.posts.at(-1)?.body, `round ${FIRST_SCREEN_COMPACT_AFTER + 1}`);
      const rooms = (await (await fetch(`${relay.url}/v1/spaces/${fsCap.spaceId}`)).json()) as { epochs: number[] };
      assert.ok(rooms.epochs.length >= 2, 'relays see the first-screen space as any other');
      assert.ok(parseRoomName(`${fsCap.spaceId}.0`));
    } finally {
      await fresh.close();
    }
  } finally {
    await writer.close();
    await reader.close();
    await relay.close();
  }
}, 60_000);

test('a first screen not signed with the thread write key, or naming another thread, is not shown', async () => {
  const thread = createSpace('thread');
  const other = createSpace('thread');
  const doc = new Y.Doc();
  const author = generateIdentity();
  const record = (threadId: string) => JSON.stringify({ v: 1, thread: threadId, title: 'Forged', savedAt: 1, posts: [] });
  const sign = (text: string, secret: Uint8Array) => toBase64url(sodium().crypto_sign_detached(concatBytes(utf8('baton/first-screen/v1\n'), utf8(text)), secret));
  const set = (r: string, sig: string) => firstScreenMap(doc).set('signed', `${sig}.${r}`);

  set(record(thread.spaceId), sign(record(thread.spaceId), thread.write!.secretKey));
  assert.equal(readFirstScreen(thread, doc)?.title, 'Forged', 'signed by the thread write key: shown');
  set(record(thread.spaceId), sign(record(thread.spaceId), author.secretKey));
  assert.equal(readFirstScreen(thread, doc), null, 'signed by a member identity, not the write key');
  set(record(thread.spaceId), sign(record(thread.spaceId), firstScreenCapability(thread)!.write!.secretKey));
  assert.equal(readFirstScreen(thread, doc), null, 'signed with the first-screen space key any reader can derive');
  set(record(other.spaceId), sign(record(other.spaceId), thread.write!.secretKey));
  assert.equal(readFirstScreen(thread, doc), null, 'naming another thread');
  set(record(thread.spaceId) + ' ', sign(record(thread.spaceId), thread.write!.secretKey));
  assert.equal(readFirstScreen(thread, doc), null, 'altered after signing');
  set('{', sign('{', thread.write!.secretKey));
  assert.equal(readFirstScreen(thread, doc), null, 'not JSON');
  assert.equal(firstScreenCapability({ ...thread, readKey: null }), null, 'a mirror capability has none');
});
