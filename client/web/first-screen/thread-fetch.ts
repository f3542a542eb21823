// The thread a link opens, fetched whole over HTTP by the page's first script while the app is
// still arriving. On a slow link the app (Lit, Yjs, libsodium) takes seconds; the thread's sync
// began only once it had arrived and run, after two more round trips (the epoch list, the
// WebSocket), and the link sat idle meanwhile. Fetched here, the thread's bytes share the link
// with the app's instead of following them; the app checks and stores them before it opens the
// thread (baton-app/first-screen.ts), so its sync then asks only for what is newer.
// Started once the first look is read, so it never slows the title and newest posts; skipped
// when this device already holds the thread (or is locked, and cannot say), since a sync then
// fetches only what it lacks.
import { threadLink } from './read.ts';

export interface FetchedThread {
  /** `<spaceId>.<epoch>`: the newest epoch the relay holds. */
  room: string;
  /** The room's whole update, as the relay sent it (not yet checked). */
  update: Uint8Array;
}

/** Bigger threads are left to the app's sync: the first script does not hold that much unchecked. */
const MAX_THREAD_BYTES = 8 * 1024 * 1024;
/** A relay that sends nothing for this long is given up on: the app's own sync takes over. */
const STALL_MS = 15_000;
const MAX_OPEN_EPOCH = 2 ** 31 - 1;

let fetched: Promise<FetchedThread | null> = Promise.resolve(null);
const stop = new AbortController();

/** Whether this device may already hold the thread: it opened it before, or it is locked (lib/local.ts, lib/lock/record.ts). */
function mayHoldAlready(spaceId: string): boolean {
  try {
    const storage = globalThis.localStorage;
    return storage.getItem('baton:lock') !== null || (storage.getItem('baton:spaces') ?? '').includes(spaceId);
  } catch {
    return false; // no storage: nothing outlives the page, so nothing is held
  }
}

/** Aborts when `outer` does, or when nothing came for STALL_MS since the last `kick()` (none while paused). */
function watchdog(outer: AbortSignal): { signal: AbortSignal; kick(): void; pause(): void; done(): void } {
  const inner = new AbortController();
  const stopInner = () => inner.abort();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const pause = () => clearTimeout(timer);
  const kick = () => {
    pause();
    timer = setTimeout(stopInner, STALL_MS);
  };
  outer.addEventListener('abort', stopInner, { once: true });
  kick();
  return { signal: inner.signal, kick, pause, done: () => (pause(), outer.removeEventListener('abort', stopInner)) };
}

/** The body, read while bytes keep coming; null past the size bound or cut short. */
async function readBody(res: Response, kick: () => void): Promise<Uint8Array | null> {
  const length = Number(res.headers.get('content-length') ?? NaN);
  if (!res.body || !Number.isSafeInteger(length) || length > MAX_THREAD_BYTES) {
    void res.body?.cancel().catch(() => {});
    return null;
  }
  const out = new Uint8Array(length);
  const reader = res.body.getReader();
  let at = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return at === length ? out : null;
    kick();
    if (at + value.length > length) {
      void reader.cancel().catch(() => {});
      return null;
    }
    out.set(value, at);
    at += value.length;
  }
}

async function fetchThread(spaceId: string, relays: string[], after: Promise<unknown>, stop: AbortSignal): Promise<FetchedThread | null> {
  for (const relay of relays) {
    const dog = watchdog(stop);
    try {
      const signal = dog.signal;
      // The epoch list is a few bytes: asked beside the first look's own requests, a round trip saved.
      const list = await fetch(`${relay}/v1/spaces/${spaceId}`, { signal, cache: 'no-store' });
      const { epochs } = (list.ok ? await list.json() : {}) as { epochs?: unknown };
      const valid = Array.isArray(epochs) ? epochs.filter((e): e is number => Number.isSafeInteger(e) && e >= 0 && e <= MAX_OPEN_EPOCH) : [];
      if (valid.length === 0) continue;
      const room = `${spaceId}.${Math.max(...valid)}`;
      dog.pause();
      await after;
      if (stop.aborted) return null;
      dog.kick();
      const res = await fetch(`${relay}/v1/rooms/${room}`, { signal, cache: 'no-store' });
      dog.kick();
      const update = res.ok ? await readBody(res, dog.kick) : null;
      if (update && update.length > 0) return { room, update };
    } catch {
      if (stop.aborted) return null;
      // this relay does not answer, or stalled: the next one
    } finally {
      dog.done();
    }
  }
  return null;
}

/** Fetches the thread a fragment links to, its bytes once `after` settles (the first look read), unless this device may hold it already. */
export function startThreadFetch(hash: string, servingRelay: string | null, after: Promise<unknown>): void {
  const link = threadLink(hash);
  if (!link || mayHoldAlready(link.spaceId)) return;
  const relays = [...new Set([...(servingRelay ? [servingRelay] : []), ...link.relays])].slice(0, 3);
  const settled = after.then(
    () => {},
    () => {},
  );
  fetched = fetchThread(link.spaceId, relays, settled, stop.signal);
}

/** The fetched thread, once the fetch has ended (null: none, or it failed). */
export function fetchedThread(): Promise<FetchedThread | null> {
  return fetched;
}

/** The app has no use for it (the thread is held here already): stop. */
export function stopThreadFetch(): void {
  stop.abort();
  releaseThreadFetch();
}

/** The app has taken the bytes: they are not kept here as well. */
export function releaseThreadFetch(): void {
  fetched = Promise.resolve(null);
}
