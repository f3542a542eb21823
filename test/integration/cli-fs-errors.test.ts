// Files and folders the CLI cannot use, as compiled and run: each is named with what went wrong
// in the user's language, from the error's code, never with Node's English or a stack.
import { afterAll, beforeAll, test } from 'vitest';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../support/baton-bin.ts';
import { Workspace, json, type BoardCaps, type CliResult, type Device } from './cli-harness.ts';

const catalog = (locale: string): Record<string, string> => JSON.parse(readFileSync(join(ROOT, 'client/l10n/cli', `${locale}.json`), 'utf8'));
/** A catalog's message with its values put in. */
const fill = (text: string, values: Record<string, string>) => text.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? `{${name}}`);

let ws: Workspace;
let device: Device;
let caps: BoardCaps;
let file: string;
let folder: string;
beforeAll(async () => {
  ws = new Workspace();
  const relay = await ws.relay();
  device = ws.device('dina');
  caps = json<BoardCaps>(await device.run('board', 'create', '--relay', relay.url, '--title', 'Files'));
  file = join(ws.root, 'a-file.txt');
  folder = join(ws.root, 'a-folder');
  writeFileSync(file, 'not a folder');
  mkdirSync(folder);
}, 30_000);
afterAll(() => ws.close());

/** The one line a failed command printed, checked to be free of Node's English and of a stack. */
function failed(result: CliResult, code = 1): string {
  assert.equal(result.code, code, result.stderr);
  assert.doesNotMatch(result.stderr, /\n\s+at |no such file or directory|illegal operation|not a directory|permission denied/i, result.stderr);
  assert.doesNotMatch(result.stderr, /\bE[A-Z]+: /, result.stderr);
  assert.equal(result.stderr.split('\n').length, 2, result.stderr);
  return result.stderr;
}

test('a bundle to import that is missing, or is a folder', async () => {
  const fa = catalog('fa');
  const missing = join(ws.root, 'missing.baton');
  assert.equal(failed(await device.run('import', missing, '--lang', 'fa')), `baton: ${fill(fa['cli.cannotRead']!, { file: missing, reason: fa['cli.fs.noEntry']! })}\n`);
  const ar = catalog('ar');
  assert.equal(failed(await device.run('import', folder, '--lang', 'ar')), `baton: ${fill(ar['cli.cannotRead']!, { file: folder, reason: ar['cli.fs.isFolder']! })}\n`);
});

test('a file to attach that is a folder', async () => {
  const tr = catalog('tr');
  const said = failed(await device.run('post', caps.write, '--thread', 'x', '--body', 'hi', '--attach', folder, '--lang', 'tr'));
  assert.equal(said, `baton: ${fill(tr['cli.failure.about']!, { subject: folder, why: tr['cli.fs.isFolder']! })}\n`);
});

test('a bundle to export into a folder that is not there', async () => {
  const ru = catalog('ru');
  const out = join(ws.root, 'no-such-folder', 'board.baton');
  const said = failed(await device.run('export', caps.read, '--out', out, '--lang', 'ru'));
  assert.equal(said, `baton: ${fill(ru['cli.cannotWrite']!, { out, reason: ru['cli.fs.noEntry']! })}\n`);
});

test('a data directory where a file is', async () => {
  const zh = catalog('zh-Hans');
  const said = failed(await device.run('identity', 'show', '--data', file, '--lang', 'zh-Hans'));
  assert.equal(said, `baton: ${fill(zh['cli.fs.at']!, { path: file, problem: zh['cli.fs.notFolder']! })}\n`);
});

test('a folder this user may not write into (needs a user other than root)', async (ctx) => {
  if (process.getuid?.() === 0) return ctx.skip('root may write into any folder, so no permission error can be caused');
  const readOnly = join(ws.root, 'read-only');
  mkdirSync(readOnly, { mode: 0o500 });
  const uk = catalog('uk');
  const out = join(readOnly, 'board.baton');
  const said = failed(await device.run('export', caps.read, '--out', out, '--lang', 'uk'));
  assert.equal(said, `baton: ${fill(uk['cli.cannotWrite']!, { out, reason: uk['cli.fs.denied']! })}\n`);
});
