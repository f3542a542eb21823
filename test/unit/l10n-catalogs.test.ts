// The catalogs against the code: the English catalog is exactly the messages of the code
// (`npm run l10n:extract` writes it), and every shipped language has every message, no other,
// each with the same named values, so no screen falls back to English; and each translation is
// of today's English (client/l10n/sources/ records the English each was made from).
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
// @ts-expect-error a build script without types
import { SOURCES, catalogJson, extractMessages, sourceHash, sourcesPath } from '../../scripts/l10n-messages.js';

import { LOCALES, SOURCE_LOCALE } from '#client-web/l10n/locales.ts';
import { placeholders } from '#client-web/l10n/templates.ts';
import { CLI_LANGUAGES, CLI_LOCALES } from '#shared/l10n/locale.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

type Source = { dirs: string[]; callee: string; catalogs: string };

const read = (path: string): Record<string, string> => JSON.parse(readFileSync(join(root, path), 'utf8'));

for (const source of SOURCES as Source[]) {
  test(`${source.catalogs}/en.json is the messages of ${source.dirs.join(' and ')}, as npm run l10n:extract writes them`, () => {
    const { messages, problems } = extractMessages(root, source) as { messages: Map<string, string>; problems: string[] };
    assert.deepEqual(problems, []);
    assert.ok(messages.size > 0);
    const path = join(source.catalogs, 'en.json');
    assert.ok(existsSync(join(root, path)), `${path} is missing: run npm run l10n:extract`);
    const onDisk = readFileSync(join(root, path), 'utf8');
    const wanted = catalogJson(messages) as string;
    if (onDisk !== wanted) {
      const have = read(path);
      const missing = [...messages.keys()].filter((id) => have[id] !== messages.get(id));
      const stale = Object.keys(have).filter((id) => !messages.has(id));
      assert.fail(`${path} differs from the code: run npm run l10n:extract (new or changed: ${missing.join(', ') || 'none'}; gone: ${stale.join(', ') || 'none'})`);
    }
  });
}

/** The languages a catalog folder must hold: every one the client offers. */
const SHIPPED = LOCALES.map((l) => l.code).filter((code) => code !== SOURCE_LOCALE);

test('the CLI and the web client speak the same languages', () => {
  assert.deepEqual([...CLI_LOCALES].sort(), LOCALES.map((l) => l.code).sort());
  // The relay's page names each language as the web client's switcher does, in the same direction.
  const byCode = (list: readonly { code: string; name: string; dir: string }[]) => Object.fromEntries(list.map((l) => [l.code, `${l.name} ${l.dir}`]));
  assert.deepEqual(byCode(CLI_LANGUAGES), byCode(LOCALES));
});

/** Text a catalog may not hold: the marks of l10n/slots.ts, controls other than a line break, bidi overrides. */
const FORBIDDEN = /[\ue000-\uf8ff\u0000-\u0009\u000b-\u001f\u202a-\u202e\u2066-\u2069]/;

for (const source of SOURCES as Source[]) {
  const english = read(join(source.catalogs, 'en.json'));

  test(`${source.catalogs} holds a catalog for each language offered, and no other`, () => {
    const files = readdirSync(join(root, source.catalogs)).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();
    assert.deepEqual(files, [SOURCE_LOCALE, ...SHIPPED].sort());
  });

  for (const locale of SHIPPED) {
    test(`${source.catalogs}/${locale}.json has every message of the English, no other, each with the same values`, () => {
      const catalog = read(join(source.catalogs, `${locale}.json`));
      const missing = Object.keys(english).filter((id) => !(id in catalog));
      const extra = Object.keys(catalog).filter((id) => !(id in english));
      assert.deepEqual({ missing, extra }, { missing: [], extra: [] }, `${locale}: translate the missing ids, drop the extra ones`);
      const problems: string[] = [];
      for (const [id, text] of Object.entries(catalog)) {
        if (typeof text !== 'string' || text.trim() === '') {
          problems.push(`${id}: empty`);
          continue;
        }
        const want = placeholders(english[id]!).sort();
        const have = placeholders(text).sort();
        if (JSON.stringify(want) !== JSON.stringify(have)) problems.push(`${id}: values {${have.join('} {')}} where the English has {${want.join('} {')}}`);
        if (/[{}]/.test(text.replace(/\{[A-Za-z_][A-Za-z0-9_]*\}/g, ''))) problems.push(`${id}: a brace that is not a value`);
        if (FORBIDDEN.test(text)) problems.push(`${id}: a control, bidi override or private-use character`);
        // A long text left as the English is a missing translation, whatever its id says.
        if (text === english[id] && text.length >= 20) problems.push(`${id}: still the English`);
      }
      assert.deepEqual(problems, []);
    });
  }
}

for (const source of SOURCES as Source[]) {
  const english = read(join(source.catalogs, 'en.json'));
  for (const locale of SHIPPED) {
    test(`${source.catalogs}/${locale}.json translates today's English of every message (${sourcesPath(source, locale)})`, () => {
      const path = sourcesPath(source, locale) as string;
      const catalog = read(join(source.catalogs, `${locale}.json`));
      const recorded = existsSync(join(root, path)) ? read(path) : {};
      const changed: string[] = [];
      const unrecorded: string[] = [];
      for (const id of Object.keys(catalog)) {
        if (!(id in english)) continue; // the test above names it
        if (!(id in recorded)) unrecorded.push(id);
        else if (recorded[id] !== sourceHash(english[id]!)) changed.push(id);
      }
      const stale = Object.keys(recorded).filter((id) => !(id in catalog) || !(id in english));
      const problems = [
        ...changed.map((id) => `${id}: its English changed after the ${locale} translation was written; the English is now "${english[id]}" (its history: git log -p ${source.catalogs}/en.json). Update the ${locale} text to say the same, then run npm run l10n:reviewed -- ${id} --locale ${locale}`),
        ...(unrecorded.length > 0 ? [`${unrecorded.join(', ')}: no record of the English these were translated from: run npm run l10n:extract (it records new translations)`] : []),
        ...(stale.length > 0 ? [`${stale.join(', ')}: recorded in ${path} but not translated: run npm run l10n:extract`] : []),
      ];
      assert.deepEqual(problems, []);
    });
  }
}
