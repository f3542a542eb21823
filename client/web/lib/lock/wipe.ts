// The panic wipe: everything this app keeps on the device, gone in well under a second, then
// the plain start page. Loaded with the app (no chunk to fetch in a hurry). Databases are
// deleted without waiting for open connections to be closed gracefully: the stores close
// theirs when told a deletion is under way (client/browser/indexeddb-store.ts).
const DATABASE = /^baton(?:$|[-:])/;
/** A deletion blocked by another tab's open connection is left to finish on its own. */
const DELETE_WAIT_MS = 500;

function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = request.onerror = () => resolve();
    setTimeout(resolve, DELETE_WAIT_MS);
  });
}

async function databaseNames(): Promise<string[]> {
  const listed = (await indexedDB.databases?.().catch(() => [])) ?? [];
  const names = listed.map((d) => d.name ?? '').filter((n) => DATABASE.test(n));
  return [...new Set([...names, 'baton', 'baton-s'])];
}

/** Erases IndexedDB, localStorage, sessionStorage, caches and the service worker; resolves when done. */
export async function wipeEverything(): Promise<void> {
  for (const storage of [globalThis.localStorage, globalThis.sessionStorage]) {
    try {
      storage?.clear();
    } catch {
      // refused here: nothing was kept in it either
    }
  }
  await Promise.allSettled([
    globalThis.indexedDB ? databaseNames().then((names) => Promise.all(names.map(deleteDatabase))) : null,
    globalThis.caches?.keys().then((keys) => Promise.all(keys.map((k) => caches.delete(k)))),
    navigator.serviceWorker?.getRegistrations().then((rs) => Promise.all(rs.map((r) => r.unregister()))),
  ]);
}

/** Wipes, then shows the plain start page (a fresh load, so nothing stays in this page's memory). */
export async function panicWipe(): Promise<void> {
  await wipeEverything();
  location.replace(location.pathname + location.search);
}
