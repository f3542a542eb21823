// What every command shares: opening the device's client, syncing, and delivering writes.
import { parseCapabilityOrLink, CapabilityError, type Capability } from '../../shared/index.ts';
import type { BatonClient } from '../core/client.ts';
import { queuedCapabilities } from '../core/outbox.ts';
import type { Space } from '../core/space.ts';
import { defaultDataDir, openNodeClient } from '../node/index.ts';
import type { Args } from './args.ts';
import { CliExit, ExitCode, note } from './output.ts';

/** Failed attempts in a row after which a relay no longer holds a command up. */
const DOWN_AFTER_FAILURES = 4;
/** Once one relay has synced, how long the others get to catch up. */
const SYNC_GRACE_MS = 1500;
/** Conditions are re-checked on every change of a space, and at least this often (for the grace period). */
const RECHECK_MS = 50;

export async function openClient(args: Args): Promise<BatonClient> {
  return openNodeClient({ dataDir: args.data ?? defaultDataDir(), name: args.name, relays: args.relays, onProblem: note });
}

export function parseCap(text: string): Capability {
  try {
    return parseCapabilityOrLink(text);
  } catch (err) {
    if (err instanceof CapabilityError) throw new CliExit(ExitCode.error, `bad capability: ${err.message}`);
    throw err;
  }
}

/** True when no relay of the space can be reached now (or it has none). */
export function relaysDown(space: Space): boolean {
  return space.statuses().every((s) => s.state === 'blocked' || s.failures >= DOWN_AFTER_FAILURES);
}

/** Resolves true as soon as `check` holds (a receipt ends the wait at once), false after `timeoutMs`. */
function until(spaces: Space[], check: () => boolean, timeoutMs: number): Promise<boolean> {
  if (check()) return Promise.resolve(true);
  return new Promise((resolve) => {
    // A burst of changes (a sync delivering many updates) is checked once, after it.
    let queued = false;
    const changed = () => {
      if (queued) return;
      queued = true;
      setImmediate(() => {
        queued = false;
        settle(false);
      });
    };
    let finished = false;
    const unsubscribe = spaces.map((s) => s.subscribe(changed));
    const recheck = setInterval(() => settle(false), RECHECK_MS);
    const deadline = setTimeout(() => settle(true), timeoutMs);
    function settle(timedOut: boolean): void {
      if (finished) return;
      const done = check();
      if (!done && !timedOut) return;
      finished = true;
      for (const u of unsubscribe) u();
      clearInterval(recheck);
      clearTimeout(deadline);
      resolve(done);
    }
  });
}

/**
 * Waits until each space has synced with its relays (every relay, or at least one plus a
 * short grace for the rest), or none can be reached, or the time is up. Returns the spaces
 * that synced with no relay.
 */
export async function syncAll(spaces: Space[], timeoutMs: number): Promise<Space[]> {
  const firstSynced = new Map<Space, number>();
  await until(spaces, () => {
    const now = Date.now();
    return spaces.every((space) => {
      const statuses = space.statuses();
      const synced = statuses.filter((s) => s.state === 'synced').length;
      if (synced > 0 && !firstSynced.has(space)) firstSynced.set(space, now);
      if (synced === statuses.length) return true;
      if (synced > 0) return now - firstSynced.get(space)! >= SYNC_GRACE_MS || statuses.every((s) => s.state === 'synced' || s.failures >= DOWN_AFTER_FAILURES);
      return relaysDown(space);
    });
  }, timeoutMs);
  return spaces.filter((s) => !s.statuses().some((st) => st.state === 'synced'));
}

/** Opens (without keys) every stored room with queued writes, so they are delivered too. */
export async function openQueued(client: BatonClient): Promise<Space[]> {
  const opened: Space[] = [];
  for (const cap of await queuedCapabilities(client.store)) {
    if (client.get(cap.spaceId)) continue;
    opened.push(await client.open(cap));
  }
  return opened;
}

/**
 * Delivers local writes: waits until a receipt covers every local write of `own`, and of
 * any other open space whose relays answer (every command delivers what earlier ones queued). Returns the queued exit code, saying so on
 * stderr, when `own` still has unconfirmed writes.
 */
export async function deliver(client: BatonClient, own: Space[], timeoutMs: number): Promise<number> {
  client.flush();
  await openQueued(client);
  const all = client.openSpaces();
  await until(all, () => all.every((s) => s.outbox().length === 0 || relaysDown(s)), timeoutMs);
  for (const s of all) await s.saved();
  const ownPending = own.reduce((n, s) => n + s.outbox().length, 0);
  const otherPending = all.filter((s) => !own.includes(s)).reduce((n, s) => n + s.outbox().length, 0);
  if (otherPending > 0) note(`${otherPending} earlier write(s) are still queued on this device`);
  if (ownPending > 0) {
    const relays = [...new Set(own.flatMap((s) => s.relays()))];
    const why = relays.length === 0 ? 'no relay is known for it' : `no relay confirmed it (${describeRelays(own)})`;
    note(`the write is queued on this device: ${why}; the next command that reaches a relay delivers it (e.g. baton sync)`);
    return ExitCode.queued;
  }
  return ExitCode.ok;
}

export function describeRelays(spaces: Space[]): string {
  const seen = new Map<string, string>();
  for (const s of spaces) for (const st of s.statuses()) if (!seen.has(st.relay) || st.state === 'synced') seen.set(st.relay, st.state + (st.lastError && st.state !== 'synced' ? `: ${st.lastError}` : ''));
  return [...seen].map(([relay, state]) => `${relay} ${state}`).join('; ');
}
