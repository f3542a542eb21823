// The CLI in the user's language, as compiled: its help, its errors and notes on stderr and its
// text output follow --lang or the POSIX locale; its JSON stays the same in every language.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseCapability, roomName } from '#shared';
import { fileBase } from '#client-node/room-files.ts';
import { ROOT } from '../support/baton-bin.ts';
import { Workspace, baton, json, type BoardCaps } from './cli-harness.ts';

const catalog = (locale: string): Record<string, string> => JSON.parse(readFileSync(join(ROOT, 'client/l10n/cli', `${locale}.json`), 'utf8'));
/** The environment of a person whose system speaks `lang` (LC_ALL left unset). */
const speaking = (lang: string) => ({ LC_ALL: '', LC_MESSAGES: '', LANG: lang });

test('help and usage errors follow LANG, LC_ALL above it and --lang above both', async () => {
  const ru = catalog('ru');
  const help = await baton(['--help'], speaking('ru_RU.UTF-8'));
  assert.equal(help.code, 0, help.stderr);
  assert.match(help.stdout, /^usage: baton <command>/, 'the command lines stay as typed');
  assert.ok(help.stdout.includes(ru['cli.usageSync']!), help.stdout);
  assert.ok(!help.stdout.includes(catalog('en')['cli.usageSync']!));

  const over = await baton(['--help'], { LC_ALL: 'uk_UA.UTF-8', LANG: 'ru_RU.UTF-8' });
  assert.ok(over.stdout.includes(catalog('uk')['cli.usageSync']!), 'LC_ALL wins over LANG');
  const flag = await baton(['--lang', 'zh-Hans', '--help'], { LC_ALL: 'uk_UA.UTF-8' });
  assert.ok(flag.stdout.includes(catalog('zh-Hans')['cli.usageSync']!), '--lang wins over LC_ALL');

  const unknown = await baton(['frobnicate'], speaking('fa_IR.UTF-8'));
  assert.equal(unknown.code, 2);
  assert.equal(unknown.stderr, `baton: ${catalog('fa')['cli.unknownCommand']!.replace('{command}', 'frobnicate')} (baton --help)\n`);
  const badLang = await baton(['--lang', 'xx', '--help']);
  assert.equal(badLang.code, 2);
  assert.match(badLang.stderr, /^baton: --lang takes one of en, ar, .*zh-Hans \(baton --help\)\n$/);
});

test('JSON is the same in every language; errors and text output are in the chosen one', async () => {
  const ws = new Workspace();
  try {
    const relay = await ws.relay();
    const device = ws.device('leyla');
    const caps = json<BoardCaps>(await device.run('board', 'create', '--relay', relay.url, '--title', 'Relay watch', '--name', 'Leyla', '--lang', 'ar'));
    assert.deepEqual(Object.keys(caps).sort(), ['mirror', 'read', 'write']);
    json(await device.run('thread', 'create', caps.write, '--title', 'Which relays work', '--lang', 'fa'));

    const english = await device.run('read', caps.read, '--json');
    for (const lang of ['fa', 'ar', 'my', 'zh-Hans']) {
      const other = await device.run('read', caps.read, '--json', '--lang', lang);
      assert.equal(other.stdout, english.stdout, `read --json in ${lang}`);
    }

    const fa = catalog('fa');
    const text = await device.run('read', caps.read, '--lang', 'fa');
    assert.equal(text.code, 0, text.stderr);
    assert.ok(text.stdout.includes(fa['cli.noPosts']!), text.stdout);

    const refused = await device.run('post', caps.read, '--thread', 'x', '--body', 'hello', '--lang', 'fa');
    assert.equal(refused.code, 1);
    assert.equal(refused.stderr, `baton: ${fa['cli.readOnlyBoard']!.replace('{action}', fa['cli.actionPost']!)}\n`);
  } finally {
    await ws.close();
  }
});

test("the client's refusals are said in the chosen language, with the exit code they always had", async () => {
  const ws = new Workspace();
  try {
    const relay = await ws.relay();
    const leyla = ws.device('leyla');
    const omid = ws.device('omid');
    const caps = json<BoardCaps>(await leyla.run('board', 'create', '--relay', relay.url, '--title', 'Rally', '--name', 'Leyla'));
    const thread = json<{ id: string }>(await leyla.run('thread', 'create', caps.write, '--title', 'Route'));
    const post = json<{ id: string }>(await leyla.run('post', caps.write, '--thread', thread.id, '--body', 'north gate at six')).id;
    const [en, fa, ar] = [catalog('en'), catalog('fa'), catalog('ar')];
    /** The words of a line on stderr, which in Persian or Arabic hold no Latin letter. */
    const unlatin = (stderr: string) => assert.doesNotMatch(stderr.replace(/^baton: /, ''), /[A-Za-z]/, stderr);

    // Omid holds the write link, but the post is Leyla's: LANG speaks Persian.
    const edit = ['edit', caps.write, '--thread', thread.id, '--post', post, '--body', 'south gate'];
    const notAuthor = await baton(['--data', omid.dir, '--timeout', '8', ...edit], speaking('fa_IR.UTF-8'));
    assert.equal(notAuthor.code, 1, notAuthor.stderr);
    assert.equal(notAuthor.stderr, `baton: ${fa['cli.failure.notAuthor']}\n`);
    unlatin(notAuthor.stderr);
    const inEnglish = await omid.run(...edit);
    assert.equal(inEnglish.code, 1);
    assert.equal(inEnglish.stderr, `baton: ${en['cli.failure.notAuthor']}\n`);

    // Leyla's edit to the text the post has already, with --lang ar.
    const unchanged = await leyla.run('edit', caps.write, '--thread', thread.id, '--post', post, '--body', 'north gate at six', '--lang', 'ar');
    assert.equal(unchanged.code, 1, unchanged.stderr);
    assert.equal(unchanged.stderr, `baton: ${ar['cli.failure.unchanged']}\n`);
    unlatin(unchanged.stderr);

    // A damaged capability, refused before anything is opened.
    const damaged = await baton(['read', 'baton:board:not-a-space-id', '--lang', 'fa']);
    assert.equal(damaged.code, 1, damaged.stderr);
    assert.equal(damaged.stderr, `baton: ${fa['cli.badCapability']!.replace('{reason}', fa['cli.failure.capBadSpaceId']!)}\n`);
    unlatin(damaged.stderr);

    // A refusal whose English names what is missing keeps it, marked as English.
    const nowhere = 'A'.repeat(43);
    const notFound = await omid.run('delete', caps.write, '--thread', nowhere, '--post', post, '--lang', 'fa');
    assert.equal(notFound.code, 1, notFound.stderr);
    const detail = `no thread ${nowhere} in this board`;
    assert.equal(notFound.stderr, `baton: ${fa['cli.failure.inEnglish']!.replace('{why}', fa['cli.failure.notFound']!).replace('{detail}', detail)}\n`);
    assert.equal((await omid.run('delete', caps.write, '--thread', nowhere, '--post', post)).stderr, `baton: ${detail}\n`, 'in English, the English alone');
  } finally {
    await ws.close();
  }
});

test('a problem the client finds on its own is said in the chosen language, never in the English of the code', async () => {
  const ws = new Workspace();
  try {
    const relay = await ws.relay();
    const leyla = ws.device('leyla');
    const caps = json<BoardCaps>(await leyla.run('board', 'create', '--relay', relay.url, '--title', 'Rally', '--name', 'Leyla'));
    const room = roomName(parseCapability(caps.read).spaceId, 0);
    const log = join(leyla.dir, 'rooms', fileBase(room) + '.log');
    const at = statSync(log).size;
    appendFileSync(log, new Uint8Array([0, 0, 0, 9, 1, 2])); // a record cut short by a crash

    const read = await leyla.run('read', caps.read, '--lang', 'fa');
    assert.equal(read.code, 0, read.stderr);
    const line = `baton: ${catalog('fa')['cli.problem.storeDamaged']!.replace('{room}', room).replace('{at}', String(at))}\n`;
    assert.ok(read.stderr.includes(line), read.stderr);
    assert.doesNotMatch(read.stderr.replaceAll(room, ''), /damaged|record|byte/i, 'no English around the values');
  } finally {
    await ws.close();
  }
});
