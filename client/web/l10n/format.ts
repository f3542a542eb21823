// Numbers and dates in the page's language (its digits, its calendar, its order), through Intl.
// A browser without that language's data (Chromium has none for Burmese) would name months in
// English: it gets a date of digits only instead.
import { getLocale } from './localize.ts';

interface Formats {
  locale: string;
  number: Intl.NumberFormat;
  date: (when: Date) => string;
}

let formats: Formats | null = null;

const pad = (n: number) => String(n).padStart(2, '0');

/** 2026-11-27 22:41, in local time: readable in any script. */
function digitsOnly(when: Date): string {
  return `${when.getFullYear()}-${pad(when.getMonth() + 1)}-${pad(when.getDate())} ${pad(when.getHours())}:${pad(when.getMinutes())}`;
}

function current(): Formats {
  const locale = getLocale();
  if (formats?.locale !== locale) {
    const known = Intl.DateTimeFormat.supportedLocalesOf([locale]).length > 0;
    const date = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
    formats = { locale, number: new Intl.NumberFormat(locale), date: known ? (when) => date.format(when) : digitsOnly };
  }
  return formats;
}

/** A count, in the page's digits. */
export function formatNumber(n: number): string {
  return current().number.format(n);
}

/** A date and time to the minute. */
export function formatDate(when: Date): string {
  return current().date(when);
}
