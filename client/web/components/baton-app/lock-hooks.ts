// What the app shell does for the lock (lib/lock/): capabilities kept out of the address bar
// and history (a handle shows in their place, lib/link-handles.ts), the header's safety
// links, and the screens of a locked app, loaded only when they are shown.
import { html, nothing } from 'lit';
import { msg } from '@lit/localize';
import type { Vault } from '#client-core';
import { HANDLE_PREFIX, type LinkHandles } from '../../lib/link-handles.ts';
import { announceLock, type LockSettings } from '../../lib/lock/record.ts';
import { isPanicShortcut } from '../../lib/lock/shortcut.ts';
import { panicWipe } from '../../lib/lock/wipe.ts';
import type { Session } from '../../lib/session.ts';
import { isInternal, rememberInternal } from '../../lib/internal-hash.ts';
import type { View } from './view.ts';

export const SAFETY_HASH = '#safety';

export const historyNotice = () =>
  msg('The link’s keys are out of the address bar now, but your browser’s history may still hold the address you opened. To open links without that trace, paste them on the start page.', { id: 'lock.historyNotice' });

/** Whether a fragment carries a capability (maybe escaped whole by a browser or mail client). */
function carriesKeys(hash: string): boolean {
  let text = hash;
  try {
    text = decodeURIComponent(hash);
  } catch {
    // as it is
  }
  return /baton:/i.test(text);
}

export interface Address {
  /** The fragment to route by ('' for the start screen). */
  text: string;
  /** False: a handle this device does not know (erased, or from another browser). */
  known: boolean;
  /** True: a capability was just taken out of the address bar. */
  hidden: boolean;
}

/** Resolves a handle, or puts one in the address bar (and the current history entry) in place of a capability. */
export function takeKeysOut(handles: LinkHandles, hash: string): Address {
  if (hash.startsWith(HANDLE_PREFIX)) {
    const text = handles.textOf(hash);
    return { text: text === null ? '' : `#${text}`, known: text !== null, hidden: false };
  }
  if (!carriesKeys(hash)) return { text: hash, known: true, hidden: false };
  history.replaceState(history.state, '', handles.hashFor(hash.replace(/^#/, '')));
  return { text: hash, known: true, hidden: true };
}

/**
 * Where the address bar points, with any capability in it replaced by its handle: the
 * fragment to route by, whether it came from outside the app (a link opened, not a reload of
 * the app's own address), or a screen to show instead.
 */
export async function addressOf(handles: LinkHandles, pageLoad: boolean, notify: (message: string) => void): Promise<{ text: string; internal: boolean; hidden: boolean; view?: View }> {
  if (location.hash === SAFETY_HASH) {
    await import('../baton-lock-settings/baton-lock-settings.ts');
    return { text: '', internal: true, hidden: false, view: { kind: 'safety' } };
  }
  const internal = !pageLoad || isInternal(location.hash);
  const address = takeKeysOut(handles, location.hash);
  rememberInternal(location.hash);
  if (!address.known) return { ...address, internal, view: { kind: 'error', message: msg('This address stood for a board link on this device, which no longer has it. Open the board from its link.', { id: 'lock.unknownHandle' }) } };
  // A link from outside, now out of the address bar: the browser's history may still hold it.
  if (address.hidden && !internal) notify(historyNotice());
  return { ...address, internal, hidden: address.hidden && !internal };
}

/** The unlock screen, once its code is loaded. */
export async function unlockScreen(): Promise<View> {
  await import('../baton-unlock/baton-unlock.ts');
  return { kind: 'locked' };
}

/** The fragment to go to, with a handle in place of any capability, so it never enters history. */
export function keyFreeHash(handles: LinkHandles | undefined, hash: string): string {
  const next = hash.startsWith('#') ? hash : `#${hash}`;
  return handles && carriesKeys(next) ? handles.hashFor(next.slice(1)) : next;
}

/** A plain click on a link to a capability, inside any component: its fragment, for the app to go to instead. */
export function capabilityClick(e: MouseEvent): string | null {
  if (e.defaultPrevented || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return null;
  const a = e.composedPath().find((n): n is HTMLAnchorElement => n instanceof HTMLAnchorElement);
  const href = a?.getAttribute('href') ?? '';
  return href.startsWith('#') && carriesKeys(href) ? href : null;
}

/** The header's links: the safety screen, and locking at once where a passphrase is set. */
export function safetyLinks(session: Session | null, lockNow: () => void) {
  if (!session) return nothing;
  return html`<span class="safety">
    ${session.locked ? html`<button type="button" class="link" @click=${lockNow}>${msg('Lock', { id: 'lock.headerLock' })}</button>` : nothing}
    <a href=${SAFETY_HASH}>${msg('Safety', { id: 'lock.headerSafety' })}</a>
  </span>`;
}

/** Plain clicks on links to capabilities, inside any component, go by handle instead. */
export function capabilityClicks(app: HTMLElement, go: (hash: string) => void): void {
  app.addEventListener('click', (e) => {
    const hash = capabilityClick(e);
    if (hash === null) return;
    e.preventDefault();
    go(hash);
  });
}

export function onPanicShortcut(e: KeyboardEvent): void {
  if (!isPanicShortcut(e)) return;
  e.preventDefault();
  void panicWipe();
}

/** Locks: the session closes, and a fresh page (nothing of it left in memory) shows the unlock screen. */
export async function lockSession(session: Session | null): Promise<void> {
  announceLock();
  session?.client.flush();
  await session?.client.close().catch(() => {});
  location.reload();
}

export interface LockCallbacks {
  unlock: (vault: Vault) => void;
  lock: () => void;
  settings: (s: LockSettings) => void;
}

/** The unlock screen, or the safety screen. */
export function lockScreen(kind: 'locked' | 'safety', session: Session | null, on: LockCallbacks) {
  if (kind === 'locked') return html`<baton-unlock .onUnlock=${on.unlock}></baton-unlock>`;
  return html`<baton-lock-settings .session=${session} .onLock=${on.lock} .onSettings=${on.settings}></baton-lock-settings>`;
}
