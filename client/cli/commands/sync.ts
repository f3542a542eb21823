// baton sync <cap>: syncs a space (and a board's threads) and delivers queued writes.
import { positional, type Args } from '../args.ts';
import { say } from '../l10n.ts';
import { printJson } from '../output.ts';
import { deliver, openClient, parseCap } from '../session.ts';
import { openTree } from '../spaces.ts';
import { statusReport } from './status.ts';
import { withClient } from './with-client.ts';

export async function syncCommand(args: Args): Promise<number> {
  const cap = parseCap(positional(args, 0, say('capability', { id: 'cli.whatCapability' })));
  return withClient(openClient(args), async (client) => {
    await openTree(client, cap, args.timeoutMs);
    const code = await deliver(client, client.openSpaces(), args.timeoutMs);
    const report = statusReport(client.openSpaces());
    printJson({ relays: report.relays, writes: report.writes, pending: report.pending });
    return code;
  });
}
