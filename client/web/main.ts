// The web client's entry, kept small (scripts/check-first-script.js holds it to a budget): on a
// slow link it is all that arrives in the first second or two. It names what is opening on the
// loading screen of index.html, then loads the app (Lit, Yjs, libsodium: most of the bytes)
// and, when a relay served the page, registers the service worker that keeps the app opening
// while that relay is blocked.
import './global.css';

const status = document.getElementById('boot-status');
const hash = location.hash;
if (status && /baton(?::|%3A)thread|[?&]thread=/i.test(hash)) status.textContent = 'Opening the thread…';
else if (status && /baton(?::|%3A)board/i.test(hash)) status.textContent = 'Opening the board…';

import('./components/baton-app/baton-app.ts').catch((err: Error) => {
  if (status) status.textContent = `Baton could not load: ${err.message}. Reload the page to try again.`;
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
