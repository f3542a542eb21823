// Tells the page's entry (main.ts) and the session how far the screen is: `baton-screen` once
// the app shows a view of its own (the first script's first look stops there), `baton-settled`
// once that view has what it came for (its space synced with a relay, or a screen without one).
// What can wait (the service worker's install, the check worker, each a few hundred kilobytes)
// waits for `baton-settled`, so that on a slow link it does not compete with the thread itself.
import type { View } from './view.ts';

let settled = false;

export function reportScreen(view: View): void {
  if (view.kind === 'starting' || view.kind === 'loading') return;
  dispatchEvent(new Event('baton-screen'));
  if (settled || view.kind === 'preview') return;
  const space = view.kind === 'board' || view.kind === 'thread' ? view.space : null;
  if (space && space.relays().length > 0 && !space.statuses().some((s) => s.state === 'synced')) return;
  settled = true;
  dispatchEvent(new Event('baton-settled'));
}
