// The browser session: the browser client (client/browser/index.ts: IndexedDB, or memory
// where IndexedDB is refused, and the update-checking worker), what this device remembers
// besides its rooms (lib/local.ts), and the relay that served the page.
import { exportIdentity } from '#shared';
import { openBrowserClient } from '#client-browser';
import { relayAnswers, replaceIdentity, checkName, type BatonClient, type IdentityStore } from '#client-core';
// A file of its own when a relay serves the client; inline in the single file (vite.config.ts).
import CheckWorker, { WORKER_DOWNLOADED } from '../check-worker-file.ts';
import { LocalState } from './local.ts';
import { servingRelay } from './route.ts';

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

  /** `servingRelay`: the relay that served the page, when not the page's own address (null: the page came from no relay). */
  static async start(options: { servingRelay?: string | null } = {}): Promise<Session> {
    let session: Session | null = null;
    const serving = options.servingRelay !== undefined ? options.servingRelay : servingRelay(globalThis.location);
    const { client, identities, persistent } = await openBrowserClient({
      // The relay that served this page is dialled even at a local address (a relay on a LAN).
      relayPolicy: { pageRelay: serving },
      checkWorker: () => new CheckWorker(),
      ...(WORKER_DOWNLOADED ? { checkWorkerAfter: afterFirstScreen() } : {}),
      onProblem: (message) => {
        for (const l of session?.problems ?? []) l(message);
      },
    });
    session = new Session(client, new LocalState(localStorageOrNull()), identities, persistent, serving);
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
