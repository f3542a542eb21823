#!/usr/bin/env node
// Writes the English (source) catalogs from the code: client/l10n/web/en.json from every
// msg() of the web client, client/l10n/cli/en.json from every say() of the CLI and the relay.
// Then records, for every translation that has no record yet, the English it was made from
// (client/l10n/sources/; a changed English is not recorded here: see l10n-reviewed.js).
// Exits 1, saying where, on a message it cannot read.
//   node scripts/l10n-extract.js   (npm run l10n:extract)
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SOURCES, catalogJson, extractMessages, updateSources } from './l10n-messages.js';

const root = fileURLToPath(new URL('..', import.meta.url));
let failed = false;
for (const source of SOURCES) {
  const { messages, problems } = extractMessages(root, source);
  if (problems.length > 0) {
    console.error(problems.join('\n'));
    failed = true;
    continue;
  }
  writeFileSync(join(root, source.catalogs, 'en.json'), catalogJson(messages));
  console.log(`${source.catalogs}/en.json: ${messages.size} messages`);
  for (const file of readdirSync(join(root, source.catalogs))) {
    const locale = file.replace(/\.json$/, '');
    if (locale === 'en' || locale === file) continue;
    const recorded = updateSources(root, source, locale);
    if (recorded.length > 0) console.log(`  ${locale}: recorded the English of ${recorded.length} new translation(s)`);
  }
}
process.exitCode = failed ? 1 : 0;
