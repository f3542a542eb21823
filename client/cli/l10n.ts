// The CLI's words in the chosen language, from the catalogs the web client uses too (JSON,
// `{ "id": "text" }`, `{name}` for a value; client/l10n/cli/<locale>.json). The call looks like
// the web client's msg(), so one extractor finds both (npm run l10n:extract):
//   say('no relay is known for it', { id: 'cli.noRelayKnown' })
//   say(str`cannot read ${file}: ${reason}`, { id: 'cli.cannotRead' })
// Only the chosen language's catalog is read, once, when the first message is said. JSON output
// never goes through here: its keys and values stay as they are.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CLI_SOURCE_LOCALE } from './locale.ts';

export interface StrTemplate {
  strings: readonly string[];
  values: readonly unknown[];
}

/** Marks a message with values, as @lit/localize's `str` does in the web client. */
export function str(strings: TemplateStringsArray, ...values: unknown[]): StrTemplate {
  return { strings: [...strings], values };
}

type Catalog = Record<string, string>;

let locale = CLI_SOURCE_LOCALE;
let loaded: { source: Catalog; translation: Catalog } | null = null;

export function setCliLocale(code: string): void {
  locale = code;
  loaded = null;
}

export function cliLocale(): string {
  return locale;
}

/** The catalogs: beside the compiled CLI (build/l10n/cli, copied by the build) or in the source tree. */
function catalogDir(): string | null {
  for (const rel of ['./l10n/cli/', '../l10n/cli/']) {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(`${dir}${CLI_SOURCE_LOCALE}.json`)) return dir;
  }
  return null;
}

function readCatalog(dir: string, code: string): Catalog {
  try {
    const parsed = JSON.parse(readFileSync(`${dir}${code}.json`, 'utf8')) as unknown;
    return parsed && typeof parsed === 'object' ? (parsed as Catalog) : {};
  } catch {
    return {}; // a missing or damaged catalog: the English shows
  }
}

function catalogs() {
  if (!loaded) {
    const dir = locale === CLI_SOURCE_LOCALE ? null : catalogDir();
    loaded = dir ? { source: readCatalog(dir, CLI_SOURCE_LOCALE), translation: readCatalog(dir, locale) } : { source: {}, translation: {} };
  }
  return loaded;
}

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** A message in the chosen language; the English of the code when the catalog lacks it or its values differ. */
export function say(message: string | StrTemplate, options: { id: string }): string {
  const english = typeof message === 'string' ? message : message.strings.reduce((text, s, i) => text + String(message.values[i - 1]) + s);
  if (locale === CLI_SOURCE_LOCALE) return english;
  const { source, translation } = catalogs();
  const text = translation[options.id];
  if (typeof text !== 'string') return english;
  if (typeof message === 'string') return text;
  // The source catalog names the values in their order in the code.
  const names = [...(source[options.id] ?? '').matchAll(PLACEHOLDER)].map((m) => m[1]!);
  if (names.length !== message.values.length) return english;
  let complete = true;
  const out = text.replace(PLACEHOLDER, (_, name: string) => {
    const i = names.indexOf(name);
    if (i < 0) complete = false;
    return i < 0 ? '' : String(message.values[i]);
  });
  return complete ? out : english;
}
