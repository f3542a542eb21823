// The language of a page the relay shows a reader: `?lang=` when it names one Baton speaks (a
// reader behind a proxy that strips headers can still choose), else the best of the request's
// Accept-Language that Baton speaks, by quality, else English. Whatever a request sends, the
// answer is one of CLI_LOCALES, found in bounded work.
import { CLI_SOURCE_LOCALE, matchCliLocale } from '#shared/l10n/locale.ts';

/** A header longer than any browser sends is not read past this. */
const MAX_HEADER_CHARS = 1024;
/** Nor more ranges than this. */
const MAX_RANGES = 32;
/** A language tag (RFC 5646, loosely) or a POSIX-style one; `*` says nothing of a language. */
const TAG = /^[A-Za-z]{1,8}(?:[-_][A-Za-z0-9]{1,8})*$/;
/** A quality value: 0 to 1, at most three decimals (RFC 9110 §12.4.2). */
const QUALITY = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;

export function pageLanguage(query: string | undefined, acceptLanguage: string | undefined): string {
  const chosen = query !== undefined && TAG.test(query) ? matchCliLocale(query) : null;
  return chosen ?? fromAcceptLanguage(acceptLanguage ?? '') ?? CLI_SOURCE_LOCALE;
}

/** The locale of the most preferred range Baton speaks; the earlier of equal ones; null for none. */
export function fromAcceptLanguage(header: string): string | null {
  let best: { locale: string; quality: number } | null = null;
  for (const range of header.slice(0, MAX_HEADER_CHARS).split(',').slice(0, MAX_RANGES)) {
    const [tag = '', ...params] = range.split(';').map((part) => part.trim());
    if (!TAG.test(tag)) continue;
    let quality = 1;
    for (const param of params) {
      const [name, value = ''] = param.split('=').map((part) => part.trim());
      if (name?.toLowerCase() === 'q') quality = QUALITY.test(value) ? Number(value) : 0;
    }
    const locale = quality > 0 ? matchCliLocale(tag) : null;
    if (locale && (!best || quality > best.quality)) best = { locale, quality };
  }
  return best?.locale ?? null;
}
