// Dates as the web client shows them: in the page's language, to the minute.
import { formatDate } from '../l10n/format.ts';

export function shownTime(when: Date): string {
  return formatDate(when);
}
