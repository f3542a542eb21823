// File-system errors said from their code, with real errors from real files.
import { afterAll, afterEach, test } from 'vitest';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClientError } from '#client-core';
import { CLI_LOCALES, CLI_SOURCE_LOCALE } from '#shared/l10n/locale.ts';
import { failureOf, failureWords } from './failure.ts';
import { fileSystemErrorIn, fileSystemProblem, reasonOf } from './fs-words.ts';
import { setCliLocale } from './l10n.ts';

const root = mkdtempSync(join(tmpdir(), 'baton-fs-words-'));
const file = join(root, 'a-file');
const folder = join(root, 'a-folder');
writeFileSync(file, 'x');
mkdirSync(folder);
symlinkSync(join(root, 'loop'), join(root, 'loop'));

afterEach(() => setCliLocale(CLI_SOURCE_LOCALE));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The error a file-system call throws. */
function errorOf(call: () => unknown): NodeJS.ErrnoException {
  try {
    call();
  } catch (err) {
    return err as NodeJS.ErrnoException;
  }
  throw new Error('the call did not fail');
}

/** Real errors, by what they show. */
const REAL = {
  missing: () => errorOf(() => readFileSync(join(root, 'missing.baton'))),
  folderAsFile: () => errorOf(() => readFileSync(folder)),
  fileOnPath: () => errorOf(() => readFileSync(join(file, 'inside'))),
  fileAsFolder: () => errorOf(() => mkdirSync(file, { recursive: true })),
  exists: () => errorOf(() => writeFileSync(file, 'y', { flag: 'wx' })),
  longName: () => errorOf(() => readFileSync(join(root, 'n'.repeat(5000)))),
  diskFull: () => errorOf(() => writeFileSync('/dev/full', 'x')),
  loop: () => errorOf(() => readFileSync(join(root, 'loop'))),
};

/** The words of `code`, in the language now chosen. */
const wordsOf = (code: string) => fileSystemProblem({ code, syscall: 'open', path: undefined });

/** Every code said, including those no test here can cause (a read-only disk, too many open files). */
const CODES = ['ENOENT', 'EACCES', 'ENOSPC', 'EISDIR', 'ENOTDIR', 'EEXIST', 'EROFS', 'EMFILE', 'ENAMETOOLONG', 'EIO'];
const problems = () => CODES.map((code) => wordsOf(code));

test('each file-system error has its own words in every language, and an unknown one names its code', () => {
  const english = problems();
  assert.equal(new Set(english).size, CODES.length, 'no two codes share their words');
  assert.match(english.at(-1)!, /\(EIO\)$/);
  assert.equal(wordsOf('EPERM'), wordsOf('EACCES'));
  for (const locale of CLI_LOCALES.filter((l) => l !== CLI_SOURCE_LOCALE)) {
    setCliLocale(locale);
    const said = problems();
    const untranslated = CODES.filter((_, i) => said[i] === english[i] || said[i]!.trim() === '');
    assert.deepEqual(untranslated, [], `${locale}: said in English`);
    assert.ok(said.at(-1)!.includes('EIO'), `${locale}: the unknown code is named`);
  }
});

test("real errors are said with their path in the user's language, never in Node's English", () => {
  const expected: Record<keyof typeof REAL, string> = {
    missing: 'ENOENT',
    folderAsFile: 'EISDIR',
    fileOnPath: 'ENOTDIR',
    fileAsFolder: 'ENOTDIR', // mkdir -p where a file is in the way: EEXIST from Node
    exists: 'EEXIST',
    longName: 'ENAMETOOLONG',
    diskFull: 'ENOSPC',
    loop: 'ELOOP',
  };
  for (const locale of ['en', 'fa', 'ru']) {
    setCliLocale(locale);
    for (const [name, make] of Object.entries(REAL) as [keyof typeof REAL, () => NodeJS.ErrnoException][]) {
      const err = make();
      assert.ok(fileSystemErrorIn(err), name);
      const words = wordsOf(expected[name]);
      const said = failureWords(err);
      assert.ok(said.includes(words), `${locale} ${name}: ${said}`);
      if (err.path !== undefined) assert.ok(said.includes(err.path.slice(0, 200)), `${locale} ${name} names the path: ${said}`);
      assert.ok(!said.includes(err.message) && !said.includes(`${err.code}:`) && !/\n\s+at /.test(said), `${locale} ${name}: ${said}`);
      if (name === 'loop') assert.ok(said.includes('ELOOP'), said);
    }
  }
});

test('a client error that wraps one says the code\'s words and the file\'s; a file named already is named once', () => {
  setCliLocale('fa');
  const cause = REAL.missing();
  const store = new ClientError('store', `cannot read ${cause.path}: ${cause.message}`, undefined, { cause });
  const said = failureWords(store);
  assert.ok(said.includes(cause.path!) && said.includes(reasonOf(cause)), said);
  assert.doesNotMatch(said, /no such file or directory/);
  const attached = new ClientError('bad-input', `cannot read ${folder}: …`, undefined, { cause: REAL.folderAsFile() });
  assert.equal(failureOf(folder, attached), `${folder}: ${reasonOf(REAL.folderAsFile())}`);
  assert.equal(reasonOf(new Error('file too large')), 'file too large', 'other errors keep their message');
});

test('a folder this user may not write is said so (needs a user other than root)', (ctx) => {
  if (process.getuid?.() === 0) return ctx.skip('root may write into any folder, so no permission error can be caused');
  const locked = join(root, 'locked');
  mkdirSync(locked, { mode: 0o500 });
  const err = errorOf(() => writeFileSync(join(locked, 'x.baton'), 'x'));
  assert.equal(err.code, 'EACCES');
  setCliLocale('ar');
  const said = failureWords(err);
  assert.ok(said.includes(join(locked, 'x.baton')) && said.includes(wordsOf('EACCES')), said);
  assert.doesNotMatch(said, /permission denied/i);
});
