// Delivery as promises: what a write sealed, and waiting (with a time limit or an abort
// signal) until relays have synced a space or confirmed its writes, instead of polling.
import type { RoomName } from '#shared';
import { ClientError } from './errors.ts';
import type { RelayStatus } from './relay-connection.ts';

/** One blob: its id in its room's envelope log. */
export interface BlobRef {
  client: number;
  clock: number;
}

/** What one write sealed: the room (epoch) its blobs went into, and their ids there. */
export interface Written {
  room: RoomName;
  blobs: BlobRef[];
}

export interface WaitOptions {
  /** Gives up after this long: rejects with ClientError 'timeout'. */
  timeoutMs?: number;
  /** Gives up once aborted: rejects with ClientError 'aborted'. */
  signal?: AbortSignal;
}

/** Failed attempts in a row after which a relay no longer counts as reachable. */
export const DOWN_AFTER_FAILURES = 4;

/** True when no relay can be reached now (or there is none). */
export function unreachable(statuses: RelayStatus[]): boolean {
  return statuses.every((s) => (s.state === 'refused' && s.refused === 'connection') || s.failures >= DOWN_AFTER_FAILURES);
}

/** Anything that says when it changed (a space). */
export interface Changing {
  subscribe(listener: () => void): () => void;
}

// Node runs a burst of changes (a sync delivering many updates) before an immediate; browsers have no setImmediate.
const afterBurst: (run: () => void) => void = globalThis.setImmediate ?? ((run) => setTimeout(run, 0));

/**
 * Resolves with `check`'s first answer other than undefined, asked at once, after each burst
 * of changes, and every `recheckMs` when given (for conditions that depend on time).
 */
export function until<T>(source: Changing, check: () => T | undefined, o: WaitOptions & { recheckMs?: number } = {}): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (o.signal?.aborted) return reject(new ClientError('aborted', 'the wait was called off'));
    const first = check();
    if (first !== undefined) return resolve(first);
    let queued = false;
    let finished = false;
    const unsubscribe = source.subscribe(() => {
      if (queued) return;
      queued = true;
      afterBurst(() => {
        queued = false;
        settle();
      });
    });
    const recheck = o.recheckMs ? setInterval(settle, o.recheckMs) : null;
    const deadline = o.timeoutMs !== undefined ? setTimeout(() => fail(new ClientError('timeout', `no answer within ${o.timeoutMs} ms`)), o.timeoutMs) : null;
    const onAbort = () => fail(new ClientError('aborted', 'the wait was called off'));
    o.signal?.addEventListener('abort', onAbort, { once: true });
    function end(): boolean {
      if (finished) return false;
      finished = true;
      unsubscribe();
      if (recheck) clearInterval(recheck);
      if (deadline) clearTimeout(deadline);
      o.signal?.removeEventListener('abort', onAbort);
      return true;
    }
    function settle(): void {
      if (finished) return;
      const answer = check();
      if (answer !== undefined && end()) resolve(answer);
    }
    function fail(err: ClientError): void {
      // A last look first: what holds at the deadline counts.
      settle();
      if (end()) reject(err);
    }
  });
}

/** What delivery waits need of a space. */
export interface Delivering extends Changing {
  statuses(): RelayStatus[];
  relays(): string[];
  outbox(): unknown[];
  confirmedBy(written: Written): string[];
}

/**
 * Resolves with the relays that confirmed a write (every local write when none is named),
 * once at least one has. With `untilUnreachable`, resolves with none as soon as no relay of the
 * space can be reached.
 */
export function whenDelivered(space: Delivering, written: Written | undefined, o: WaitOptions & { untilUnreachable?: boolean } = {}): Promise<string[]> {
  return until(
    space,
    () => {
      // Nothing to deliver (a flush that sealed nothing, or an empty outbox): delivered as it stands.
      if (written ? written.blobs.length === 0 : space.outbox().length === 0) return space.relays();
      const by = written ? space.confirmedBy(written) : [];
      if (by.length > 0) return by;
      return o.untilUnreachable && unreachable(space.statuses()) ? [] : undefined;
    },
    o,
  );
}

/** Once one relay has synced, how long the others get to catch up. */
export const SYNC_GRACE_MS = 1500;
/** How often a sync wait looks again without a change (for the grace period). */
const SYNC_RECHECK_MS = 50;

/**
 * Waits until a space has synced with its relays: every relay, or at least one plus a grace
 * period for the rest (or until the rest are down), or none can be reached. Resolves with the
 * relays it synced with (none: no relay could be reached).
 */
export function whenSynced(space: Changing & { statuses(): RelayStatus[] }, o: WaitOptions & { graceMs?: number } = {}): Promise<string[]> {
  let firstSynced: number | null = null;
  const graceMs = o.graceMs ?? SYNC_GRACE_MS;
  const synced = (statuses: RelayStatus[]) => statuses.filter((s) => s.state === 'synced').map((s) => s.relay);
  return until(
    space,
    () => {
      const statuses = space.statuses();
      const done = synced(statuses);
      if (done.length > 0) firstSynced ??= Date.now();
      if (done.length === statuses.length) return done;
      if (done.length > 0) {
        const rest = statuses.every((s) => s.state === 'synced' || s.failures >= DOWN_AFTER_FAILURES);
        return rest || Date.now() - firstSynced! >= graceMs ? done : undefined;
      }
      return unreachable(statuses) ? [] : undefined;
    },
    { ...o, recheckMs: SYNC_RECHECK_MS },
  );
}
