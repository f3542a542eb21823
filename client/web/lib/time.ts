// Dates as the web client shows them: in the reader's locale, to the minute.
const format = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function shownTime(when: Date): string {
  return format.format(when);
}
