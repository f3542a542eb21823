// The web client's entry: page styles, the app element, and (when a relay served the page)
// the service worker that keeps the app opening while that relay is blocked. The session
// (lib/session.ts) opens the browser client with its update-checking worker. The page's
// language (l10n/localize.ts) loads beside the app: its catalog is a chunk of its own.
import './global.css';
import { startLocale } from './l10n/localize.ts';
import './components/baton-app/baton-app.ts';

void startLocale();

if ('serviceWorker' in navigator && (location.protocol === 'https:' || location.protocol === 'http:')) {
  navigator.serviceWorker.register('./sw.js').catch(() => {
    // not a secure context (plain http on a LAN address), or refused: the app works without it
  });
}
