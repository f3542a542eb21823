// baton post <board or thread write cap> [--thread ID] --body B [--reply-to POSTID]
import { ClientError, boards, moveState, type Space } from '#client-core';
import { positional, required, type Args } from '../args.ts';
import { say, str } from '../l10n.ts';
import { CliExit, ExitCode, note, printJson } from '../output.ts';
import { deliver, openClient, parseCap, syncAll } from '../session.ts';
import { requireWriteCap } from '../spaces.ts';
import { withClient } from './with-client.ts';

export async function postCommand(args: Args): Promise<number> {
  const cap = parseCap(positional(args, 0, say('board or thread capability', { id: 'cli.whatBoardOrThread' })));
  requireWriteCap(cap, say('post', { id: 'cli.actionPost' }));
  const body = required(args.body, 'body');
  if (cap.kind === 'board' && args.thread === undefined) throw new CliExit(ExitCode.usage, say('missing --thread (the thread id, as thread create printed it)', { id: 'cli.missingThread' }));
  if (cap.kind === 'thread' && args.thread !== undefined && args.thread !== cap.spaceId) {
    throw new CliExit(ExitCode.error, say('--thread names another thread than this thread capability', { id: 'cli.otherThread' }));
  }
  return withClient(openClient(args), async (client) => {
    let thread: Space;
    if (cap.kind === 'board') {
      const board = await client.open(cap);
      await syncAll([board], args.timeoutMs);
      refuseMoved(board);
      try {
        thread = await boards.openThread(client, board, args.thread!);
      } catch (err) {
        const reason = (err as Error).message;
        if (err instanceof ClientError && err.code === 'not-found') throw new CliExit(ExitCode.error, say(str`${reason} (as far as the reachable relays and this device know)`, { id: 'cli.notFound' }));
        throw err;
      }
    } else {
      thread = await client.open(cap);
    }
    if (args.replyTo !== undefined) {
      await syncAll([thread], args.timeoutMs);
      const post = args.replyTo.slice(0, 22);
      if (!boards.hasPost(thread, args.replyTo)) note(say(str`post ${post} is not (yet) known here; replying anyway`, { id: 'cli.replyUnknown' }));
    }
    const { id } = boards.post(client, thread, { body, ...(args.replyTo !== undefined ? { replyTo: args.replyTo } : {}) });
    const code = await deliver(client, [thread], args.timeoutMs);
    printJson({ id });
    return code;
  });
}

/** A moved board is left behind: nobody who followed the move reads what is written there. */
function refuseMoved(board: Space): void {
  const move = moveState(board);
  if (!move.moved) return;
  const to = move.to;
  throw new CliExit(
    ExitCode.error,
    move.successor
      ? say(str`this board moved to ${to}; you were invited: post in the new board (baton read on this capability prints its links)`, { id: 'cli.postMovedInvited' })
      : say(str`this board moved to ${to}; it moved without you`, { id: 'cli.postMovedWithout' }),
  );
}
