import { test } from 'vitest';
import assert from 'node:assert/strict';
import { envelopeLog, generateIdentity, initSodium, listThreadEntries } from '#shared';
import { BatonClient } from './client.ts';
import { MemoryStore } from './store.ts';
import { createBoard, createThread, editSummary, listThreads, openThread, post, posts, threadSummary } from './boards.ts';
import { exportBundle, importBundle } from './bundles.ts';
import { ClientError } from './errors.ts';

await initSodium();

const offlineClient = (name: string) => new BatonClient({ store: new MemoryStore(), identity: generateIdentity(), name, online: false });

test('boards, threads, posts and summaries, offline; a reader derives every thread', async () => {
  const alice = offlineClient('alice');
  const { board, caps } = await createBoard(alice, { title: 'Town', relays: ['http://127.0.0.1:1/'] });
  assert.match(caps.mirror, /^baton:board:[\w-]{43}\?relays=http%3A%2F%2F127\.0\.0\.1%3A1&owner=[\w-]{43}$/);
  const { thread, id, postId } = await createThread(alice, board, { title: 'Water', body: 'wells dry' });
  assert.ok(postId);
  assert.ok(board.children.has(id), 'the link blob names the thread');
  assert.equal(listThreadEntries(board.plain!).length, 1);
  assert.equal(envelopeLog(board.envelope).length, 3, 'board init, thread entry, link: one blob each');
  const { id: reply } = post(alice, thread, { body: 'north well works', replyTo: postId! });
  editSummary(thread, 'Wells: 👍 north');
  editSummary(thread, 'Wells: 👎 north, south');
  assert.equal(threadSummary(thread), 'Wells: 👎 north, south');
  assert.throws(() => post(alice, thread, { body: 'x'.repeat(20_001) }), (e: unknown) => e instanceof ClientError && e.code === 'bad-input');

  // Carried by bundle to a device holding only the read capability.
  const bundle = exportBundle([board, thread]);
  const bobStore = new MemoryStore();
  const imported = await importBundle(bobStore, bundle);
  assert.deepEqual(imported.map((r) => r.added).sort(), [3, 4]);
  assert.deepEqual((await importBundle(bobStore, bundle)).map((r) => r.added), [0, 0], 'importing twice adds nothing');
  const bob = new BatonClient({ store: bobStore, identity: generateIdentity(), name: 'bob', online: false });
  const bobBoard = await bob.open(caps.read);
  assert.deepEqual(listThreads(bobBoard).map((t) => t.title), ['Water']);
  const bobThread = await openThread(bob, bobBoard, id);
  assert.deepEqual(posts(bobThread).map((p) => [p.name, p.body, p.replyTo, p.verified]), [
    ['alice', 'wells dry', null, true],
    ['alice', 'north well works', postId, true],
  ]);
  assert.equal(posts(bobThread)[1]!.id, reply);
  assert.equal(threadSummary(bobThread), 'Wells: 👎 north, south');
  assert.throws(() => post(bob, bobThread, { body: 'hi' }), (e: unknown) => e instanceof ClientError && e.code === 'read-only');
  await assert.rejects(openThread(bob, bobBoard, 'A'.repeat(43)), (e: unknown) => e instanceof ClientError && e.code === 'not-found');
  await alice.close();
  await bob.close();
});

test('a corrupt bundle is refused whole, nothing stored', async () => {
  const alice = offlineClient('alice');
  const { board } = await createBoard(alice, { title: 'T', relays: [] });
  const good = JSON.parse(exportBundle([board])) as { rooms: Record<string, string> };
  const [room, update] = Object.entries(good.rooms)[0]!;
  const other = await createBoard(alice, { title: 'U', relays: [] });
  const second = JSON.parse(exportBundle([other.board])) as { rooms: Record<string, string> };
  // The second room carries the first room's blobs: signed for another space.
  const mixed = JSON.stringify({ ...good, rooms: { [room]: update, [Object.keys(second.rooms)[0]!]: update } });
  const store = new MemoryStore();
  await assert.rejects(importBundle(store, mixed), (e: unknown) => e instanceof ClientError && e.code === 'corrupt-bundle' && /invalid: bad-blob/.test(e.message));
  assert.deepEqual(await store.rooms(), []);
  await assert.rejects(importBundle(store, '{"baton":"bundle","version":2,"rooms":{}}'), /unsupported bundle version/);
  await alice.close();
});
