// The web client's entry: page styles, the app element, and (when a relay served the page)
// the service worker that keeps the app opening while that relay is blocked, and the worker
// that checks large received updates away from the page's main thread.
import './global.css';
import CheckWorker from './check-worker-file.ts';
import { webWorkerCheck } from '../browser/worker-check.ts';
import { setOffThreadCheck } from '../core/update-check.ts';
import './components/baton-app/baton-app.ts';

// A file of its own when a relay serves the client; inline in the single file (vite.config.ts).
if (typeof Worker === 'function') setOffThreadCheck(webWorkerCheck(() => new CheckWorker()));

if ('serviceWorker' in navigator && (location.protocol === 'https:' || location.protocol === 'http:')) {
  navigator.serviceWorker.register('./sw.js').catch(() => {
    // not a secure context (plain http on a LAN address), or refused: the app works without it
  });
}
