// The records of the English each translation was made from (client/l10n/sources/): a new
// translation is recorded by npm run l10n:extract, a changed English is not (so the catalog
// test catches it) until npm run l10n:reviewed records the checked translation.
import { afterEach, test } from 'vitest';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error a build script without types
import { sourceHash, sourcesPath, updateSources } from '../../scripts/l10n-messages.js';

const source = { dirs: ['client/web'], callee: 'msg', catalogs: 'client/l10n/web' };
let root = '';
afterEach(() => rmSync(root, { recursive: true, force: true }));

test('a new translation is recorded, a changed English is not until the translation is reviewed, a gone one is dropped', () => {
  root = mkdtempSync(join(tmpdir(), 'baton-sources-'));
  mkdirSync(join(root, source.catalogs), { recursive: true });
  const write = (locale: string, catalog: Record<string, string>) => writeFileSync(join(root, source.catalogs, `${locale}.json`), JSON.stringify(catalog));
  const records = () => JSON.parse(readFileSync(join(root, sourcesPath(source, 'fa')), 'utf8')) as Record<string, string>;

  write('en', { 'a.one': 'One', 'a.two': 'Two' });
  write('fa', { 'a.one': 'یک', 'a.two': 'دو' });
  assert.deepEqual(updateSources(root, source, 'fa'), ['a.one', 'a.two']);
  assert.deepEqual(records(), { 'a.one': sourceHash('One'), 'a.two': sourceHash('Two') });

  write('en', { 'a.one': 'One more', 'a.two': 'Two' });
  assert.deepEqual(updateSources(root, source, 'fa'), [], 'extracting again does not bless a stale translation');
  assert.equal(records()['a.one'], sourceHash('One'));

  write('fa', { 'a.one': 'یکی دیگر', 'a.two': 'دو' });
  assert.deepEqual(updateSources(root, source, 'fa', ['a.one']), ['a.one']);
  assert.equal(records()['a.one'], sourceHash('One more'));

  write('en', { 'a.one': 'One more' });
  updateSources(root, source, 'fa');
  assert.deepEqual(Object.keys(records()), ['a.one'], 'the record of an id gone from the English is dropped');
});
