// The relay's words in the chosen language (`--lang`, LC_ALL, LC_MESSAGES, LANG): say() of
// shared/l10n/say.ts over the CLI's catalogs, read from beside the compiled relay
// (build/l10n/cli) or from the source tree (client/l10n/cli). Only the chosen one is read.
import { readFileSync } from 'node:fs';
import { catalogInDirs, useSayLocale } from '#shared/l10n/say.ts';

export { say, str } from '#shared/l10n/say.ts';

const DIRS = ['./l10n/cli/', '../client/l10n/cli/'];

export function setRelayLocale(code: string): void {
  useSayLocale(code, catalogInDirs(DIRS, import.meta.url, (url) => readFileSync(url, 'utf8')));
}
