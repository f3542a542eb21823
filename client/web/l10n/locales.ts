// The languages the web client speaks, each named in itself, and the choice among them: the
// one chosen on this device, else the first of the browser's languages that Baton speaks.

export interface Locale {
  code: string;
  /** The language's own name for itself, as the switcher shows it. */
  name: string;
  dir: 'ltr' | 'rtl';
}

export const SOURCE_LOCALE = 'en';

/** English first (the source); the rest in the order the switcher lists them. */
export const LOCALES: readonly Locale[] = [
  { code: 'en', name: 'English', dir: 'ltr' },
  { code: 'ar', name: 'العربية', dir: 'rtl' },
  { code: 'es', name: 'Español', dir: 'ltr' },
  { code: 'fa', name: 'فارسی', dir: 'rtl' },
  { code: 'my', name: 'မြန်မာ', dir: 'ltr' },
  { code: 'ru', name: 'Русский', dir: 'ltr' },
  { code: 'tr', name: 'Türkçe', dir: 'ltr' },
  { code: 'uk', name: 'Українська', dir: 'ltr' },
  { code: 'vi', name: 'Tiếng Việt', dir: 'ltr' },
  { code: 'zh-Hans', name: '简体中文', dir: 'ltr' },
];

export const TARGET_LOCALES: readonly string[] = LOCALES.filter((l) => l.code !== SOURCE_LOCALE).map((l) => l.code);

export function localeOf(code: string): Locale {
  return LOCALES.find((l) => l.code === code) ?? LOCALES[0]!;
}

/** Chinese in traditional characters, unless the tag says simplified (zh-Hans-HK). */
const TRADITIONAL = /-(hant|tw|hk|mo)(-|$)/;

/** The locale Baton speaks for one BCP 47 tag, or null (fa-IR → fa, zh-CN → zh-Hans; zh-TW has none). */
export function matchLocale(tag: string): string | null {
  const lower = tag.trim().toLowerCase();
  if (!lower) return null;
  const exact = LOCALES.find((l) => l.code.toLowerCase() === lower);
  if (exact) return exact.code;
  if (lower === 'zh' || lower.startsWith('zh-')) return lower.includes('-hans') || !TRADITIONAL.test(lower) ? 'zh-Hans' : null;
  const base = lower.split('-')[0];
  return LOCALES.find((l) => l.code === base)?.code ?? null;
}

/** The saved choice if Baton still speaks it, else the first of the browser's languages it does, else English. */
export function pickLocale(saved: string | null, preferred: readonly string[]): string {
  if (saved && LOCALES.some((l) => l.code === saved)) return saved;
  for (const tag of preferred) {
    const found = matchLocale(tag);
    if (found) return found;
  }
  return SOURCE_LOCALE;
}
