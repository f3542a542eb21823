// Nothing leaves this device before it is on this device's disk (the client option
// `persistFirst`, on in Node and in browsers): a room store that knows when none of its
// writes is in flight, and a WebSocket (and fetch) that hold outgoing messages until then.
// A space writes to the store and sends to relays on the same Yjs update; these put the
// store first without the space having to order the two.
import type { RoomName, SpaceId } from '#shared';
import type { Fetch } from './http-sync.ts';
import type { ConnectionOptions } from './relay-connection.ts';
import type { RoomMeta, RoomStore, StoredRoom, VerificationCache } from './store.ts';

/** Resolves after every microtask queued so far (and unthrottled in background tabs, unlike setTimeout). */
export function macrotask(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

export class TrackedStore implements RoomStore {
  /** Per room, the writes in flight and who waits for none. */
  private readonly inFlight = new Map<string, number>();
  private readonly waiters = new Map<string, (() => void)[]>();

  constructor(private readonly inner: RoomStore) {}

  /** The inner store's record of signature checks, if it keeps one. */
  get verification(): VerificationCache | undefined {
    return this.inner.verification;
  }

  private track<T>(room: string, write: Promise<T>): Promise<T> {
    this.inFlight.set(room, (this.inFlight.get(room) ?? 0) + 1);
    return write.finally(() => {
      const left = (this.inFlight.get(room) ?? 1) - 1;
      if (left > 0) return void this.inFlight.set(room, left);
      this.inFlight.delete(room);
      for (const wake of this.waiters.get(room) ?? []) wake();
      this.waiters.delete(room);
    });
  }

  /**
   * Resolves once no write of this room is in flight. It first lets the current turn finish,
   * so a write queued by the update being sent has started and is waited for.
   */
  async settled(room: string): Promise<void> {
    for (;;) {
      await macrotask();
      if (!this.inFlight.has(room)) return;
      await new Promise<void>((wake) => this.waiters.set(room, [...(this.waiters.get(room) ?? []), wake]));
    }
  }

  load(room: RoomName): Promise<StoredRoom> {
    return this.inner.load(room);
  }
  append(room: RoomName, update: Uint8Array): Promise<void> {
    return this.track(room, this.inner.append(room, update));
  }
  replace(room: RoomName, update: Uint8Array, keepOriginal?: boolean): Promise<void> {
    return this.track(room, this.inner.replace(room, update, keepOriginal));
  }
  loadMeta(room: RoomName): Promise<RoomMeta> {
    return this.inner.loadMeta(room);
  }
  saveMeta(room: RoomName, meta: RoomMeta): Promise<void> {
    return this.track(room, this.inner.saveMeta(room, meta));
  }
  rooms(): Promise<RoomName[]> {
    return this.inner.rooms();
  }
  async loadPreview(spaceId: SpaceId): Promise<Uint8Array | null> {
    return (await this.inner.loadPreview?.(spaceId)) ?? null;
  }
  async savePreview(spaceId: SpaceId, record: Uint8Array): Promise<void> {
    await this.inner.savePreview?.(spaceId, record);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

type Sendable = Parameters<WebSocket['send']>[0];

/** The room a sync or HTTP URL names (its last path segment), or '' if none. */
export function roomOfUrl(url: string | URL): string {
  try {
    const last = new URL(url).pathname.split('/').pop() ?? '';
    return decodeURIComponent(last);
  } catch {
    return '';
  }
}

/** A WebSocket class whose sends wait, in order, until the store holds its room's writes. */
export function persistFirstWebSocket(Base: typeof WebSocket, store: TrackedStore): typeof WebSocket {
  return class PersistFirstWebSocket extends Base {
    private readonly room: string;
    private outgoing: Sendable[] = [];
    private flushing = false;

    // Any further arguments (ws's options in Node) go through untouched.
    constructor(...args: ConstructorParameters<typeof WebSocket>) {
      super(...args);
      this.room = roomOfUrl(args[0]);
    }

    override send(data: Sendable): void {
      this.outgoing.push(data);
      if (!this.flushing) void this.flush();
    }

    private async flush(): Promise<void> {
      this.flushing = true;
      try {
        while (this.outgoing.length > 0) {
          await store.settled(this.room);
          for (const data of this.outgoing.splice(0)) {
            // A socket that closed meanwhile drops it: the next connection's sync resends what is missing.
            if (this.readyState === Base.OPEN) super.send(data);
          }
        }
      } finally {
        this.flushing = false;
      }
    }
  };
}

/** A fetch whose POSTs (the HTTP fallback's uploads) wait until the store holds their room's writes. */
export function persistFirstFetch(base: typeof fetch, store: TrackedStore): typeof fetch {
  return async (input, init) => {
    if ((init?.method ?? 'GET').toUpperCase() === 'POST') await store.settled(roomOfUrl(input instanceof Request ? input.url : input));
    return base(input, init);
  };
}

/**
 * The store and connection of a client whose sends wait for its store: the store's writes are
 * tracked, and the WebSocket and fetch it is given (or the platform's) hold messages until then.
 */
export function persistFirst(store: RoomStore, connection: ConnectionOptions = {}): { store: TrackedStore; connection: ConnectionOptions } {
  const tracked = store instanceof TrackedStore ? store : new TrackedStore(store);
  const WS = connection.WebSocket ?? (globalThis as { WebSocket?: typeof WebSocket }).WebSocket;
  const fetchImpl: Fetch = connection.fetch ?? globalThis.fetch.bind(globalThis);
  return {
    store: tracked,
    connection: { ...connection, ...(WS ? { WebSocket: persistFirstWebSocket(WS, tracked) } : {}), fetch: persistFirstFetch(fetchImpl as typeof fetch, tracked) },
  };
}
