import { beforeAll, test } from 'vitest';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { toBase64url } from '../bytes.ts';
import { initSodium } from '../sodium.ts';
import { createSpace } from '../capability.ts';
import { generateIdentity } from '../identity.ts';
import { addBoardRelay, removeBoardRelay, addThreadEntry, clampTitle, initBoardDoc, listBoardRelayEntries, listBoardRelays, listThreadEntries, readBoardInfo, relaysMap, threadsMap } from './board.ts';
import { testRoom } from '#test/support/rooms.ts';
import type { SpaceId } from '../ids.ts';

beforeAll(async () => {
  await initSodium();
});

const nonce = toBase64url(new Uint8Array(16).fill(4));

test('board info and relays round-trip; titles are clamped to one line', () => {
  const doc = new Y.Doc();
  assert.deepEqual(readBoardInfo(doc), { title: '', createdAt: 0 });
  initBoardDoc(doc, { title: '  Hello\r\nboard ', createdAt: 5 });
  assert.deepEqual(readBoardInfo(doc), { title: 'Hello board', createdAt: 5 });
  assert.equal(clampTitle('x'.repeat(400)).length, 300);
  const board = createSpace('board');
  const by = { boardSpaceId: board.spaceId, identity: generateIdentity() };
  addBoardRelay(doc, 'https://b.example', by, 1);
  addBoardRelay(doc, 'https://a.example', by, 2);
  addBoardRelay(doc, 'https://a.example', by, 3);
  assert.deepEqual(listBoardRelays(doc), ['https://a.example', 'https://b.example']);
  assert.equal((relaysMap(doc).get('https://a.example') as { addedAt: number }).addedAt, 2);
  const me = toBase64url(by.identity.publicKey);
  assert.deepEqual(listBoardRelayEntries(doc, board.spaceId), [
    { url: 'https://a.example', addedAt: 2, addedBy: me, removed: null },
    { url: 'https://b.example', addedAt: 1, addedBy: me, removed: null },
  ]);
});

test('a relay entry names its adder only when the adder signed it, for this board', () => {
  const doc = new Y.Doc();
  const board = createSpace('board');
  const alice = generateIdentity();
  addBoardRelay(doc, 'https://a.example', { boardSpaceId: board.spaceId, identity: alice }, 5);
  const signed = relaysMap(doc).get('https://a.example') as Record<string, unknown>;
  // Copied to another URL, backdated, claimed without a signature, or read as another board: nobody.
  relaysMap(doc).set('https://evil.example', { ...signed });
  relaysMap(doc).set('https://later.example', { ...signed, addedAt: 4 });
  relaysMap(doc).set('https://claim.example', { addedAt: 1, by: signed.by });
  const entries = listBoardRelayEntries(doc, board.spaceId);
  assert.deepEqual(entries.map((e) => [e.url, e.addedBy]), [
    ['https://a.example', toBase64url(alice.publicKey)],
    ['https://claim.example', null],
    ['https://evil.example', null],
    ['https://later.example', null],
  ]);
  assert.equal(listBoardRelayEntries(doc, createSpace('board').spaceId)[0]!.addedBy, null);
});

test('a removal is signed, keeps the entry it replaced, and a later add replaces it', () => {
  const doc = new Y.Doc();
  const board = createSpace('board');
  const alice = generateIdentity();
  const mallory = generateIdentity();
  addBoardRelay(doc, 'https://a.example', { boardSpaceId: board.spaceId, identity: alice }, 5);
  assert.equal(removeBoardRelay(doc, 'https://a.example', { boardSpaceId: board.spaceId, identity: mallory }, 9), true);
  assert.equal(removeBoardRelay(doc, 'https://a.example', { boardSpaceId: board.spaceId, identity: mallory }, 10), false, 'removed already');
  assert.equal(removeBoardRelay(doc, 'https://never.example', { boardSpaceId: board.spaceId, identity: mallory }), false);
  assert.deepEqual(listBoardRelays(doc), []);
  assert.deepEqual(listBoardRelayEntries(doc, board.spaceId), [
    { url: 'https://a.example', addedAt: 5, addedBy: toBase64url(alice.publicKey), removed: { at: 9, by: toBase64url(mallory.publicKey) } },
  ]);
  // A removal copied to another URL, backdated, or unsigned still removes, but names nobody.
  const signed = relaysMap(doc).get('https://a.example') as Record<string, unknown>;
  relaysMap(doc).set('https://b.example', { ...signed });
  relaysMap(doc).set('https://c.example', { removedAt: 1 });
  const entries = listBoardRelayEntries(doc, board.spaceId);
  assert.deepEqual(entries.slice(1).map((e) => [e.url, e.removed, e.addedBy]), [
    ['https://b.example', { at: 9, by: null }, null],
    ['https://c.example', { at: 1, by: null }, null],
  ]);
  addBoardRelay(doc, 'https://a.example', { boardSpaceId: board.spaceId, identity: alice }, 12);
  assert.deepEqual(listBoardRelays(doc), ['https://a.example']);
  assert.equal(listBoardRelayEntries(doc, board.spaceId)[0]!.removed, null);
});

test('thread entries list newest first', () => {
  const doc = new Y.Doc();
  const a = testRoom(1).cap.spaceId;
  const b = testRoom(2).cap.spaceId;
  addThreadEntry(doc, a, { nonce, title: 'First', createdAt: 1, author: 'x' });
  addThreadEntry(doc, b, { nonce, title: 'Second\nline', createdAt: 2, author: 'y' });
  assert.deepEqual(
    listThreadEntries(doc).map((t) => [t.id, t.title]),
    [
      [b, 'Second line'],
      [a, 'First'],
    ],
  );
});

test('hostile entries in the board maps are skipped, not crashing', () => {
  const doc = new Y.Doc();
  const good = testRoom(1).cap.spaceId;
  const id = (n: number) => testRoom(n).cap.spaceId;
  doc.transact(() => {
    const threads = threadsMap(doc);
    threads.set(good, { nonce, title: 'ok', createdAt: 1, author: 'a' });
    threads.set('not-a-space-id', { nonce, title: 't', createdAt: 1, author: 'a' });
    threads.set(id(3), null);
    threads.set(id(4), 'a string');
    threads.set(id(5), 17);
    threads.set(id(6), new Uint8Array([1, 2, 3]));
    threads.set(id(7), { nonce: 'AAAA', title: 't', createdAt: 1, author: 'a' });
    threads.set(id(8), { nonce, title: 5, createdAt: 1, author: 'a' });
    threads.set(id(9), { nonce, title: 't', createdAt: '1', author: 'a' });
    threads.set(id(10), { nonce, title: 't', createdAt: 1 });
    threads.set(id(11), [nonce, 't', 1, 'a']);
    threads.set(id(12), new Y.Map());
    threads.set(id(13), { nonce: nonce + '=', title: 't', createdAt: 1, author: 'a' });
    const board = doc.getMap('board');
    board.set('title', { evil: true });
    board.set('createdAt', 'yesterday');
    const relays = relaysMap(doc);
    relays.set('javascript:alert(1)', { addedAt: 1 });
    relays.set('https://fine.example', 'not an object');
  });
  // Through an encoded update, as a peer would deliver it.
  const received = new Y.Doc();
  Y.applyUpdate(received, Y.encodeStateAsUpdate(doc));
  for (const d of [doc, received]) {
    assert.deepEqual(listThreadEntries(d).map((t) => t.id), [good as SpaceId]);
    assert.deepEqual(readBoardInfo(d), { title: '', createdAt: 0 });
    assert.deepEqual(listBoardRelays(d), ['https://fine.example']);
  }
});
