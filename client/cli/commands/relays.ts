// baton relays add <board write cap> URL: every member may then sync with it too.
// baton relays remove <board write cap> URL: members stop dialling it (a signed removal,
// docs/PROTOCOL.md §6), except those who added it themselves.
// baton relays list <board cap>: the board's relay list, who added each entry, and whether
// this device dials it (client/core/relay-choice.ts).
import { listBoardRelayEntries, normaliseRelayUrl, toBase64url } from '#shared';
import { boards, type Space } from '#client-core';
import { positional, type Args } from '../args.ts';
import { say, str } from '../l10n.ts';
import { CliExit, ExitCode, printJson } from '../output.ts';
import { deliver, openClient, parseCap, syncAll } from '../session.ts';
import { openThreads, requireReadCap, requireWriteCap } from '../spaces.ts';
import { withClient } from './with-client.ts';

export async function relaysCommand(args: Args): Promise<number> {
  const sub = positional(args, 0, say('relays subcommand (add, remove or list)', { id: 'cli.whatRelaysSubRemove' }));
  if (sub !== 'add' && sub !== 'remove' && sub !== 'list') throw new CliExit(ExitCode.usage, say(str`unknown relays subcommand "${sub}" (expected add, remove or list)`, { id: 'cli.unknownRelaysSubRemove' }));
  const cap = parseCap(positional(args, 1, say('board capability', { id: 'cli.whatBoard' })));
  if (cap.kind !== 'board') throw new CliExit(ExitCode.error, say('a relay list belongs to a board: pass a board capability', { id: 'cli.relaysNeedBoard' }));
  if (sub === 'list') {
    requireReadCap(cap);
    return withClient(openClient(args), async (client) => {
      const board = await client.open(cap);
      await syncAll([board], args.timeoutMs);
      printJson({ relays: relayList(board, toBase64url(client.identity.publicKey)) });
      return ExitCode.ok;
    });
  }
  requireWriteCap(cap, sub === 'add' ? say('add relays', { id: 'cli.actionAddRelays' }) : say('remove relays', { id: 'cli.actionRemoveRelays' }));
  const url = positional(args, 2, say('relay URL', { id: 'cli.whatRelayUrl' }));
  if (sub === 'remove') {
    return withClient(openClient(args), async (client) => {
      const board = await client.open(cap);
      await syncAll([board], args.timeoutMs);
      // A URL that is none is refused in the user's words (client/cli/main.ts).
      const removed = boards.removeRelay(board, url);
      if (!removed) throw new CliExit(ExitCode.error, say(str`the board's relay list does not name ${url}`, { id: 'cli.relayNotListed' }));
      const code = await deliver(client, [board], args.timeoutMs);
      printJson({ removed: normalisedOr(url), relays: relayList(board, toBase64url(client.identity.publicKey)) });
      return code;
    });
  }
  return withClient(openClient(args), async (client) => {
    const board = await client.open(cap);
    await syncAll([board], args.timeoutMs);
    const relay = boards.addRelay(board, url);
    // Seed the new relay with the threads this device holds.
    const threads = await openThreads(client, board);
    await syncAll(threads, args.timeoutMs);
    const code = await deliver(client, [board], args.timeoutMs);
    printJson({ relay, relays: relayList(board, toBase64url(client.identity.publicKey)) });
    return code;
  });
}

/**
 * Each entry of the board's list: who added it (the key that signed it; null when nobody
 * did), whether that is this device's identity, and whether this device dials it and why.
 */
export function relayList(board: Space, me: string) {
  const verdicts = board.relayVerdicts();
  const dialled = board.relays();
  const entries = listBoardRelayEntries(board.requireRead(), board.spaceId);
  const rows = entries.map((e) => ({
    relay: e.url,
    addedBy: e.addedBy,
    addedByYou: e.addedBy === me,
    addedAt: e.addedAt,
    removedBy: e.removed ? e.removed.by : undefined,
    removedAt: e.removed ? e.removed.at : undefined,
    dialled: dialled.includes(e.url),
    why: verdicts.get(e.url) ?? (e.removed ? 'removed' : 'not-considered'),
  }));
  // Relays dialled that the list does not name (the link's hints, --relay): shown too.
  for (const r of dialled) if (!entries.some((e) => e.url === r)) rows.push({ relay: r, addedBy: null, addedByYou: false, addedAt: 0, removedBy: undefined, removedAt: undefined, dialled: true, why: verdicts.get(r) ?? 'chosen' });
  return rows;
}

function normalisedOr(url: string): string {
  try {
    return normaliseRelayUrl(url);
  } catch {
    return url;
  }
}
