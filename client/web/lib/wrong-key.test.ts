// A mistyped read key, through the real client core: the blobs it holds are signed by the
// board's writer, none decrypts, and the problem names that space.
import { beforeAll, test } from 'vitest';
import assert from 'node:assert/strict';
import { formatCapability, generateIdentity, initSodium, parseCapability, toBase64url } from '#shared';
import { BatonClient, MemoryStore, boards } from '#client-core';
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
  const problems: string[] = [];
  const reader = new BatonClient({ store, identity: generateIdentity(), name: 'Bo', online: false, onProblem: (p) => problems.push(p) });
  const space = await reader.open(typo);
  const until = Date.now() + 5000;
  while (problems.length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  assert.ok(problems.length > 0, 'the undecryptable data is reported');
  assert.deepEqual([...new Set(problems.map(undecryptedSpace))], [board.spaceId], problems.join('\n'));
  assert.equal(nothingDecrypted(space), true);
  assert.equal(boards.boardTitle(space), '');

  const right = new BatonClient({ store, identity: generateIdentity(), name: 'Cy', online: false, onProblem: (p) => problems.push(`right: ${p}`) });
  const opened = await right.open(formatCapability(good));
  assert.equal(boards.boardTitle(opened), 'Relay watch');
  assert.equal(nothingDecrypted(opened), false);
  assert.deepEqual(problems.filter((p) => p.startsWith('right: ')), []);
});

test('other problems name no space; the words say what to do', () => {
  assert.equal(undecryptedSpace('abc.0: blob dropped: bad-padding'), null);
  assert.equal(undecryptedSpace('not a room: blob dropped: decrypt-failed'), null);
  const { title, body } = wrongKeyWords('board');
  assert.equal(title, 'This link’s key does not open this board');
  assert.match(body, /Ask for the link again\.$/);
  assert.doesNotMatch(title + body, /capabilit|blob|space id|base64|forged/i);
});
