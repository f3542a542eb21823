// baton relays add <board write cap> URL: every member then syncs with it too.
import { listBoardRelays } from '../../../shared/index.ts';
import { addRelay } from '../../core/boards.ts';
import { positional, type Args } from '../args.ts';
import { CliExit, ExitCode, printJson } from '../output.ts';
import { deliver, openClient, parseCap, syncAll } from '../session.ts';
import { openThreads, requireWriteCap } from '../spaces.ts';
import { withClient } from './with-client.ts';

export async function relaysCommand(args: Args): Promise<number> {
  const sub = positional(args, 0, 'relays subcommand (add)');
  if (sub !== 'add') throw new CliExit(ExitCode.usage, `unknown relays subcommand "${sub}" (expected add)`);
  const cap = parseCap(positional(args, 1, 'board capability'));
  if (cap.kind !== 'board') throw new CliExit(ExitCode.error, 'relays are added to a board: pass a board write capability');
  requireWriteCap(cap, 'add relays');
  const url = positional(args, 2, 'relay URL');
  return withClient(openClient(args), async (client) => {
    const board = await client.open(cap);
    await syncAll([board], args.timeoutMs);
    let relay: string;
    try {
      relay = addRelay(board, url);
    } catch (err) {
      throw new CliExit(ExitCode.error, `bad relay URL: ${(err as Error).message}`);
    }
    // Seed the new relay with the threads this device holds.
    const threads = await openThreads(client, board);
    await syncAll(threads, args.timeoutMs);
    const code = await deliver(client, [board], args.timeoutMs);
    printJson({ relay, relays: listBoardRelays(board.plain!) });
    return code;
  });
}
