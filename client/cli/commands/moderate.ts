// baton hide <board write cap> --thread ID --post POSTID [--reason R]
// baton moderators add|remove <board write cap> <identity key>
// Moderation records signed into the board (docs/PROTOCOL.md §6, "Moderation").
import { ClientError, moderation, type Moderation } from '#client-core';
import { isIdentityKey, isPostId, type Capability } from '#shared';
import { positional, required, type Args } from '../args.ts';
import { boardModeration } from '../board-moderation.ts';
import { CliExit, ExitCode, printJson } from '../output.ts';
import { deliver, openClient, parseCap, syncAll } from '../session.ts';
import { requireWriteCap } from '../spaces.ts';
import { withClient } from './with-client.ts';

function boardCap(args: Args, index: number, what: string): Capability {
  const cap = parseCap(positional(args, index, 'board write capability'));
  if (cap.kind !== 'board') throw new CliExit(ExitCode.error, `${what} needs the board's write capability: moderation records live in the board`);
  requireWriteCap(cap, what);
  if (cap.owner === undefined) throw new CliExit(ExitCode.error, 'this board link names no owner, so the board has no moderation (boards made before owners existed)');
  return cap;
}

async function withModeration(args: Args, cap: Capability, act: (m: Moderation) => unknown): Promise<number> {
  return withClient(openClient(args), async (client) => {
    const board = await client.open(cap);
    await syncAll([board], args.timeoutMs);
    const { authority } = boardModeration(args, board);
    let result: unknown;
    try {
      result = act({ board, identity: client.identity, authority });
    } catch (err) {
      if (err instanceof ClientError) throw new CliExit(ExitCode.error, err.message);
      throw err;
    }
    const code = await deliver(client, [board], args.timeoutMs);
    printJson(result);
    return code;
  });
}

export async function hideCommand(args: Args): Promise<number> {
  const cap = boardCap(args, 0, 'hide');
  const thread = required(args.thread, 'thread');
  const post = required(args.post, 'post');
  if (!isPostId(post)) throw new CliExit(ExitCode.usage, '--post takes a post id (22 characters)');
  return withModeration(args, cap, (m) => {
    const { record } = moderation.hidePost(m, { thread, post, ...(args.reason !== undefined ? { reason: args.reason } : {}) });
    return { hidden: true, thread, post, record: record.id };
  });
}

export async function moderatorsCommand(args: Args): Promise<number> {
  const sub = positional(args, 0, 'moderators subcommand (add or remove)');
  if (sub !== 'add' && sub !== 'remove') throw new CliExit(ExitCode.usage, `unknown moderators subcommand "${sub}" (expected add or remove)`);
  const cap = boardCap(args, 1, `moderators ${sub}`);
  const key = positional(args, 2, 'identity key');
  if (!isIdentityKey(key)) throw new CliExit(ExitCode.usage, 'an identity key is 43 characters of base64url (baton identity show prints yours)');
  return withModeration(args, cap, (m) => {
    const { record } = sub === 'add' ? moderation.appointModerator(m, key) : moderation.dismissModerator(m, key);
    return { moderator: key, appointed: sub === 'add', record: record.id };
  });
}
