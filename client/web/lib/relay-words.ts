// A relay's state in plain words: what this device observed, never a guess at why. A relay
// that does not answer may be down, gone, or blocked on the way; from here they look the
// same, so none of them is called "blocked" (docs/PROTOCOL.md §8, "Relay states").
import { msg, str } from '@lit/localize';
import type { RelayStatus } from '#client-core';
import { getLocale } from '../l10n/localize.ts';
import { formatDate } from '../l10n/format.ts';

/** A time of today as its hour and minute; of another day, with the date. */
export function sinceTime(at: number, now = Date.now()): string {
  const when = new Date(at);
  if (new Date(now).toDateString() !== when.toDateString()) return formatDate(when);
  return new Intl.DateTimeFormat(getLocale(), { hour: '2-digit', minute: '2-digit' }).format(when);
}

export function relayStateWords(s: Pick<RelayStatus, 'state' | 'transport' | 'since' | 'refused'>, now = Date.now()): string {
  switch (s.state) {
    case 'synced':
      return s.transport === 'http' ? msg('up to date (over HTTP)', { id: 'relays.upToDateHttp' }) : msg('up to date', { id: 'relays.upToDate' });
    case 'connecting':
      return msg('connecting', { id: 'relays.connecting' });
    case 'unreachable': {
      if (s.since === null) return msg('not answering', { id: 'relays.notAnswering' });
      const since = sinceTime(s.since, now);
      return msg(str`not answering since ${since}`, { id: 'relays.notAnsweringSince' });
    }
    case 'refused':
      return s.refused === 'data' ? msg('refused our data', { id: 'relays.refusedData' }) : msg('refused the connection', { id: 'relays.refusedConnection' });
    case 'bad-data':
      return msg('sent data that did not check out', { id: 'relays.badData' });
  }
}
