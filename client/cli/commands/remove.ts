// baton remove <board write cap> --member <identity key>: moves the board to a successor
// without that member (docs/PROTOCOL.md §6, "Moved boards") and prints the successor's links.
// Members who posted follow by themselves; readers who never posted need the read link.
import { isIdentityKeyText, moveState, removeMember } from '#client-core';
import { deviceStoresOf } from '#client-node';
import { positional, required, type Args } from '../args.ts';
import { boardModeration } from '../board-moderation.ts';
import { say, str } from '../l10n.ts';
import { CliExit, ExitCode, note, printJson } from '../output.ts';
import { deliver, openClient, parseCap, syncAll } from '../session.ts';
import { requireWriteCap } from '../spaces.ts';
import { withClient } from './with-client.ts';

export async function removeCommand(args: Args): Promise<number> {
  const cap = parseCap(positional(args, 0, say('board write capability', { id: 'cli.whatBoardWrite' })));
  if (cap.kind !== 'board') throw new CliExit(ExitCode.error, say('members are removed from a board: give the board write capability', { id: 'cli.removeNeedsBoard' }));
  requireWriteCap(cap, say('remove a member', { id: 'cli.actionRemove' }));
  const member = required(args.member, 'member').trim();
  if (!isIdentityKeyText(member)) {
    throw new CliExit(ExitCode.usage, say('--member takes an identity key (43 characters of base64url, as `baton read --json` shows in author)', { id: 'cli.removeBadKey' }));
  }
  return withClient(openClient(args), async (client) => {
    const board = await client.open(cap);
    if ((await syncAll([board], args.timeoutMs)).length > 0) {
      throw new CliExit(ExitCode.unreachable, say('no relay could be reached for this board: a move needs the board as the relays hold it', { id: 'cli.removeUnreachable' }));
    }
    // A refusal (forbidden, moved, your own key) ends the command in the user's words (client/cli/main.ts).
    const memory = deviceStoresOf(client).memory;
    const context = { memory, authority: boardModeration(memory, board).authority };
    const removal = await removeMember(client, board, member, { timeoutMs: args.timeoutMs, ...context });
    moveState(board, context); // remembered here, so this device writes it back should a writer take it out
    const code = await deliver(client, client.openSpaces(), args.timeoutMs);
    const [threads, posts, invited] = [removal.threads, removal.posts, removal.invited.length];
    note(say(str`moved ${threads} thread(s) and ${posts} post(s); ${invited} member(s) who posted are invited and follow on their next open; give readers the new read link`, { id: 'cli.removeDone' }));
    printJson(removal.caps);
    return code;
  });
}
