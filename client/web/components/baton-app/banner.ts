// The line under the header saying whether what is written here can reach a relay now.
import { html, nothing } from 'lit';
import { msg } from '@lit/localize';
import type { Space } from '#client-core';

/** Says so when nothing written can leave this device now; nothing while a relay answers or is being reached. */
export function relayBanner(online: boolean, space: Space | null) {
  if (!online) return html`<div class="banner offline" role="status">${msg('Offline: what you write is kept on this device and sent when a relay is reachable.', { id: 'banner.offline' })}</div>`;
  if (!space) return nothing;
  const states = space.statuses();
  if (states.length === 0) return html`<div class="banner offline" role="status">${space.cap.kind === 'board' ? msg('No relay: this board is only on this device until a relay is added.', { id: 'banner.noRelayBoard' }) : msg('No relay: this thread is only on this device until a relay is added.', { id: 'banner.noRelayThread' })}</div>`;
  // While any relay is synced or still being reached (a slow link takes a while), it is not offline.
  if (states.some((s) => s.state === 'synced' || s.state === 'connecting')) return nothing;
  return html`<div class="banner offline" role="status">${msg('Offline: no relay is reachable. What you write is kept on this device and sent when one is.', { id: 'banner.noRelayReachable' })}</div>`;
}
