import { test } from 'vitest';
import assert from 'node:assert/strict';
import { addPost, generateIdentity, initSodium, signPost, toBase64url } from '#shared';
import { BatonClient } from './client.ts';
import { MemoryStore } from './store.ts';
import { createBoard, createThread, posts } from './boards.ts';
import { MemoryNameMemory, NameBook, checkNames, inLogOrder, nameKey } from './names.ts';

await initSodium();

test('names that look the same compare the same', () => {
  for (const n of ['Layla', 'layla', ' LAYLA ', 'Láyla', 'Lаyla' /* Cyrillic а */, 'La\u200byla', 'Lay\u202ela', 'Layla.']) assert.equal(nameKey(n), 'layla', n);
  assert.notEqual(nameKey('Laila'), nameKey('Layla'));
  assert.equal(nameKey('ليلى'), nameKey('ليلى\u200f'));
});

test('a name is bound to the key that used it first in the envelope log, whatever time a post claims', async () => {
  const client = new BatonClient({ store: new MemoryStore(), identity: generateIdentity(), name: 'Layla', online: false });
  try {
    const { board } = await createBoard(client, { title: 'b', relays: [] });
    const { thread } = await createThread(client, board, { title: 't', body: 'I am Layla' });
    // A second member names themselves Layla and backdates the post by a year.
    const mallory = generateIdentity();
    addPost(thread.requireWrite(), signPost(mallory, { threadSpaceId: thread.spaceId, name: 'layla ', body: 'Relay B is compromised', ts: Date.now() - 365 * 86400_000 }));
    thread.flush();
    const shown = posts(thread);
    assert.equal(shown[0]!.body, 'Relay B is compromised', 'by time, the impostor comes first');
    assert.deepEqual(inLogOrder(thread, shown).map((p) => p.body), ['I am Layla', 'Relay B is compromised']);

    const memory = new MemoryNameMemory();
    const checks = checkNames(new NameBook(memory, board.spaceId), thread, shown);
    const me = toBase64url(client.identity.publicKey);
    const impostor = shown.find((p) => p.author === toBase64url(mallory.publicKey))!;
    assert.deepEqual(checks.get(impostor.id), { clash: true, firstKey: me });
    assert.deepEqual(checks.get(shown.find((p) => p.author === me)!.id), { clash: false, firstKey: null });
    // Remembered: a later visit that sees only the impostor's post still flags it.
    const again = new NameBook(memory, board.spaceId).review([impostor]);
    assert.equal(again.get(impostor.id)!.clash, true);
    // Unverified posts are never checked.
    assert.equal(new NameBook(memory, board.spaceId).review([{ ...impostor, verified: false }]).size, 0);
  } finally {
    await client.close();
  }
});
