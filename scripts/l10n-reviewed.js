#!/usr/bin/env node
// Records that the translations of some ids were checked against today's English: run it after
// changing (or confirming) a translation whose English changed, which the catalog test names.
//   npm run l10n:reviewed -- <id>... [--locale fa]   (every language, or only the one named)
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { SOURCES, updateSources } from './l10n-messages.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values, positionals: ids } = parseArgs({ allowPositionals: true, options: { locale: { type: 'string', multiple: true } } });
if (ids.length === 0) {
  console.error('usage: npm run l10n:reviewed -- <id>... [--locale L]');
  process.exit(2);
}
let done = 0;
for (const source of SOURCES) {
  for (const file of readdirSync(join(root, source.catalogs))) {
    const locale = file.replace(/\.json$/, '');
    if (locale === 'en' || locale === file || (values.locale && !values.locale.includes(locale))) continue;
    const recorded = updateSources(root, source, locale, ids);
    done += recorded.length;
    if (recorded.length > 0) console.log(`${source.catalogs}/${locale}.json: ${recorded.join(', ')} now recorded as translated from today's English`);
  }
}
if (done === 0) console.log('nothing to record: those translations already match their English (or no catalog has those ids)');
