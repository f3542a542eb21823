// Link blobs a client seals: a board's successors (named by its move records) as move links,
// everything else as plain links (docs/PROTOCOL.md §2, "Link roles").
import assert from 'node:assert/strict';
import { it } from 'vitest';
import * as Y from 'yjs';
import { checkBlob, initSodium, isMoveLink, movedMap, type SpaceId } from '#shared';
import { testRoom } from '#test/support/rooms.ts';
import { linkChildId, linkSealers, movedTo } from './link-blobs.ts';

await initSodium();

it('a board seals the successors its move records name as move links, its threads as plain links', () => {
  const board = testRoom(60, 0, 'board');
  const [thread, successor] = [testRoom(61).cap.spaceId as SpaceId, testRoom(62, 0, 'board').cap.spaceId as SpaceId];
  const plain = new Y.Doc();
  movedMap(plain).set(`${successor}/someone`, { to: successor });
  movedMap(plain).set('junk', { to: 'not a space id' });
  const moves = movedTo(board.cap, plain);
  assert.deepEqual([...moves], [successor]);
  assert.equal(movedTo(testRoom(63).cap, plain).size, 0, "a thread's doc names no successor");
  const blobs = linkSealers(board.key, [thread, successor], moves).map((seal, i) => ({ blob: seal({ client: 1, clock: i }), at: { client: 1, clock: i } }));
  assert.ok(blobs.every(({ blob, at }) => checkBlob(blob, board.roomKey, at).ok));
  assert.deepEqual(
    blobs.map(({ blob }) => [linkChildId(blob), isMoveLink(blob)]),
    [
      [thread, false],
      [successor, true],
    ],
  );
});
