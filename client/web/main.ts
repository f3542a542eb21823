// The web client's entry, kept small (scripts/check-first-script.js holds it to a budget): on a
// slow link it is all that arrives in the first second or two. It starts the page's language
// (l10n/localize.ts: its catalog is a chunk of its own), names what is opening on the loading
// screen of index.html (already in the page's language: l10n/boot.ts), shows a thread link's
// published first screen without waiting for the app (first-screen/), then fetches the thread
// itself for the app (first-screen/thread-fetch.ts), loads the app (Lit, Yjs, libsodium: most of the bytes) and, once the
// app's screen has settled (baton-app/settled.ts), registers the service worker that keeps the
// app opening while the relay that served it is blocked.
import './global.css';
import { msg } from '@lit/localize';
import { startFirstLook } from './first-screen/look.ts';
import { startThreadFetch } from './first-screen/thread-fetch.ts';
import { bootKind } from './l10n/boot.ts';
import { bootMessage } from './l10n/boot-messages.ts';
import { startLocale } from './l10n/localize.ts';
import { servingRelay } from './lib/serving-relay.ts';

const locale = startLocale();
const status = document.getElementById('boot-status');
const hash = location.hash;
void locale.then(() => {
  if (status) status.textContent = bootMessage(bootKind(hash));
});

// The app takes over once it shows a screen of its own; the first look stops there.
const firstLook = new AbortController();
addEventListener('baton-screen', () => firstLook.abort(), { once: true });
const lookDone = startFirstLook(hash, servingRelay(location), firstLook.signal, locale);
// The thread's own bytes follow the first look's on the link, while the app is still arriving.
startThreadFetch(hash, servingRelay(location), lookDone);

// The browser's reason is in its own words (often English): the console keeps it, the screen does not.
import('./components/baton-app/baton-app.ts').catch((err: Error) => {
  console.warn(err);
  if (status) status.textContent = msg('Baton could not load. Reload the page to try again.', { id: 'boot.failed' });
});

/** Once the screen has what it came for (baton-app's `baton-settled`), or at the latest this long after it first showed. */
const SW_AT_THE_LATEST_MS = 30_000;
if ('serviceWorker' in navigator && (location.protocol === 'https:' || location.protocol === 'http:')) {
  let registered = false;
  const register = () => {
    if (registered) return;
    registered = true;
    navigator.serviceWorker.register('./sw.js').catch(() => {
      // not a secure context (plain http on a LAN address), or refused: the app works without it
    });
  };
  addEventListener('baton-settled', register, { once: true });
  addEventListener('baton-screen', () => setTimeout(register, SW_AT_THE_LATEST_MS), { once: true });
}
