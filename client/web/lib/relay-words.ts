// A relay's state in plain words: what this device observed, never a guess at why. A relay
// that does not answer may be down, gone, or blocked on the way; from here they look the
// same, so none of them is called "blocked" (docs/PROTOCOL.md §8, "Relay states").
import type { RelayStatus } from '#client-core';

const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dated = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** A time of today as its hour and minute; of another day, with the date. */
export function sinceTime(at: number, now = Date.now()): string {
  const when = new Date(at);
  return new Date(now).toDateString() === when.toDateString() ? clock.format(when) : dated.format(when);
}

export function relayStateWords(s: Pick<RelayStatus, 'state' | 'transport' | 'since' | 'refused'>, now = Date.now()): string {
  switch (s.state) {
    case 'synced':
      return s.transport === 'http' ? 'up to date (over HTTP)' : 'up to date';
    case 'connecting':
      return 'connecting';
    case 'unreachable':
      return s.since === null ? 'not answering' : `not answering since ${sinceTime(s.since, now)}`;
    case 'refused':
      return s.refused === 'data' ? 'refused our data' : 'refused the connection';
    case 'bad-data':
      return 'sent data that did not check out';
  }
}
