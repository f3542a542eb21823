// The words of the command line (the CLI and the relay) in the chosen language, from the
// catalogs client/l10n/cli/<locale>.json (`{ "id": "text" }`, `{name}` for a value). The call
// looks like the web client's msg(), so one extractor finds both (npm run l10n:extract):
//   say('no relay is known for it', { id: 'cli.noRelayKnown' })
//   say(str`cannot read ${file}: ${reason}`, { id: 'cli.cannotRead' })
// Only the chosen language's catalog (and the English one, which names the values) is read,
// once, when the first message is said; English reads none. Machine-readable output (JSON)
// never goes through here. Reading files is the platform's: useSayLocale is given a reader.
import { CLI_SOURCE_LOCALE } from './locale.ts';

export interface StrTemplate {
  strings: readonly string[];
  values: readonly unknown[];
}

/** Marks a message with values, as @lit/localize's `str` does in the web client. */
export function str(strings: TemplateStringsArray, ...values: unknown[]): StrTemplate {
  return { strings: [...strings], values };
}

export type Catalog = Record<string, string>;
/** A catalog's text by locale code, or null when there is none. */
export type CatalogReader = (code: string) => string | null;

let locale = CLI_SOURCE_LOCALE;
let reader: CatalogReader = () => null;
let loaded: { source: Catalog; translation: Catalog } | null = null;

/** Speaks `code` from now on, reading its catalog with `read` when the first message is said. */
export function useSayLocale(code: string, read: CatalogReader): void {
  locale = code;
  reader = read;
  loaded = null;
}

/**
 * A catalog reader that looks for `<name>.json` in each of `dirs` in turn (URLs relative to
 * `base`), reading files with the platform's `readText`, which throws where there is none.
 */
export function catalogInDirs(dirs: readonly string[], base: string, readText: (url: URL) => string): CatalogReader {
  return (name) => {
    for (const dir of dirs) {
      try {
        return readText(new URL(`${dir}${name}.json`, base));
      } catch {
        // not here: the next place
      }
    }
    return null;
  };
}

export function sayLocale(): string {
  return locale;
}

function parse(text: string | null): Catalog {
  if (text === null) return {};
  try {
    const parsed = JSON.parse(text) as unknown;
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Catalog) : {};
  } catch {
    return {}; // a damaged catalog: the English shows
  }
}

function catalogs() {
  loaded ??= { source: parse(reader(CLI_SOURCE_LOCALE)), translation: parse(reader(locale)) };
  return loaded;
}

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

export type Say = (message: string | StrTemplate, options: { id: string }) => string;

/** A message in the chosen language; the English of the code when the catalog lacks it or its values differ. */
export const say: Say = (message, options) => (locale === CLI_SOURCE_LOCALE ? englishOf(message) : translate(message, options, catalogs()));

/**
 * A say() of its own for `code`, whatever the process speaks: for a page shown in its reader's
 * language. Its catalogs are read with `read` when its first message is said, then kept.
 */
export function sayIn(code: string, read: CatalogReader): Say {
  if (code === CLI_SOURCE_LOCALE) return (message) => englishOf(message);
  let own: { source: Catalog; translation: Catalog } | null = null;
  return (message, options) => {
    own ??= { source: parse(read(CLI_SOURCE_LOCALE)), translation: parse(read(code)) };
    return translate(message, options, own);
  };
}

function englishOf(message: string | StrTemplate): string {
  return typeof message === 'string' ? message : message.strings.reduce((text, s, i) => text + String(message.values[i - 1]) + s);
}

function translate(message: string | StrTemplate, options: { id: string }, { source, translation }: { source: Catalog; translation: Catalog }): string {
  const text = translation[options.id];
  if (typeof text !== 'string') return englishOf(message);
  if (typeof message === 'string') return text;
  // The source catalog names the values in their order in the code.
  const names = [...(source[options.id] ?? '').matchAll(PLACEHOLDER)].map((m) => m[1]!);
  if (names.length !== message.values.length) return englishOf(message);
  let complete = true;
  const out = text.replace(PLACEHOLDER, (_, name: string) => {
    const i = names.indexOf(name);
    if (i < 0) complete = false;
    return i < 0 ? '' : String(message.values[i]);
  });
  return complete ? out : englishOf(message);
}
