// A client for browsers, as client/node/index.ts opens one for Node: rooms and the identity
// in IndexedDB (in memory, said so, where IndexedDB is refused: some private modes, some
// file:// pages), large received updates checked in a Web Worker, and nothing sent to a relay
// before IndexedDB holds it.
import { initSodium } from '#shared';
import { BatonClient, MemoryStore, loadIdentity, setOffThreadCheck, type ClientOptions, type IdentityStore, type RoomStore, type StoredIdentity } from '#client-core';
import { IndexedDbIdentityStore, IndexedDbStore } from './indexeddb-store.ts';
import { webWorkerCheck } from './worker-check.ts';

export { IndexedDbIdentityStore, IndexedDbStore } from './indexeddb-store.ts';
export { webWorkerCheck } from './worker-check.ts';

/** How long IndexedDB gets to answer before the client carries on in memory. */
const INDEXEDDB_PROBE_MS = 3000;

export interface BrowserClientOptions extends Omit<ClientOptions, 'store' | 'identity' | 'name' | 'persistFirst'> {
  /**
   * Makes the Web Worker that checks large received updates (a bundler's worker import of
   * client/browser/check-worker.ts). Without one, or where workers are unavailable, the core
   * checks on the main thread, in slices.
   */
  checkWorker?: () => Worker;
  /**
   * The worker is used only once this resolves (until then, checks run on the main thread in
   * slices): its script holds its own libsodium, which on a slow link would compete with the
   * first screen for the bandwidth.
   */
  checkWorkerAfter?: Promise<unknown>;
}

export interface BrowserClient {
  client: BatonClient;
  /** Where this device's identity and display name are kept. */
  identities: IdentityStore;
  /** False: nothing outlives the page (IndexedDB refused). */
  persistent: boolean;
}

/** An identity kept for the page's lifetime only. */
export class MemoryIdentityStore implements IdentityStore {
  private value: StoredIdentity | null = null;
  async load(): Promise<StoredIdentity | null> {
    return this.value;
  }
  async save(value: StoredIdentity): Promise<void> {
    this.value = value;
  }
}

/** Whether IndexedDB answers at all (it may be missing, refused, or hang). */
export async function indexedDbWorks(): Promise<boolean> {
  try {
    if (!globalThis.indexedDB) return false;
    const store = new IndexedDbIdentityStore();
    await Promise.race([store.load(), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), INDEXEDDB_PROBE_MS))]);
    return true;
  } catch {
    return false;
  }
}

export async function openBrowserClient(o: BrowserClientOptions = {}): Promise<BrowserClient> {
  await initSodium();
  const makeWorker = o.checkWorker;
  if (makeWorker && typeof Worker === 'function') {
    // Started as soon as it may be, so that it is ready for the next large update.
    if (o.checkWorkerAfter) void o.checkWorkerAfter.then(() => setOffThreadCheck(webWorkerCheck(makeWorker, { warm: true })));
    else setOffThreadCheck(webWorkerCheck(makeWorker));
  }
  const persistent = await indexedDbWorks();
  const store: RoomStore = persistent ? new IndexedDbStore() : new MemoryStore();
  const identities: IdentityStore = persistent ? new IndexedDbIdentityStore() : new MemoryIdentityStore();
  const { identity, name } = await loadIdentity(identities);
  const { checkWorker: _worker, checkWorkerAfter: _after, ...rest } = o;
  // Writes reach IndexedDB before any relay: a crash or reload between the two loses nothing.
  const client = new BatonClient({ ...rest, store, identity, name, persistFirst: true });
  return { client, identities, persistent };
}
