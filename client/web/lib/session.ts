// The browser session: libsodium, the IndexedDB stores, this device's identity, and one
// BatonClient. Where IndexedDB is refused (some private modes, some file:// pages) it
// carries on in memory and says so.
import {
  exportIdentity,
  initSodium,
} from '../../../shared/index.ts';
import { BatonClient, MemoryStore, loadIdentity, replaceIdentity, checkName, type IdentityStore, type RoomStore, type StoredIdentity } from '../../core/index.ts';
import { IndexedDbIdentityStore, IndexedDbStore } from '../../browser/indexeddb-store.ts';
import { LocalState } from './local.ts';
import { TrackedStore, persistFirstFetch, persistFirstWebSocket } from './persist-first.ts';
import { servingRelay } from './route.ts';

class MemoryIdentityStore implements IdentityStore {
  private value: StoredIdentity | null = null;
  async load() {
    return this.value;
  }
  async save(v: StoredIdentity) {
    this.value = v;
  }
}

function localStorageOrNull(): Storage | null {
  try {
    const s = globalThis.localStorage;
    s.setItem('baton:probe', '1');
    s.removeItem('baton:probe');
    return s;
  } catch {
    return null;
  }
}

async function indexedDbWorks(): Promise<boolean> {
  try {
    if (!globalThis.indexedDB) return false;
    const store = new IndexedDbIdentityStore();
    await Promise.race([store.load(), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 3000))]);
    return true;
  } catch {
    return false;
  }
}

export type ProblemListener = (message: string) => void;

export class Session {
  readonly problems = new Set<ProblemListener>();

  private constructor(
    readonly client: BatonClient,
    readonly local: LocalState,
    private readonly identities: IdentityStore,
    /** False: nothing outlives the page (IndexedDB refused). */
    readonly persistent: boolean,
    /** The relay that served this page, or null when opened from disk. */
    readonly servingRelay: string | null,
  ) {}

  static async start(): Promise<Session> {
    await initSodium();
    const persistent = await indexedDbWorks();
    const inner: RoomStore = persistent ? new IndexedDbStore() : new MemoryStore();
    // Writes reach IndexedDB before any relay: a crash or reload between the two loses nothing.
    const store = new TrackedStore(inner);
    const identities: IdentityStore = persistent ? new IndexedDbIdentityStore() : new MemoryIdentityStore();
    const { identity, name } = await loadIdentity(identities);
    let session: Session | null = null;
    const serving = servingRelay(globalThis.location);
    const client = new BatonClient({
      // The relay that served this page is dialled even at a local address (a relay on a LAN).
      relayPolicy: { pageRelay: serving },
      store,
      identity,
      name,
      connection: {
        WebSocket: persistFirstWebSocket(globalThis.WebSocket, store),
        fetch: persistFirstFetch(globalThis.fetch.bind(globalThis), store),
      },
      onProblem: (message) => {
        for (const l of session?.problems ?? []) l(message);
      },
    });
    session = new Session(client, new LocalState(localStorageOrNull()), identities, persistent, serving);
    return session;
  }

  /** Relays a new board starts with: the serving relay, or the one typed in on the start screen. */
  defaultRelay(): string {
    return this.servingRelay ?? this.local.relay();
  }

  /** The base for web links: the serving relay if the space uses it, else the space's first relay. */
  linkBase(relays: string[]): string | null {
    if (this.servingRelay && relays.includes(this.servingRelay)) return this.servingRelay;
    return relays[0] ?? this.servingRelay;
  }

  get name(): string {
    return this.client.name;
  }

  async setName(name: string): Promise<void> {
    const clean = checkName(name);
    await this.identities.save({ identity: exportIdentity(this.client.identity), name: clean });
    this.client.name = clean;
  }

  exportIdentity(): string {
    return exportIdentity(this.client.identity);
  }

  /** Replaces this device's identity; the page reloads to use it. */
  async importIdentity(text: string): Promise<void> {
    await replaceIdentity(this.identities, text.trim(), this.client.name);
  }
}
