// The languages the web client speaks, each named in itself, and the choice among them: the
// one chosen on this device, else the first of the browser's languages that Baton speaks.

import { CLI_LANGUAGES } from '#shared/l10n/locale.ts';

export interface Locale {
  code: string;
  /** The language's own name for itself, as the switcher shows it. */
  name: string;
  dir: 'ltr' | 'rtl';
}

export const SOURCE_LOCALE = 'en';

/** English first (the source); the rest in the order the switcher lists them: the list the CLI and the relay's page speak too. */
export const LOCALES: readonly Locale[] = CLI_LANGUAGES;

export const TARGET_LOCALES: readonly string[] = LOCALES.filter((l) => l.code !== SOURCE_LOCALE).map((l) => l.code);

export function localeOf(code: string): Locale {
  return LOCALES.find((l) => l.code === code) ?? LOCALES[0]!;
}

export const LOCALE_CODES: readonly string[] = LOCALES.map((l) => l.code);

/**
 * The language to show among `codes`: the saved choice if Baton still speaks it, else the first
 * of the browser's languages it does (fa-IR → fa, zh-CN → zh-Hans; zh-TW, traditional
 * characters, has none), else `fallback`. Self-contained, with no function inside: index.html's
 * boot script carries its text (l10n/boot.ts), so the loading screen and the app choose alike.
 */
export function pickFrom(codes: readonly string[], saved: string | null, preferred: readonly string[], fallback: string | null): string | null {
  if (saved && codes.indexOf(saved) >= 0) return saved;
  for (let i = 0; i < preferred.length; i++) {
    const lower = String(preferred[i]).trim().toLowerCase();
    if (!lower) continue;
    for (let j = 0; j < codes.length; j++) if (codes[j]!.toLowerCase() === lower) return codes[j]!;
    if (lower === 'zh' || lower.indexOf('zh-') === 0) {
      if ((lower.indexOf('-hans') >= 0 || !/-(hant|tw|hk|mo)(-|$)/.test(lower)) && codes.indexOf('zh-Hans') >= 0) return 'zh-Hans';
      continue;
    }
    const base = lower.split('-')[0];
    if (codes.indexOf(base!) >= 0) return base!;
  }
  return fallback;
}

/** The locale Baton speaks for one BCP 47 tag, or null (fa-IR → fa, zh-CN → zh-Hans; zh-TW has none). */
export function matchLocale(tag: string): string | null {
  return pickFrom(LOCALE_CODES, null, [tag], null);
}

/** The saved choice if Baton still speaks it, else the first of the browser's languages it does, else English. */
export function pickLocale(saved: string | null, preferred: readonly string[]): string {
  return pickFrom(LOCALE_CODES, saved, preferred, SOURCE_LOCALE)!;
}
