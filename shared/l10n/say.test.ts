import { afterEach, test } from 'vitest';
import assert from 'node:assert/strict';
import { langFlag, matchCliLocale, pickCliLocale } from './locale.ts';
import { readFileSync } from 'node:fs';
import { say, sayIn, str, useSayLocale } from './say.ts';

/** The catalogs of the source tree, as the CLI and the relay read them. */
const files = (code: string) => readFileSync(new URL(`../../client/l10n/cli/${code}.json`, import.meta.url), 'utf8');

afterEach(() => useSayLocale('en', files));

test('the language comes from --lang, then LC_ALL, LC_MESSAGES and LANG; C and unknown ones are English', () => {
  assert.equal(matchCliLocale('fa_IR.UTF-8'), 'fa');
  assert.equal(matchCliLocale('zh_CN.GB18030'), 'zh-Hans');
  assert.equal(matchCliLocale('zh_TW.UTF-8'), null);
  assert.equal(matchCliLocale('uk_UA.UTF-8@euro'), 'uk');
  assert.equal(matchCliLocale('C.UTF-8'), null);
  assert.equal(matchCliLocale('POSIX'), null);
  assert.equal(pickCliLocale(undefined, { LANG: 'ru_RU.UTF-8' }), 'ru');
  assert.equal(pickCliLocale(undefined, { LC_MESSAGES: 'tr_TR.UTF-8', LANG: 'ru_RU.UTF-8' }), 'tr');
  assert.equal(pickCliLocale(undefined, { LC_ALL: 'es_ES.UTF-8', LC_MESSAGES: 'tr_TR.UTF-8', LANG: 'ru_RU.UTF-8' }), 'es');
  assert.equal(pickCliLocale('my', { LC_ALL: 'es_ES.UTF-8' }), 'my', '--lang wins');
  assert.equal(pickCliLocale(undefined, { LC_ALL: 'C', LANG: 'fa_IR.UTF-8' }), 'en', 'LC_ALL=C means the messages of the code');
  assert.equal(pickCliLocale(undefined, { LANG: 'de_DE.UTF-8' }), 'en');
  assert.deepEqual([langFlag(['read', '--lang', 'fa']), langFlag(['--lang=ar']), langFlag(['--', '--lang', 'fa'])], ['fa', 'ar', undefined]);
});

test('a message reads in the chosen language, its values where the translation puts them', () => {
  const file = 'board.baton';
  const reason = 'EACCES';
  assert.equal(say(str`cannot read ${file}: ${reason}`, { id: 'cli.cannotRead' }), 'cannot read board.baton: EACCES');
  useSayLocale('fa', files);
  assert.equal(say(str`cannot read ${file}: ${reason}`, { id: 'cli.cannotRead' }), 'board.baton خوانده نشد: EACCES');
  assert.equal(say('(no posts yet)', { id: 'cli.noPosts' }), '(هنوز پیامی نیست)');
  assert.equal(say('not in any catalog', { id: 'cli.nothingLikeThis' }), 'not in any catalog', 'a missing id shows the English');
});

test('only the chosen catalog is read, with the English that names its values, once; English reads none', () => {
  const read: string[] = [];
  const counting = (code: string) => {
    read.push(code);
    return files(code);
  };
  useSayLocale('en', counting);
  say('(no posts yet)', { id: 'cli.noPosts' });
  assert.deepEqual(read, []);
  useSayLocale('ar', counting);
  for (let i = 0; i < 3; i++) say('(no posts yet)', { id: 'cli.noPosts' });
  assert.deepEqual(read.sort(), ['ar', 'en']);
});

test("a say() of its own speaks its language whatever the process speaks, reading that catalog once", () => {
  const read: string[] = [];
  const persian = sayIn('fa', (code) => (read.push(code), files(code)));
  const file = 'board.baton';
  const reason = 'EACCES';
  assert.equal(persian(str`cannot read ${file}: ${reason}`, { id: 'cli.cannotRead' }), 'board.baton خوانده نشد: EACCES');
  assert.equal(persian('(no posts yet)', { id: 'cli.noPosts' }), '(هنوز پیامی نیست)');
  assert.equal(say('(no posts yet)', { id: 'cli.noPosts' }), '(no posts yet)', 'the process still speaks English');
  assert.deepEqual(read.sort(), ['en', 'fa']);
  assert.equal(sayIn('en', () => assert.fail('English reads no catalog'))('(no posts yet)', { id: 'cli.noPosts' }), '(no posts yet)');
});
