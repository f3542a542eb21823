// baton read <cap> [--json]: syncs with the relays, then prints the board or thread.
import { NameBook, boards, checkNames, type Space } from '#client-core';
import { NameFile, defaultDataDir } from '#client-node';
import type { ShownPost } from '#shared';
import { envelopeLog } from '#shared';
import { positional, type Args } from '../args.ts';
import { inert } from '../inert.ts';
import { say, str } from '../l10n.ts';
import { CliExit, ExitCode, note, printJson, printText } from '../output.ts';
import { deliver, describeRelays, openClient, parseCap } from '../session.ts';
import { openTree, requireReadCap } from '../spaces.ts';
import { withClient } from './with-client.ts';

/**
 * A post as `read` shows it. `nameClash`: another key used this display name (or one that
 * looks the same) first in this board, as far as this device knows; `nameFirstUsedBy` is that key.
 */
export type ReadPost = Omit<ShownPost, 'attachments'> & { attachments: ReadAttachment[]; nameClash: boolean; nameFirstUsedBy?: string };

/** A file as `read` lists it (`baton save` writes it out). */
export interface ReadAttachment {
  name: string;
  mime: string;
  size: number;
  sha256: string;
}

export interface ThreadView {
  id: string;
  title: string;
  summary: string;
  posts: ReadPost[];
}

export interface ReadView {
  board: { title: string } | null;
  threads: ThreadView[];
}

export async function readCommand(args: Args): Promise<number> {
  const cap = parseCap(positional(args, 0, say('capability', { id: 'cli.whatCapability' })));
  requireReadCap(cap);
  return withClient(openClient(args), async (client) => {
    const tree = await openTree(client, cap, args.timeoutMs);
    const { root, offline } = tree;
    const threads = cap.kind === 'board' ? tree.threads : [root];
    if (offline) {
      const relays = describeRelays([root]) || say('no relay known', { id: 'cli.noRelayKnownShort' });
      if (envelopeLog(root.envelope).length === 0) {
        throw new CliExit(
          ExitCode.unreachable,
          cap.kind === 'board'
            ? say(str`no relay could be reached and nothing is stored here for this board (${relays})`, { id: 'cli.unreachableBoard' })
            : say(str`no relay could be reached and nothing is stored here for this thread (${relays})`, { id: 'cli.unreachableThread' }),
        );
      }
      note(say(str`no relay could be reached (${relays}); showing the copy stored on this device`, { id: 'cli.showingLocal' }));
    }
    // A board's threads share its names; a thread opened alone has its own.
    const names = new NameBook(new NameFile(args.data ?? defaultDataDir()), root.spaceId);
    const view: ReadView = {
      board: cap.kind === 'board' ? { title: boards.boardTitle(root) } : null,
      threads: threads.filter((t) => t.plain).map((t) => threadView(t, names)),
    };
    if (args.json) printJson(view);
    else printText(renderText(view));
    await deliver(client, [], args.timeoutMs); // writes queued earlier go out too
    return offline ? ExitCode.queued : ExitCode.ok;
  });
}

function threadView(thread: Space, names: NameBook): ThreadView {
  const shown = boards.posts(thread);
  const checks = checkNames(names, thread, shown);
  return {
    id: thread.spaceId,
    title: boards.threadTitle(thread),
    summary: boards.threadSummary(thread),
    posts: shown.map((shownPost) => {
      const c = checks.get(shownPost.id);
      const p = { ...shownPost, attachments: shownPost.attachments.map(({ name, mime, size, sha256 }) => ({ name, mime, size, sha256 })) };
      return c?.clash ? { ...p, nameClash: true, nameFirstUsedBy: c.firstKey! } : { ...p, nameClash: false };
    }),
  };
}

const line = (text: string) => inert(text);
/** A writer's timestamp may be any number: one out of Date's range prints as such, not a crash. */
const when = (ts: number) => (Number.isFinite(ts) && Math.abs(ts) <= 8.64e15 ? new Date(ts).toISOString() : `(time ${String(ts)})`);
const lines = (text: string) => inert(text, { multiline: true }).split('\n');

/**
 * Text for people: a post whose signature fails is never shown under its claimed name, and
 * every field from the network is made inert on its own (a name cannot end its line, a body
 * cannot pose as the next post's header).
 */
export function renderText(view: ReadView): string {
  const out: string[] = [];
  if (view.board) out.push(`# ${line(view.board.title) || say('(untitled board)', { id: 'cli.untitledBoard' })}`, '');
  if (view.threads.length === 0) out.push(say('(no threads yet)', { id: 'cli.noThreads' }));
  for (const t of view.threads) {
    out.push(`## ${line(t.title) || say('(untitled thread)', { id: 'cli.untitledThread' })}`, `   id ${line(t.id)}`);
    if (t.summary) out.push('', ...lines(t.summary).map((l) => `   > ${l}`));
    out.push('');
    if (t.posts.length === 0) out.push(`   ${say('(no posts yet)', { id: 'cli.noPosts' })}`);
    for (const p of t.posts) {
      const name = line(p.name);
      const first = line((p.nameFirstUsedBy ?? '').slice(0, 8));
      const clash = p.nameClash ? ` ${say(str`(NAME CLASH: not the ${name} who posted before, who is [${first}])`, { id: 'cli.nameClash' })}` : '';
      const who = p.verified ? `${name || say('anonymous', { id: 'cli.anonymous' })} [${line(p.author.slice(0, 8))}]${clash}` : say('UNVERIFIED (signature does not match; author unknown)', { id: 'cli.unverified' });
      const post = line(p.replyTo ?? '');
      const reply = p.replyTo ? ` ${say(str`(reply to ${post})`, { id: 'cli.replyTo' })}` : '';
      out.push(`   ${when(p.ts)}  ${who}${reply}  #${line(p.id)}`);
      out.push(...lines(p.body).map((l) => `      ${l}`));
      for (const a of p.attachments) out.push(`      [file] ${line(a.name)} (${line(a.mime)}, ${a.size} bytes, sha256 ${a.sha256.slice(0, 16)}…)`);
      out.push('');
    }
    out.push('');
  }
  return out.join('\n');
}
