// baton thread create <board write cap> --title T [--body B]
import { boards } from '#client-core';
import { positional, required, type Args } from '../args.ts';
import { say } from '../l10n.ts';
import { CliExit, ExitCode, printJson } from '../output.ts';
import { deliver, openClient, parseCap, syncAll } from '../session.ts';
import { requireWriteCap } from '../spaces.ts';
import { withClient } from './with-client.ts';

export async function threadCreate(args: Args): Promise<number> {
  const cap = parseCap(positional(args, 0, say('board capability', { id: 'cli.whatBoard' })));
  if (cap.kind !== 'board') throw new CliExit(ExitCode.error, say('threads are created in a board: pass a board write capability', { id: 'cli.threadsNeedBoard' }));
  requireWriteCap(cap, say('create threads', { id: 'cli.actionCreateThreads' }));
  const title = required(args.title, 'title');
  return withClient(openClient(args), async (client) => {
    const board = await client.open(cap);
    await syncAll([board], args.timeoutMs); // learns the board's relays
    const { thread, id, caps } = await boards.createThread(client, board, { title, ...(args.body !== undefined ? { body: args.body } : {}) });
    const code = await deliver(client, [board, thread], args.timeoutMs);
    printJson({ id, write: caps.write, read: caps.read });
    return code;
  });
}
