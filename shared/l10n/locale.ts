// The language of the command line's messages (the CLI's and the relay's): `--lang`, else the POSIX locale (LC_ALL, then
// LC_MESSAGES, then LANG, as `fa_IR.UTF-8`), else English. The same languages as the web
// client (client/web/l10n/locales.ts; the catalog test keeps the two lists equal), each with its
// own name and direction for the relay's page.

export const CLI_SOURCE_LOCALE = 'en';
/** Each language named in itself, and its script's direction: as the web client's switcher has them. */
export const CLI_LANGUAGES: readonly { code: string; name: string; dir: 'ltr' | 'rtl' }[] = [
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
export const CLI_LOCALES: readonly string[] = CLI_LANGUAGES.map((l) => l.code);

/** The locale Baton speaks for a BCP 47 tag or a POSIX locale name, or null ("C" and "POSIX" are none). */
export function matchCliLocale(name: string): string | null {
  // fa_IR.UTF-8@euro -> fa-ir; zh_CN -> zh-cn
  const tag = name.trim().split(/[.@]/)[0]!.replace(/_/g, '-').toLowerCase();
  if (!tag || tag === 'c' || tag === 'posix') return null;
  const exact = CLI_LOCALES.find((l) => l.toLowerCase() === tag);
  if (exact) return exact;
  if (tag === 'zh' || tag.startsWith('zh-')) return tag.includes('-hans') || !/-(hant|tw|hk|mo)(-|$)/.test(tag) ? 'zh-Hans' : null;
  const base = tag.split('-')[0];
  return CLI_LOCALES.find((l) => l === base) ?? null;
}

/** `--lang X` or `--lang=X` anywhere before `--`; read before the rest, so usage errors speak it too. */
export function langFlag(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') return undefined;
    if (arg === '--lang') return argv[i + 1];
    if (arg.startsWith('--lang=')) return arg.slice('--lang='.length);
  }
  return undefined;
}

/** The first of --lang, LC_ALL, LC_MESSAGES and LANG that is set decides; one Baton does not speak means English. */
export function pickCliLocale(flag: string | undefined, env: Readonly<Record<string, string | undefined>>): string {
  const chosen = [flag, env.LC_ALL, env.LC_MESSAGES, env.LANG].find((v) => v !== undefined && v !== '');
  return (chosen && matchCliLocale(chosen)) ?? CLI_SOURCE_LOCALE;
}
