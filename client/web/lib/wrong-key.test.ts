// A mistyped read key, through the real client core: the blobs it holds are signed by the
// board's writer, none decrypts, and the problem names that space.
import { beforeAll, test } from 'vitest';
import assert from 'node:assert/strict';
import { createSpace, formatCapability, generateIdentity, initSodium, parseCapability, roomName, toBase64url, type RoomName } from '#shared';
import { BatonClient, MemoryStore, boards, type ClientProblem } from '#client-core';
import { nothingDecrypted, undecryptedSpace, wrongKeyWords } from './wrong-key.ts';

beforeAll(async () => {
  await initSodium();
});

test('a read key off by one letter: every blob refused as undecryptable, nothing opened, the space named', async () => {
  const store = new MemoryStore();
  const writer = new BatonClient({ store, identity: generateIdentity(), name: 'Amira', online: false });
  const { board, caps } = await boards.createBoard(writer, { title: 'Relay watch', relays: [] });
  await boards.createThread(writer, board, { title: 'A thread', body: 'hello' });
  await writer.flush();
  const good = parseCapability(caps.read);
  const key = toBase64url(good.readKey!);
  const typo = caps.read.replace(key, key.slice(0, 10) + (key[10] === 'A' ? 'B' : 'A') + key.slice(11));
  assert.notEqual(typo, caps.read);
  const problems: ClientProblem[] = [];
  const reader = new BatonClient({ store, identity: generateIdentity(), name: 'Bo', online: false, onProblem: (p) => problems.push(p) });
  const space = await reader.open(typo);
  const until = Date.now() + 5000;
  while (problems.length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  assert.ok(problems.length > 0, 'the undecryptable data is reported');
  const seen = JSON.stringify(problems);
  assert.ok(problems.every((p) => p.kind === 'blob-dropped' && p.reason === 'decrypt-failed'), seen);
  assert.deepEqual([...new Set(problems.map(undecryptedSpace))], [board.spaceId], seen);
  assert.equal(nothingDecrypted(space), true);
  assert.equal(boards.boardTitle(space), '');

  const rightProblems: ClientProblem[] = [];
  const right = new BatonClient({ store, identity: generateIdentity(), name: 'Cy', online: false, onProblem: (p) => rightProblems.push(p) });
  const opened = await right.open(formatCapability(good));
  assert.equal(boards.boardTitle(opened), 'Relay watch');
  assert.equal(nothingDecrypted(opened), false);
  assert.deepEqual(rightProblems, []);
});

test('only a blob that did not decrypt names its space, whatever the epoch; other problems name none', () => {
  const space = createSpace('board').spaceId;
  assert.equal(undecryptedSpace({ kind: 'blob-dropped', room: roomName(space, 2), reason: 'decrypt-failed' }), space);
  assert.equal(undecryptedSpace({ kind: 'blob-dropped', room: roomName(space, 0), reason: 'bad-padding' }), null);
  assert.equal(undecryptedSpace({ kind: 'stored-update-refused', room: roomName(space, 0), reason: 'bad-blob', detail: 'decrypt-failed' }), null);
  assert.equal(undecryptedSpace({ kind: 'compaction-failed', room: roomName(space, 0), cause: 'decrypt-failed' }), null);
  assert.equal(undecryptedSpace({ kind: 'blob-dropped', room: 'not a room' as RoomName, reason: 'decrypt-failed' }), null);
});

test('the wrong-key words say what to do', () => {
  const { title, body } = wrongKeyWords('board');
  assert.equal(title, 'This link’s key does not open this board');
  assert.match(body, /Ask for the link again\.$/);
  assert.doesNotMatch(title + body, /capabilit|blob|space id|base64|forged/i);
});
