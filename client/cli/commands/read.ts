// baton read <cap> [--json]: syncs with the relays, then prints the board or thread.
import { boardTitle, posts, threadSummary, threadTitle } from '../../core/boards.ts';
import type { Space } from '../../core/space.ts';
import type { ShownPost } from '../../../shared/index.ts';
import { envelopeLog } from '../../../shared/index.ts';
import { positional, type Args } from '../args.ts';
import { CliExit, ExitCode, note, printJson } from '../output.ts';
import { deliver, describeRelays, openClient, parseCap } from '../session.ts';
import { openTree, requireReadCap } from '../spaces.ts';
import { withClient } from './with-client.ts';

export interface ThreadView {
  id: string;
  title: string;
  summary: string;
  posts: ShownPost[];
}

export interface ReadView {
  board: { title: string } | null;
  threads: ThreadView[];
}

export async function readCommand(args: Args): Promise<number> {
  const cap = parseCap(positional(args, 0, 'capability'));
  requireReadCap(cap);
  return withClient(openClient(args), async (client) => {
    const tree = await openTree(client, cap, args.timeoutMs);
    const { root, offline } = tree;
    const threads = cap.kind === 'board' ? tree.threads : [root];
    if (offline) {
      if (envelopeLog(root.envelope).length === 0) {
        throw new CliExit(ExitCode.unreachable, `no relay could be reached and nothing is stored here for this ${cap.kind} (${describeRelays([root]) || 'no relay known'})`);
      }
      note(`no relay could be reached (${describeRelays([root]) || 'no relay known'}); showing the copy stored on this device`);
    }
    const view: ReadView = {
      board: cap.kind === 'board' ? { title: boardTitle(root) } : null,
      threads: threads.filter((t) => t.plain).map(threadView),
    };
    if (args.json) printJson(view);
    else process.stdout.write(renderText(view));
    await deliver(client, [], args.timeoutMs); // writes queued earlier go out too
    return offline ? ExitCode.queued : ExitCode.ok;
  });
}

function threadView(thread: Space): ThreadView {
  return { id: thread.spaceId, title: threadTitle(thread), summary: threadSummary(thread), posts: posts(thread) };
}

/** Text for people: a post whose signature fails is never shown under its claimed name. */
export function renderText(view: ReadView): string {
  const lines: string[] = [];
  if (view.board) lines.push(`# ${view.board.title || '(untitled board)'}`, '');
  if (view.threads.length === 0) lines.push('(no threads yet)');
  for (const t of view.threads) {
    lines.push(`## ${t.title || '(untitled thread)'}`, `   id ${t.id}`);
    if (t.summary) lines.push('', ...t.summary.split('\n').map((l) => `   > ${l}`));
    lines.push('');
    if (t.posts.length === 0) lines.push('   (no posts yet)');
    for (const p of t.posts) {
      const who = p.verified ? `${p.name || 'anonymous'} [${p.author.slice(0, 8)}]` : 'UNVERIFIED (signature does not match; author unknown)';
      const reply = p.replyTo ? ` (reply to ${p.replyTo})` : '';
      lines.push(`   ${new Date(p.ts).toISOString()}  ${who}${reply}  #${p.id}`);
      lines.push(...p.body.split('\n').map((l) => `      ${l}`), '');
    }
    lines.push('');
  }
  return lines.join('\n');
}
