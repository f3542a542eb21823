// The CLI's words in the chosen language: say() and str of shared/l10n/say.ts, reading the
// catalogs from beside the compiled CLI (build/l10n/cli, copied by the build) or from the
// source tree (client/l10n/cli).
import { readFileSync } from 'node:fs';
import { useSayLocale } from '#shared/l10n/say.ts';

export { say, str } from '#shared/l10n/say.ts';

const DIRS = ['./l10n/cli/', '../l10n/cli/'];

export function setCliLocale(code: string): void {
  useSayLocale(code, (name) => {
    for (const dir of DIRS) {
      try {
        return readFileSync(new URL(`${dir}${name}.json`, import.meta.url), 'utf8');
      } catch {
        // not here: the next place
      }
    }
    return null;
  });
}
