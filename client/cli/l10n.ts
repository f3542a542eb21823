// The CLI's words in the chosen language: say() and str of shared/l10n/say.ts, reading the
// catalogs from beside the compiled CLI (build/l10n/cli, copied by the build) or from the
// source tree (client/l10n/cli).
import { readFileSync } from 'node:fs';
import { catalogInDirs, useSayLocale } from '#shared/l10n/say.ts';

export { say, str } from '#shared/l10n/say.ts';

const DIRS = ['./l10n/cli/', '../l10n/cli/'];

export function setCliLocale(code: string): void {
  useSayLocale(code, catalogInDirs(DIRS, import.meta.url, (url) => readFileSync(url, 'utf8')));
}
