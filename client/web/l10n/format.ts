// Numbers and dates in the page's language (its digits and its order), through Intl.
import { getLocale } from './localize.ts';

let formats: { locale: string; number: Intl.NumberFormat; date: Intl.DateTimeFormat } | null = null;

function current() {
  const locale = getLocale();
  if (formats?.locale !== locale) {
    formats = {
      locale,
      number: new Intl.NumberFormat(locale),
      date: new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }),
    };
  }
  return formats;
}

/** A count, in the page's digits. */
export function formatNumber(n: number): string {
  return current().number.format(n);
}

/** A date and time to the minute. */
export function formatDate(when: Date): string {
  return current().date.format(when);
}
