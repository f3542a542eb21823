// baton post <board or thread write cap> [--thread ID] --body B [--reply-to POSTID] [--attach FILE ...]
import { ClientError, boards, checkFileLimits, moveState, sealFiles, type PreparedFile, type Space } from '#client-core';
import { prepareFile } from '#client-node';
import { positional, required, type Args } from '../args.ts';
import { fileSystemErrorIn } from '../fs-words.ts';
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
  // Stripped before anything is opened or sealed; refused here if over the limits.
  const files = await prepareAll(args.attach);
  return withClient(openClient(args), async (client) => {
    let thread: Space;
    if (cap.kind === 'board') {
      const board = await client.open(cap);
      await syncAll([board], args.timeoutMs);
      refuseMoved(board);
      thread = await boards.openThread(client, board, args.thread!);
    } else {
      thread = await client.open(cap);
    }
    if (args.replyTo !== undefined) {
      await syncAll([thread], args.timeoutMs);
      const post = args.replyTo.slice(0, 22);
      if (!boards.hasPost(thread, args.replyTo)) note(say(str`post ${post} is not (yet) known here; replying anyway`, { id: 'cli.replyUnknown' }));
    }
    const sealed = files.length > 0 ? await sealFiles(client, thread, files) : null;
    const { id } = boards.post(client, thread, {
      body,
      ...(args.replyTo !== undefined ? { replyTo: args.replyTo } : {}),
      ...(sealed ? { attachments: sealed.attachments } : {}),
    });
    const code = await deliver(client, [thread, ...(sealed?.spaces ?? [])], args.timeoutMs);
    printJson(sealed ? { id, attachments: sealed.attachments.map(({ name, mime, size, sha256, pages }) => ({ name, mime, size, sha256, ...(pages !== undefined ? { pages } : {}) })) } : { id });
    return code;
  });
}

/** Each file read and stripped; one refused is named with why, in the user's words. */
async function prepareAll(paths: string[]): Promise<PreparedFile[]> {
  const files: PreparedFile[] = [];
  for (const path of paths) {
    let file: PreparedFile;
    try {
      file = await prepareFile(path);
      checkFileLimits([file]); // empty, or over the limit of one file
    } catch (err) {
      // A folder opens but cannot be read: Node's error then names no path, so it is said with this one.
      if (!(err instanceof ClientError) && !fileSystemErrorIn(err)) throw err;
      throw new CliExit(ExitCode.error, (await import('../failure.ts')).failureOf(path, err));
    }
    const name = file.name;
    const list = file.removed.join(', ');
    note(file.removed.length > 0 ? say(str`${name}: removed ${list}`, { id: 'cli.attachRemoved' }) : say(str`${name}: no metadata found to remove`, { id: 'cli.attachNothingRemoved' }));
    if (file.warning) {
      note(
        say(str`${name}: rebuilt from its pages; its document information, XMP metadata, old revisions, bookmarks, forms and embedded files are gone. Its text and pictures are sent as they are: read it through before you send it.`, {
          id: 'cli.attachPdfWarning',
        }),
      );
    }
    files.push(file);
  }
  checkFileLimits(files); // too many, or too large together: refused in the user's words (client/cli/main.ts)
  return files;
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
