// The web client's language: configures @lit/localize in runtime mode, loads a language's
// catalog only when it is chosen (each is a chunk of its own, so the first script stays
// small), sets `lang` and `dir` on the page, and remembers a choice made on this device.
import { configureLocalization } from '@lit/localize';
import { LOCALES, SOURCE_LOCALE, TARGET_LOCALES, localeOf, pickLocale } from './locales.ts';
import { SAVED_LOCALE_KEY } from './boot.ts';
import { toTemplates, type Catalog } from './templates.ts';


/** One catalog of client/l10n/web, as its own chunk. */
async function catalog(code: string): Promise<Catalog> {
  const mod = (await import(`../../l10n/web/${code}.json`)) as { default: Catalog };
  return mod.default;
}

const { getLocale, setLocale } = configureLocalization({
  sourceLocale: SOURCE_LOCALE,
  targetLocales: TARGET_LOCALES,
  // The source catalog names each value of a translation (see templates.ts).
  loadLocale: async (code) => {
    const [source, translation] = await Promise.all([catalog(SOURCE_LOCALE), catalog(code)]);
    return { templates: toTemplates(source, translation) };
  },
});

export { getLocale };

function saved(): string | null {
  try {
    return globalThis.localStorage?.getItem(SAVED_LOCALE_KEY) ?? null;
  } catch {
    return null; // storage refused: the browser's languages decide
  }
}

/** `lang` and `dir` of the page, so fonts, hyphenation, screen readers and layout follow. */
function markDocument(code: string): void {
  const root = document.documentElement;
  root.lang = code;
  root.dir = localeOf(code).dir;
}

/**
 * Shows the page in a language: the page's direction changes at once, the words when the
 * catalog has arrived. A catalog that does not load leaves the page in English.
 */
export async function useLocale(code: string): Promise<void> {
  markDocument(code);
  try {
    await setLocale(code);
  } catch {
    markDocument(SOURCE_LOCALE);
    await setLocale(SOURCE_LOCALE);
  }
}

/** At start: the language chosen on this device, else the browser's. */
export function startLocale(): Promise<void> {
  return useLocale(pickLocale(saved(), navigator.languages ?? [navigator.language]));
}

/** The switcher's choice, remembered on this device. */
export async function chooseLocale(code: string): Promise<void> {
  if (!LOCALES.some((l) => l.code === code)) return;
  try {
    globalThis.localStorage?.setItem(SAVED_LOCALE_KEY, code);
  } catch {
    // storage refused: the choice lasts as long as the page
  }
  await useLocale(code);
}
