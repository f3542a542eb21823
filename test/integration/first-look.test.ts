// The page's first script reads a thread's published first screen on its own (no Yjs, no
// libsodium: client/web/first-screen/read.ts), against a real relay: the title and newest
// posts a writer published; nothing from a record a reader forged with the first-screen key any
// reader can derive; no post whose author signature fails; nothing for a link that is not a
// thread's, or a relay that does not answer.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { concatBytes, generateIdentity, initSodium, signPost, sodium, toBase64url, utf8 } from '#shared';
import { BatonClient } from '#client-core/client.ts';
import { MemoryStore } from '#client-core/store.ts';
import { createBoard, createThread, post } from '#client-core/boards.ts';
import { firstScreenCapability, firstScreenMap, readFirstScreen } from '#client-core/first-screen.ts';
import { readFirstLook, threadLink } from '#client-web/first-screen/read.ts';
import { routeHash } from '#client-web/lib/route.ts';
import { startRelay } from '#server/index.ts';
import { NodeWS, until } from './client-fixtures.ts';

await initSodium();

const client = (name: string) => new BatonClient({ store: new MemoryStore(), identity: generateIdentity(), name, connection: { WebSocket: NodeWS }, batchMs: 5 });
const look = (hash: string, relay: string | null) => readFirstLook(hash, relay, new AbortController().signal);

test('the first script reads what writers published, and nothing a reader forged', async () => {
  const relay = await startRelay({ host: '127.0.0.1', port: 0, log: () => {} });
  const writer = client('Writer');
  const reader = client('Reader');
  try {
    const { board } = await createBoard(writer, { title: 'Relays', relays: [relay.url] });
    const { thread, caps } = await createThread(writer, board, { title: 'Which mirrors still answer?' });
    for (let i = 0; i < 25; i++) {
      post(writer, thread, { body: `mirror ${i} answers` });
      await new Promise((r) => setTimeout(r, 2));
    }
    const fs = firstScreenCapability(thread.cap)!;
    assert.ok(await until(() => readFirstScreen(thread.cap, writer.get(fs.spaceId)?.plain ?? thread.plain!)?.posts.at(-1)?.body === 'mirror 24 answers' && writer.get(fs.spaceId)!.outbox().length === 0, 10_000));

    const hash = routeHash(caps.read);
    const shown = await look(hash, relay.url);
    assert.ok(shown);
    assert.equal(shown.title, 'Which mirrors still answer?');
    assert.deepEqual(shown.posts.map((p) => p.body), Array.from({ length: 20 }, (_, i) => `mirror ${i + 5} answers`));
    assert.ok(shown.posts.every((p) => p.name === 'Writer'));
    // The relay hints of the link serve when the page's relay is not given.
    assert.equal((await look(`#${caps.read}`, null))?.title, 'Which mirrors still answer?');

    // A reader derives the first-screen key (any reader can) and writes a newer record of its own: not shown.
    const readOnly = await reader.open(fs);
    const me = generateIdentity();
    const forged = JSON.stringify({ v: 1, thread: thread.spaceId, title: 'Forged title', savedAt: Date.now(), posts: [signPost(me, { threadSpaceId: thread.spaceId, name: 'Writer', body: 'forged newest', ts: Date.now() + 60_000 })] });
    const sig = sodium().crypto_sign_detached(concatBytes(utf8('baton/first-screen/v1\n'), utf8(forged)), fs.write!.secretKey);
    firstScreenMap(readOnly.plain!).set('signed', `${toBase64url(sig)}.${forged}`);
    assert.ok(await until(() => readOnly.outbox().length === 0, 10_000));
    const after = await look(hash, relay.url);
    assert.equal(after?.title, 'Which mirrors still answer?', 'the forged record is not taken');
    assert.equal(after?.posts.at(-1)?.body, 'mirror 24 answers');

    // A writer's record with a post whose author signature fails: that post is left out.
    const bad = signPost(me, { threadSpaceId: thread.spaceId, name: 'Someone', body: 'altered', ts: Date.now() + 120_000 });
    const record = JSON.stringify({ v: 1, thread: thread.spaceId, title: 'Which mirrors still answer?', savedAt: Date.now(), posts: [...after!.posts, { ...bad, body: 'altered after signing' }] });
    const writerSig = sodium().crypto_sign_detached(concatBytes(utf8('baton/first-screen/v1\n'), utf8(record)), thread.cap.write!.secretKey);
    const writerSpace = writer.get(fs.spaceId)!;
    firstScreenMap(writerSpace.plain!).set('signed', `${toBase64url(writerSig)}.${record}`);
    assert.ok(await until(() => writerSpace.outbox().length === 0, 10_000));
    const third = await look(hash, relay.url);
    assert.ok(third && !third.posts.some((p) => p.body === 'altered after signing'));

    assert.equal(await look(routeHash(board.cap.spaceId), relay.url), null, 'not a thread link');
    assert.equal(await look('#baton:thread:damaged', relay.url), null);
    assert.equal(await look(`#${caps.read.replace(/\?.*$/, '')}`, 'http://127.0.0.1:9'), null, 'no relay answers');
  } finally {
    await writer.close();
    await reader.close();
    await relay.close();
  }
}, 60_000);

test('a thread link is read from a fragment as people paste it: escaped, wrapped, with its relays', () => {
  const id = toBase64url(sodium().randombytes_buf(32));
  const key = toBase64url(sodium().randombytes_buf(32));
  const relay = encodeURIComponent('https://relay.example.org');
  const link = threadLink(`#baton:thread:${id}:${key}?relays=${relay},${encodeURIComponent('javascript:alert(1)')}`);
  assert.equal(link?.spaceId, id);
  assert.deepEqual(link?.relays, ['https://relay.example.org']);
  assert.equal(threadLink(`#${encodeURIComponent(`baton:thread:${id}:${key}`)}`)?.spaceId, id);
  assert.equal(threadLink(`#baton:thread:${id.slice(0, 20)}\n${id.slice(20)}:${key}`)?.spaceId, id);
  assert.equal(threadLink(`#baton:board:${id}:${key}`), null);
  assert.equal(threadLink(`#baton:thread:${id}`), null, 'no read key');
});
