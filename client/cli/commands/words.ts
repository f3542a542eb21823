// baton delete <write cap> --thread ID --post POSTID
// baton edit <write cap> --thread ID --post POSTID --body B
// An author takes back or changes their own post (docs/PROTOCOL.md §6, "Deleting and editing").
import { boards, type Space } from '#client-core';
import { positional, required, type Args } from '../args.ts';
import { say } from '../l10n.ts';
import { CliExit, ExitCode, printJson } from '../output.ts';
import { deliver, openClient, parseCap, syncAll } from '../session.ts';
import { requireWriteCap } from '../spaces.ts';
import { withClient } from './with-client.ts';
import type { BatonClient } from '#client-core';

export const deleteCommand = (args: Args) => revise(args, 'delete');
export const editCommand = (args: Args) => revise(args, 'edit');

async function revise(args: Args, kind: 'delete' | 'edit'): Promise<number> {
  const cap = parseCap(positional(args, 0, say('board or thread capability', { id: 'cli.whatBoardOrThread' })));
  requireWriteCap(cap, kind === 'delete' ? say('delete', { id: 'cli.actionDelete' }) : say('edit', { id: 'cli.actionEdit' }));
  const postId = required(args.post, 'post');
  const body = kind === 'edit' ? required(args.body, 'body') : undefined;
  return withClient(openClient(args), async (client) => {
    const thread = await openThreadOf(client, cap, args);
    await syncAll([thread], args.timeoutMs);
    // A refusal (not the author, deleted already) ends the command in the user's words (client/cli/main.ts).
    if (kind === 'delete') boards.deletePost(client, thread, postId);
    else boards.editPost(client, thread, postId, body!);
    const code = await deliver(client, [thread], args.timeoutMs);
    printJson({ post: postId, [kind === 'delete' ? 'deleted' : 'edited']: true });
    return code;
  });
}

/** The thread a board capability and --thread name, or the thread capability's own. */
export async function openThreadOf(client: BatonClient, cap: ReturnType<typeof parseCap>, args: Args): Promise<Space> {
  if (cap.kind === 'thread') {
    if (args.thread !== undefined && args.thread !== cap.spaceId) throw new CliExit(ExitCode.error, say('--thread names another thread than this thread capability', { id: 'cli.otherThread' }));
    return client.open(cap);
  }
  const threadId = required(args.thread, 'thread');
  const board = await client.open(cap);
  await syncAll([board], args.timeoutMs);
  return boards.openThread(client, board, threadId);
}
