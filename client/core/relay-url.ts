// A relay is named by its base URL (http(s) or ws(s)); each transport wants its own form.
import { normaliseRelayUrl } from '#shared';

/** The WebSocket base of a relay's sync endpoint; the provider appends `/<room>`. */
export function syncServerUrl(relay: string): string {
  const base = normaliseRelayUrl(relay);
  return base.replace(/^http(s?):/i, 'ws$1:') + '/v1/sync';
}

/** The HTTP base of a relay, for the fallback and bulk paths. */
export function httpBaseUrl(relay: string): string {
  return normaliseRelayUrl(relay).replace(/^ws(s?):/i, 'http$1:');
}
