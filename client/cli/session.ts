// What every command shares: opening the device's client, syncing, and delivering writes.
import { firstScreenCapability, queuedCapabilities, type BatonClient, type Space } from '#client-core';
import { defaultDataDir, openNodeClient } from '#client-node';
import type { Args } from './args.ts';
import { say, str } from './l10n.ts';
import { ExitCode, note } from './output.ts';
import { passphraseOf } from './passphrase.ts';
import { problemWords } from './problem-words.ts';

export async function openClient(args: Args): Promise<BatonClient> {
  return openNodeClient({ dataDir: args.data ?? defaultDataDir(), name: args.name, relays: args.relays, onProblem: (problem) => note(problemWords(problem)), passphrase: passphraseOf(args.passphraseFile, 'BATON_PASSPHRASE') });
}

/** A capability or a link; a damaged one is refused in the user's words (client/cli/failure.ts). */
export { parseCapabilityOrLink as parseCap } from '#shared';

/**
 * Waits until each space has synced with its relays (every relay, or at least one plus a
 * short grace for the rest), or none can be reached, or the time is up. Returns the spaces
 * that synced with no relay.
 */
export async function syncAll(spaces: Space[], timeoutMs: number): Promise<Space[]> {
  await Promise.allSettled(spaces.map((s) => s.whenSynced({ timeoutMs })));
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
  // A thread's first screen written by this command goes out with it, and counts as its own.
  const started = Date.now();
  await withinTime(client.publishFirstScreens(), timeoutMs);
  const ownIds = new Set(own.flatMap((s) => [s.spaceId, firstScreenCapability(s.cap)?.spaceId]));
  client.flush();
  await openQueued(client);
  const all = client.openSpaces();
  const mine = all.filter((s) => ownIds.has(s.spaceId));
  // Each space's wait ends when a receipt covers its outbox, or when none of its relays can be reached.
  const left = Math.max(1, timeoutMs - (Date.now() - started));
  await Promise.allSettled(all.map((s) => s.whenDelivered(undefined, { timeoutMs: left, untilUnreachable: true })));
  for (const s of all) await s.saved();
  const ownPending = mine.reduce((n, s) => n + s.outbox().length, 0);
  const otherPending = all.filter((s) => !mine.includes(s)).reduce((n, s) => n + s.outbox().length, 0);
  const count = otherPending;
  if (count > 0) note(say(str`${count} earlier write(s) are still queued on this device`, { id: 'cli.earlierQueued' }));
  if (ownPending > 0) {
    const relays = [...new Set(own.flatMap((s) => s.relays()))];
    const states = describeRelays(own);
    const why = relays.length === 0 ? say('no relay is known for it', { id: 'cli.noRelayKnown' }) : say(str`no relay confirmed it (${states})`, { id: 'cli.noRelayConfirmed' });
    note(say(str`the write is queued on this device: ${why}; the next command that reaches a relay delivers it (e.g. baton sync)`, { id: 'cli.writeQueued' }));
    return ExitCode.queued;
  }
  return ExitCode.ok;
}

/** Waits for `work`, or for `ms` at most (what is not done by then is left to the next command). */
async function withinTime(work: Promise<void>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([work, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

export function describeRelays(spaces: Space[]): string {
  const seen = new Map<string, string>();
  for (const s of spaces) for (const st of s.statuses()) if (!seen.has(st.relay) || st.state === 'synced') seen.set(st.relay, st.state + (st.lastError && st.state !== 'synced' ? `: ${st.lastError}` : ''));
  return [...seen].map(([relay, state]) => `${relay} ${state}`).join('; ');
}
