// The web client's entry, kept small (scripts/check-first-script.js holds it to a budget): on a
// slow link it is all that arrives in the first second or two. It starts the page's language
// (l10n/localize.ts: its catalog is a chunk of its own), names what is opening on the loading
// screen of index.html, shows a thread link's published first screen without waiting for the
// app (first-screen/), loads the app (Lit, Yjs, libsodium: most of the bytes) and, once the
// app shows a screen, registers the service worker that keeps the app opening while the relay
// that served it is blocked.
import './global.css';
import { msg, str } from '@lit/localize';
import { paintFirstLook } from './first-screen/paint.ts';
import { readFirstLook } from './first-screen/read.ts';
import { startLocale } from './l10n/localize.ts';
import { servingRelay } from './lib/serving-relay.ts';

const locale = startLocale();
const status = document.getElementById('boot-status');
const hash = location.hash;
void locale.then(() => {
  if (!status) return;
  if (/baton(?::|%3A)thread|[?&]thread=/i.test(hash)) status.textContent = msg('Opening the thread…', { id: 'boot.openingThread' });
  else if (/baton(?::|%3A)board/i.test(hash)) status.textContent = msg('Opening the board…', { id: 'boot.openingBoard' });
  else status.textContent = msg('Loading Baton…', { id: 'boot.loading' });
});

// The app takes over once it shows a screen of its own; the first look stops there.
const firstLook = new AbortController();
addEventListener('baton-screen', () => firstLook.abort(), { once: true });
readFirstLook(hash, servingRelay(location), firstLook.signal).then(
  async (look) => {
    await locale;
    if (look && !firstLook.signal.aborted) paintFirstLook(look);
  },
  () => {
    // no WebCrypto Ed25519, an insecure context, a relay that does not answer: the app shows it
  },
);

import('./components/baton-app/baton-app.ts').catch((err: Error) => {
  const reason = err.message;
  if (status) status.textContent = msg(str`Baton could not load: ${reason}. Reload the page to try again.`, { id: 'boot.failed' });
});

/** After the app's first screen, so that its install (which fetches every chunk) does not compete with it. */
const SW_AFTER_SCREEN_MS = 3000;
if ('serviceWorker' in navigator && (location.protocol === 'https:' || location.protocol === 'http:')) {
  addEventListener(
    'baton-screen',
    () =>
      setTimeout(() => {
        navigator.serviceWorker.register('./sw.js').catch(() => {
          // not a secure context (plain http on a LAN address), or refused: the app works without it
        });
      }, SW_AFTER_SCREEN_MS),
    { once: true },
  );
}
