// baton hide <board write cap> --thread ID --post POSTID [--reason R]
// baton moderators add|remove <board write cap> <identity key>
// Moderation records signed into the board (docs/PROTOCOL.md §6, "Moderation").
import { moderation, type Moderation } from '#client-core';
import { isIdentityKey, isPostId, type Capability } from '#shared';
import { positional, required, type Args } from '../args.ts';
import { say, str } from '../l10n.ts';
import { deviceStoresOf } from '#client-node';
import { boardModeration } from '../board-moderation.ts';
import { CliExit, ExitCode, printJson } from '../output.ts';
import { deliver, openClient, parseCap, syncAll } from '../session.ts';
import { requireWriteCap } from '../spaces.ts';
import { withClient } from './with-client.ts';

function boardCap(args: Args, index: number, what: string): Capability {
  const cap = parseCap(positional(args, index, say('board write capability', { id: 'cli.whatBoardWrite' })));
  if (cap.kind !== 'board') throw new CliExit(ExitCode.error, say("moderation needs the board's write capability: moderation records live in the board", { id: 'cli.moderationNeedsBoard' }));
  requireWriteCap(cap, what);
  if (cap.owner === undefined) throw new CliExit(ExitCode.error, say('this board link names no owner, so the board has no moderation (boards made before owners existed)', { id: 'cli.noOwner' }));
  return cap;
}

async function withModeration(args: Args, cap: Capability, act: (m: Moderation) => unknown): Promise<number> {
  return withClient(openClient(args), async (client) => {
    const board = await client.open(cap);
    await syncAll([board], args.timeoutMs);
    const { authority } = boardModeration(deviceStoresOf(client).memory, board);
    // A refusal (no authority, no owner) ends the command in the user's words (client/cli/main.ts).
    const result = act({ board, identity: client.identity, authority });
    const code = await deliver(client, [board], args.timeoutMs);
    printJson(result);
    return code;
  });
}

export async function hideCommand(args: Args): Promise<number> {
  const cap = boardCap(args, 0, say('hide', { id: 'cli.actionHide' }));
  const thread = required(args.thread, 'thread');
  const post = required(args.post, 'post');
  if (!isPostId(post)) throw new CliExit(ExitCode.usage, say('--post takes a post id (22 characters)', { id: 'cli.badPostId' }));
  return withModeration(args, cap, (m) => {
    const { record } = moderation.hidePost(m, { thread, post, ...(args.reason !== undefined ? { reason: args.reason } : {}) });
    return { hidden: true, thread, post, record: record.id };
  });
}

export async function moderatorsCommand(args: Args): Promise<number> {
  const sub = positional(args, 0, say('moderators subcommand (add or remove)', { id: 'cli.whatModeratorsSub' }));
  if (sub !== 'add' && sub !== 'remove') throw new CliExit(ExitCode.usage, say(str`unknown moderators subcommand "${sub}" (expected add or remove)`, { id: 'cli.unknownModeratorsSub' }));
  const cap = boardCap(args, 1, say('appoint or dismiss moderators', { id: 'cli.actionModerators' }));
  const key = positional(args, 2, say('identity key', { id: 'cli.whatIdentityKey' }));
  if (!isIdentityKey(key)) throw new CliExit(ExitCode.usage, say('an identity key is 43 characters of base64url (baton identity show prints yours)', { id: 'cli.badModeratorKey' }));
  return withModeration(args, cap, (m) => {
    const { record } = sub === 'add' ? moderation.appointModerator(m, key) : moderation.dismissModerator(m, key);
    return { moderator: key, appointed: sub === 'add', record: record.id };
  });
}
