// A thread's published first screen and a moved board's carried posts: they show as signed only
// through the owner-signed carried records the record carries, never through a writer's own.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { addCarriedRecord, addPost, createSpace, deriveThreadCapability, generateIdentity, initSodium, initThreadDoc, postsMap, signCarried, signPost, toBase64url } from '#shared';
import { firstScreenMap, readFirstScreen, signFirstScreen } from './first-screen.ts';

await initSodium();

test('carried posts in a first screen verify through the owner-signed record it carries', () => {
  const owner = generateIdentity();
  const writer = generateIdentity();
  const board = { ...createSpace('board'), owner: toBase64url(owner.publicKey) };
  const thread = deriveThreadCapability(board, new Uint8Array(16).fill(7));
  const oldThread = createSpace('thread').spaceId;
  const doc = new Y.Doc();
  initThreadDoc(doc, { title: 'Carried', createdAt: 1, boardId: board.spaceId });
  const carried = { ...signPost(writer, { threadSpaceId: oldThread, name: 'w', body: 'from before the move', ts: 10 }), from: oldThread };
  postsMap(doc).set(carried.id, carried);
  addPost(doc, signPost(writer, { threadSpaceId: thread.spaceId, name: 'w', body: 'after the move', ts: 20 }));

  const read = (d: Y.Doc) => {
    const screen = new Y.Doc();
    firstScreenMap(screen).set('signed', signFirstScreen(thread, d)!);
    return readFirstScreen(thread, screen)?.posts.map((p) => [p.body, p.verified]);
  };
  // Without a record: the carried post does not verify here.
  assert.deepEqual(read(doc), [['from before the move', false], ['after the move', true]]);
  // A writer's own record counts for nothing.
  addCarriedRecord(doc, signCarried(thread.spaceId, writer, [oldThread]));
  assert.deepEqual(read(doc), [['from before the move', false], ['after the move', true]]);
  // The owner's does.
  addCarriedRecord(doc, signCarried(thread.spaceId, owner, [oldThread]));
  assert.deepEqual(read(doc), [['from before the move', true], ['after the move', true]]);
});
