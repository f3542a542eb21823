// The relay's words in the chosen language (`--lang`, LC_ALL, LC_MESSAGES, LANG): say() of
// shared/l10n/say.ts over the CLI's catalogs, read from beside the compiled relay
// (build/l10n/cli) or from the source tree (client/l10n/cli). Only the chosen one is read.
// A page shown to a reader speaks the reader's language instead: sayFor(code).
import { readFileSync } from 'node:fs';
import { catalogInDirs, sayIn, useSayLocale, type Say } from '#shared/l10n/say.ts';

export { say, str } from '#shared/l10n/say.ts';

const DIRS = ['./l10n/cli/', '../client/l10n/cli/'];
const readCatalog = catalogInDirs(DIRS, import.meta.url, (url) => readFileSync(url, 'utf8'));

export function setRelayLocale(code: string): void {
  useSayLocale(code, readCatalog);
}

/** One say() per language a reader asked for, each catalog read once, when first needed. */
const sayers = new Map<string, Say>();

/** A say() in `code` (one of CLI_LOCALES), whatever the relay's operator speaks. */
export function sayFor(code: string): Say {
  let found = sayers.get(code);
  if (!found) sayers.set(code, (found = sayIn(code, readCatalog)));
  return found;
}
