// The loading screen's language before any module has loaded. On a slow link the first script
// (main.ts) takes seconds; until it runs, index.html's loading screen is all a person sees. The
// build writes a small inline script into index.html (bootScript, from the catalogs): it picks
// the language as the app will (pickFrom, the saved choice, then the browser's languages), sets
// `lang` and `dir` on the page and puts the loading words in that language. The relay allows
// exactly that script by its hash (server/http/inline-scripts.ts). The functions it carries are
// written without functions inside them and without outside names, as their text is copied.
import { LOCALES, pickFrom } from './locales.ts';

/** Where a choice made in the switcher is remembered on this device (l10n/localize.ts). */
export const SAVED_LOCALE_KEY = 'baton:locale';

/** The loading screen's messages, by id: the build reads them from each catalog. */
export const BOOT_IDS = {
  loading: 'boot.loading',
  openingThread: 'boot.openingThread',
  openingBoard: 'boot.openingBoard',
} as const;
export const NOSCRIPT_ID = 'boot.noscript';

export type BootKind = keyof typeof BOOT_IDS;

/** What a page address is opening: a thread link, a board link, or the app. */
export function bootKind(hash: string): BootKind {
  if (/baton(?::|%3A)thread|[?&]thread=/i.test(hash)) return 'openingThread';
  if (/baton(?::|%3A)board/i.test(hash)) return 'openingBoard';
  return 'loading';
}

/** One language's loading screen: its direction and its words. */
export type BootWords = { dir: 'ltr' | 'rtl' } & Record<BootKind, string>;

/** Runs in the page, before main.ts: never throws (the English loading screen stays). */
export function bootScreen(pick: typeof pickFrom, kind: typeof bootKind, key: string, table: Record<string, BootWords>): void {
  try {
    let saved: string | null = null;
    try {
      saved = localStorage.getItem(key);
    } catch {
      // storage refused: the browser's languages decide
    }
    const code = pick(Object.keys(table), saved, navigator.languages || [navigator.language], 'en')!;
    const words = table[code]!;
    const root = document.documentElement;
    root.lang = code;
    root.dir = words.dir;
    const status = document.getElementById('boot-status');
    if (status) status.textContent = words[kind(location.hash)];
  } catch {
    // an old browser: the English loading screen stays until main.ts runs
  }
}

/** The boot table of every language, from its catalog: `catalog(code)` is client/l10n/web/<code>.json. */
export function bootTable(catalog: (code: string) => Record<string, string>): Record<string, BootWords> {
  const table: Record<string, BootWords> = {};
  for (const { code, dir } of LOCALES) {
    const words = catalog(code);
    const entry = { dir } as BootWords;
    for (const [kind, id] of Object.entries(BOOT_IDS) as [BootKind, string][]) {
      const text = words[id];
      if (typeof text !== 'string' || !text) throw new Error(`client/l10n/web/${code}.json has no ${id}: run npm run l10n:extract and translate it`);
      entry[kind] = text;
    }
    table[code] = entry;
  }
  return table;
}

/** The inline script's text: the functions above, called with the table. `<` is escaped so no text can close the script. */
export function bootScript(table: Record<string, BootWords>): string {
  const data = JSON.stringify(table).replace(/</g, '\\u003c');
  const script = `(${bootScreen.toString()})(${pickFrom.toString()},${bootKind.toString()},${JSON.stringify(SAVED_LOCALE_KEY)},${data})`;
  if (/<\/script|<!--/i.test(script)) throw new Error('the boot script would end its own <script> element');
  return script;
}
