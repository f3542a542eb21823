// baton board create --relay URL [--relay URL ...] --title T
import { boards } from '#client-core';
import { required, type Args } from '../args.ts';
import { printJson } from '../output.ts';
import { deliver, openClient } from '../session.ts';
import { withClient } from './with-client.ts';

export async function boardCreate(args: Args): Promise<number> {
  const title = required(args.title, 'title');
  return withClient(openClient(args), async (client) => {
    const { board, caps } = await boards.createBoard(client, { title, relays: args.relays });
    const code = await deliver(client, [board], args.timeoutMs);
    printJson(caps);
    return code;
  });
}
