// The line under the header saying whether what is written here can reach a relay now.
import { html, nothing } from 'lit';
import type { Space } from '#client-core';

/** Says so when nothing written can leave this device now; nothing while a relay answers or is being reached. */
export function relayBanner(online: boolean, space: Space | null) {
  if (!online) return html`<div class="banner offline" role="status">Offline: what you write is kept on this device and sent when a relay is reachable.</div>`;
  if (!space) return nothing;
  const states = space.statuses();
  if (states.length === 0) return html`<div class="banner offline" role="status">No relay: this ${space.cap.kind} is only on this device until a relay is added.</div>`;
  // While any relay is synced or still being reached (a slow link takes a while), it is not offline.
  if (states.some((s) => s.state === 'synced' || s.state === 'connecting')) return nothing;
  return html`<div class="banner offline" role="status">Offline: no relay is reachable. What you write is kept on this device and sent when one is.</div>`;
}
