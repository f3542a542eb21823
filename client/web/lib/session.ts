// The browser session: the browser client (client/browser/index.ts: IndexedDB, or memory
// where IndexedDB is refused, and the update-checking worker), what this device remembers
// besides its rooms (lib/local.ts), and the relay that served the page.
import { exportIdentity } from '#shared';
import { openBrowserClient } from '#client-browser';
import { relayAnswers, replaceIdentity, checkName, type BatonClient, type IdentityStore, type ProblemListener, type Vault } from '#client-core';
// A file of its own when a relay serves the client; inline in the single file (vite.config.ts).
import CheckWorker, { WORKER_DOWNLOADED } from '../check-worker-file.ts';
import { LocalState } from './local.ts';
import { LinkHandles } from './link-handles.ts';
import { servingRelay } from './route.ts';
import { SealedStorage } from './lock/sealed-storage.ts';
import { followOtherTabs } from './lock/record.ts';

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

/** How long the page's relay has to answer as a relay (a slow link takes seconds). */
const RELAY_CHECK_MS = 20_000;

/** At the latest this long after the app first showed a screen, the check worker may start. */
const WORKER_AT_THE_LATEST_MS = 30_000;

/** Resolves once the app's screen has settled (baton-app/settled.ts), or a while after it first showed. */
function afterFirstScreen(): Promise<void> {
  return new Promise((resolve) => {
    addEventListener('baton-settled', () => resolve(), { once: true });
    addEventListener('baton-screen', () => setTimeout(resolve, WORKER_AT_THE_LATEST_MS), { once: true });
  });
}

export class Session {
  readonly problems = new Set<ProblemListener>();

  private constructor(
    readonly client: BatonClient,
    readonly local: LocalState,
    /** The addresses shown in place of capabilities (lib/link-handles.ts). */
    readonly handles: LinkHandles,
    /** True: a passphrase locks this device, and everything here is sealed (lib/lock/). */
    readonly locked: boolean,
    private readonly identities: IdentityStore,
    /** False: nothing outlives the page (IndexedDB refused). */
    readonly persistent: boolean,
    /** The relay that served this page, or null when opened from disk. */
    readonly servingRelay: string | null,
  ) {}

  /**
   * `servingRelay`: the relay that served the page, when not the page's own address (null: the
   * page came from no relay). `vault` (an unlocked passphrase): everything the session keeps is sealed.
   */
  static async start(options: { servingRelay?: string | null; vault?: Vault } = {}): Promise<Session> {
    const vault = options.vault;
    let session: Session | null = null;
    const serving = options.servingRelay !== undefined ? options.servingRelay : servingRelay(globalThis.location);
    const { client, identities, persistent } = await openBrowserClient({
      vault,
      // The relay that served this page is dialled even at a local address (a relay on a LAN).
      relayPolicy: { pageRelay: serving },
      checkWorker: () => new CheckWorker(),
      ...(WORKER_DOWNLOADED ? { checkWorkerAfter: afterFirstScreen() } : {}),
      onProblem: (problem) => {
        for (const l of session?.problems ?? []) l(problem);
      },
    });
    const plain = localStorageOrNull();
    const storage = vault && plain ? new SealedStorage(plain, vault) : plain;
    session = new Session(client, new LocalState(storage), new LinkHandles(storage), vault !== undefined, identities, persistent, serving);
    followOtherTabs(session.locked);
    // Every space also syncs with the relay that served this page, however it was reached,
    // once it answers as a relay (a page may come from a plain web server too).
    if (serving) void relayAnswers((input, init) => fetch(input, init), serving, RELAY_CHECK_MS).then((yes) => yes && client.useRelay(serving), () => {});
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
