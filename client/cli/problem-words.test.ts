// The client core's problems in the user's language: every kind worded in every catalog, and
// real problems from a real client on real files said in Persian, Russian and Arabic.
import { afterAll, afterEach, test } from 'vitest';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSpace, initSodium, parseCapability, roomName, toBase64url, type RoomName } from '#shared';
import { boards, type BatonClient, type ClientProblem } from '#client-core';
import { openNodeClient } from '#client-node';
import { fileBase } from '#client-node/room-files.ts';
import { CLI_LOCALES, CLI_SOURCE_LOCALE } from '#shared/l10n/locale.ts';
import { fileSystemProblem } from './fs-words.ts';
import { setCliLocale } from './l10n.ts';
import { problemWords } from './problem-words.ts';

await initSodium();

const root = mkdtempSync(join(tmpdir(), 'baton-problem-words-'));
afterEach(() => setCliLocale(CLI_SOURCE_LOCALE));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const catalog = (locale: string): Record<string, string> => JSON.parse(readFileSync(new URL(`../l10n/cli/${locale}.json`, import.meta.url), 'utf8'));
/** A catalog's message with its values put in. */
const fill = (text: string, values: Record<string, string | number>) => text.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? `{${name}}`));

const room = roomName(createSpace('thread').spaceId, 3);
const space = createSpace('thread').spaceId;
const relay = 'wss://relay.example.org';
const at = { client: 1234, clock: 56 };

/** One problem for each sentence the CLI has. */
const SAMPLES: ClientProblem[] = [
  { kind: 'blob-dropped', room, reason: 'decrypt-failed' },
  { kind: 'blob-dropped', room, reason: 'not-yjs' },
  { kind: 'blob-dropped', room, reason: 'bad-padding' },
  { kind: 'change-not-published', room },
  { kind: 'stored-update-refused', room, reason: 'malformed', detail: 'not a Yjs v1 update' },
  { kind: 'store-damaged', room, at: 4711 },
  { kind: 'store-damaged', room },
  { kind: 'store-unreadable', room, cause: 'quota exceeded' },
  { kind: 'store-not-set-aside', room, cause: 'quota exceeded' },
  { kind: 'store-unopened', room, count: 7 },
  { kind: 'bytes-differ', room, relay, at },
  { kind: 'write-displaced', room, relay, at, resealedAt: [{ client: 99, clock: 1 }, { client: 99, clock: 2 }] },
  { kind: 'write-displaced', room, relay, at, resealedAt: [] },
  { kind: 'compaction-failed', room, cause: 'quota exceeded' },
  { kind: 'preview-failed', space, step: 'seal', cause: 'quota exceeded' },
  { kind: 'preview-failed', space, step: 'store', cause: 'quota exceeded' },
  { kind: 'first-screen-failed', space, cause: 'quota exceeded' },
];

/** The values a sentence must keep, as the user will look them up (room, relay, ids, counts, the cause). */
function valuesOf(p: ClientProblem): string[] {
  const own = p.kind === 'blob-dropped' && (p.reason === 'decrypt-failed' || p.reason === 'not-yjs'); // reasons said in words of their own
  const values = Object.entries(p).filter(([k]) => !['kind', 'step', 'space', 'at', 'resealedAt', ...(own ? ['reason'] : [])].includes(k)).map(([, v]) => String(v));
  if (p.kind === 'bytes-differ') values.push('1234:56');
  if (p.kind === 'write-displaced') values.push('1234:56', ...p.resealedAt.map((r) => `${r.client}:${r.clock}`));
  if (p.kind === 'store-damaged' && p.at !== undefined) values.push(String(p.at));
  return values;
}

test('each problem has its own sentence in every language, keeping its values', () => {
  const ids = Object.keys(catalog('en')).filter((id) => id.startsWith('cli.problem.'));
  const english = SAMPLES.map(problemWords);
  assert.equal(new Set(english).size, SAMPLES.length, 'no two share their words');
  assert.equal(ids.length, SAMPLES.length, 'every sentence is tried here');
  for (const locale of CLI_LOCALES) {
    setCliLocale(locale);
    const said = SAMPLES.map(problemWords);
    if (locale !== CLI_SOURCE_LOCALE) assert.deepEqual(said.filter((s, i) => s === english[i] || s.trim() === ''), [], `${locale}: said in English`);
    SAMPLES.forEach((p, i) => {
      for (const value of valuesOf(p)) assert.ok(said[i]!.includes(value), `${locale} ${p.kind}: ${value} is kept in "${said[i]}"`);
    });
  }
});

/** A client on a data directory of its own, offline; what it reports is collected. */
async function device(dir: string, problems: ClientProblem[] = []): Promise<BatonClient> {
  return openNodeClient({ dataDir: join(root, dir), name: 'Leyla', online: false, onProblem: (p) => problems.push(p) });
}

const logOf = (dir: string, r: RoomName) => join(root, dir, 'rooms', fileBase(r) + '.log');

test('a damaged local copy is said in Persian, where it is damaged and in the words of the catalog', async () => {
  const writer = await device('damaged');
  const { board, caps } = await boards.createBoard(writer, { title: 'Relay watch', relays: [] });
  await writer.close();
  const boardRoom = roomName(board.spaceId, 0);
  const intact = readFileSync(logOf('damaged', boardRoom)).length;
  appendFileSync(logOf('damaged', boardRoom), new Uint8Array([0, 0, 0, 9, 1, 2])); // a record cut short by a crash

  const problems: ClientProblem[] = [];
  const reader = await device('damaged', problems);
  await reader.open(caps.read);
  await reader.close();
  assert.deepEqual(problems, [{ kind: 'store-damaged', room: boardRoom, at: intact }]);
  setCliLocale('fa');
  assert.equal(problemWords(problems[0]!), fill(catalog('fa')['cli.problem.storeDamaged']!, { room: boardRoom, at: intact }));
});

test("a local copy that cannot be read is said from the system error's code, never in Node's English", async () => {
  const writer = await device('unreadable');
  const { board, caps } = await boards.createBoard(writer, { title: 'Relay watch', relays: [] });
  await writer.close();
  const boardRoom = roomName(board.spaceId, 0);
  rmSync(logOf('unreadable', boardRoom));
  mkdirSync(logOf('unreadable', boardRoom));

  const problems: ClientProblem[] = [];
  const reader = await device('unreadable', problems);
  await reader.open(caps.read);
  await reader.close();
  assert.equal(problems.length, 1, JSON.stringify(problems));
  assert.deepEqual({ ...problems[0], cause: undefined }, { kind: 'store-unreadable', room: boardRoom, code: 'EISDIR', cause: undefined });
  setCliLocale('ru');
  const said = problemWords(problems[0]!);
  const reason = fileSystemProblem({ code: 'EISDIR', syscall: 'open', path: undefined });
  assert.equal(said, fill(catalog('ru')['cli.problem.storeUnreadable']!, { room: boardRoom, reason }));
  assert.ok(!said.includes((problems[0] as { cause: string }).cause), said);
});

test('a link with a mistyped read key is said in Arabic as a key that does not decrypt', async () => {
  const writer = await device('typo');
  const { board, caps } = await boards.createBoard(writer, { title: 'Relay watch', relays: [] });
  await boards.createThread(writer, board, { title: 'A thread', body: 'hello' });
  await writer.close();
  const key = toBase64url(parseCapability(caps.read).readKey!);
  const typo = caps.read.replace(key, key.slice(0, 10) + (key[10] === 'A' ? 'B' : 'A') + key.slice(11));

  const problems: ClientProblem[] = [];
  const reader = await device('typo', problems);
  await reader.open(typo);
  const until = Date.now() + 5000;
  while (problems.length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  await reader.close();
  assert.ok(problems.length > 0, 'the undecryptable data is reported');
  setCliLocale('ar');
  const expected = fill(catalog('ar')['cli.problem.undecrypted']!, { room: roomName(board.spaceId, 0) });
  assert.deepEqual([...new Set(problems.map(problemWords))], [expected]);
});
