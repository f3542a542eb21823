// The app shell, kept for when the relay that served it is blocked: pages and assets come
// from the network first and from this cache only when the network fails, so a reload
// still opens the app and it syncs through the board's other relays. The API is never cached.
const CACHE = 'baton-shell-v1';

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      const res = await fetch('./', { cache: 'no-cache' });
      if (!res.ok || !(res.headers.get('content-type') ?? '').toLowerCase().startsWith('text/html')) return;
      const html = await res.clone().text();
      await cache.put('./', res);
      const assets = new Set([...html.matchAll(/(?:src|href)="(\.\/assets\/[^"]+)"/g)].map((m) => m[1]));
      // The chunks loaded after the first screen (the build lists them all).
      const list = await fetch('./precache.json', { cache: 'no-cache' }).then((r) => (r.ok ? r.json() : []), () => []);
      if (Array.isArray(list)) for (const a of list) if (typeof a === 'string' && /^\.\/assets\/[^/]+$/.test(a)) assets.add(a);
      await cache.addAll([...assets]);
    })().then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  const scope = new URL(self.registration.scope);
  if (request.method !== 'GET' || url.origin !== scope.origin || !url.pathname.startsWith(scope.pathname)) return;
  if (url.pathname.startsWith(`${scope.pathname}v1/`)) return;
  event.respondWith(networkFirst(request));
});

/** A navigation to the app itself: the scope's root or its index.html (board links are fragments of it). */
function isAppPage(url) {
  const scope = new URL(self.registration.scope).pathname;
  return url.pathname === scope || url.pathname === `${scope}index.html`;
}

/** Only the app's own HTML may become the shell: not a stylesheet or any other page a visit reached. */
function isShell(request, res) {
  return isAppPage(new URL(request.url)) && (res.headers.get('content-type') ?? '').toLowerCase().startsWith('text/html');
}

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  const navigation = request.mode === 'navigate';
  try {
    const res = await fetch(request);
    if (res.ok && res.type === 'basic') {
      if (!navigation) await cache.put(request, res.clone());
      else if (isShell(request, res)) await cache.put('./', res.clone());
    }
    return res;
  } catch (err) {
    const hit = navigation ? (isAppPage(new URL(request.url)) ? await cache.match('./') : undefined) : await cache.match(request, { ignoreSearch: true });
    if (hit) return hit;
    throw err;
  }
}
