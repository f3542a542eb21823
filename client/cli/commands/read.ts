// baton read <cap> [--json]: syncs with the relays, then prints the board or thread.
import { NameBook, PostWatch, VerifiedKeys, boards, checkNames, hideOf, moveState, restoreMove, summaryEditors, type Authority, type Capabilities, type RevisedPost, type Space } from '#client-core';
import { MemoryFile, NameFile, defaultDataDir } from '#client-node';
import { envelopeLog } from '#shared';
import { positional, type Args } from '../args.ts';
import { boardModeration } from '../board-moderation.ts';
import { inert } from '../inert.ts';
import { CliExit, ExitCode, note, printJson, printText } from '../output.ts';
import { deliver, describeRelays, openClient, parseCap } from '../session.ts';
import { openTree, requireReadCap } from '../spaces.ts';
import { withClient } from './with-client.ts';

/**
 * A post as `read` shows it. `nameClash`: another key used this display name (or one that
 * looks the same) first in this board, as far as this device knows; `nameFirstUsedBy` is that key.
 * `deleted`, `edited` (with `history`): the author's own records (docs/PROTOCOL.md §6);
 * `hidden`: an owner or moderator hid it (`hiddenBy`, `hiddenReason`). `keyVerified`: this
 * device's user verified the author's safety code; `posingAs`: a verified key goes by this name.
 */
export type ReadPost = Omit<RevisedPost, 'tampered'> & {
  nameClash: boolean;
  nameFirstUsedBy?: string;
  hidden: boolean;
  hiddenBy?: string;
  hiddenReason?: string;
  keyVerified: boolean;
  posingAs?: string;
};

export interface ThreadView {
  id: string;
  title: string;
  summary: string;
  /** Identity keys whose changes to the summary are newest, newest first. */
  summaryEditors: string[];
  posts: ReadPost[];
}

export interface ReadView {
  board: { title: string; owner: string | null; owners: string[]; moderators: string[]; flaggedRecords: number } | null;
  threads: ThreadView[];
  /** The successor's space id, once an owner or allowed moderator moved the board. */
  movedTo?: string;
  /** The move: who made it, whether this identity was invited, the successor's links if so. */
  move?: { to: string; at: number; by: string; removed: string[]; invited: boolean; successor: Capabilities | null; problem: string | null };
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
    // A board's threads share its names; a thread opened alone has its own.
    const names = new NameBook(new NameFile(args.data ?? defaultDataDir()), root.spaceId);
    const verified = new VerifiedKeys(new MemoryFile(args.data ?? defaultDataDir()));
    // Moderation lives in the board: a thread read on its own shows none.
    const mod = cap.kind === 'board' ? boardModeration(args, root).authority : null;
    const view: ReadView = {
      board:
        cap.kind === 'board'
          ? { title: boards.boardTitle(root), owner: mod!.owner, owners: mod!.owners, moderators: mod!.moderators, flaggedRecords: mod!.flagged.length }
          : null,
      threads: threads.filter((t) => t.plain).map((t) => threadView(t, names, verified, mod)),
    };
    const context = { memory: new MemoryFile(args.data ?? defaultDataDir()), ...(mod ? { authority: mod } : {}) };
    const move = moveState(root, context);
    if (restoreMove(root, context)) note('the move record was missing from this board (a writer took it out): written back');
    if (move.moved) {
      const successor = move.successor ? boards.linksOf(move.successor) : null;
      view.movedTo = move.to;
      view.move = { to: move.to, at: move.at, by: move.by, removed: move.removed, invited: move.invited, successor, problem: move.problem };
      if (move.problem) note(`the invite for your key in this board's move does not open: ${move.problem}`);
    }
    const first = move.refused[0];
    if (first) {
      const more = move.refused.length > 1 ? ` (and ${move.refused.length - 1} more)` : '';
      note(`a move record is ignored${more}: to ${first.to.slice(0, 8)}… by ${first.by.slice(0, 8)}… (${first.reason}); only an owner, or a moderator the owners allowed, can move a board`);
    }
    if (args.json) printJson(view);
    else printText(renderText(view));
    await deliver(client, [], args.timeoutMs); // writes queued earlier go out too
    return offline ? ExitCode.queued : ExitCode.ok;
  });
}

function threadView(thread: Space, names: NameBook, verified: VerifiedKeys, mod: Authority | null): ThreadView {
  const shown = boards.revisedPosts(thread, new PostWatch());
  const checks = checkNames(names, thread, shown);
  return {
    id: thread.spaceId,
    title: boards.threadTitle(thread),
    summary: boards.threadSummary(thread),
    summaryEditors: summaryEditors(thread),
    posts: shown.map(({ tampered: _t, ...p }) => {
      const c = checks.get(p.id);
      const hide = mod && p.verified ? hideOf(mod, thread.spaceId, p.id, p.author) : null;
      const v = verified.check(p);
      return {
        ...p,
        ...(c?.clash ? { nameClash: true, nameFirstUsedBy: c.firstKey! } : { nameClash: false }),
        hidden: hide !== null,
        ...(hide ? { hiddenBy: hide.by, ...(hide.reason !== null ? { hiddenReason: hide.reason } : {}) } : {}),
        keyVerified: v.verified,
        ...(v.posingAs ? { posingAs: v.posingAs } : {}),
      };
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
  if (view.board) {
    out.push(`# ${line(view.board.title) || '(untitled board)'}`);
    if (view.board.owner) out.push(`   owner [${line(view.board.owner.slice(0, 8))}]${view.board.moderators.length ? `, moderators ${view.board.moderators.map((k) => `[${line(k.slice(0, 8))}]`).join(' ')}` : ''}`);
    out.push('');
  }
  if (view.move) out.push(...movedLines(view.move), '');
  if (view.threads.length === 0) out.push('(no threads yet)');
  for (const t of view.threads) {
    out.push(`## ${line(t.title) || '(untitled thread)'}`, `   id ${line(t.id)}`);
    if (t.summary) out.push('', ...lines(t.summary).map((l) => `   > ${l}`));
    if (t.summaryEditors.length > 0) out.push(`   (summary last edited by ${t.summaryEditors.map((k) => `[${line(k.slice(0, 8))}]`).join(' ')})`);
    out.push('');
    if (t.posts.length === 0) out.push('   (no posts yet)');
    for (const p of t.posts) {
      const clash = p.nameClash ? ` (NAME CLASH: not the ${line(p.name)} who posted before, who is [${line((p.nameFirstUsedBy ?? '').slice(0, 8))}])` : '';
      const posing = p.posingAs ? ` (NOT the verified ${line(p.name)} [${line(p.posingAs.slice(0, 8))}])` : '';
      const who = p.verified ? `${line(p.name) || 'anonymous'} [${line(p.author.slice(0, 8))}]${p.keyVerified ? ' (verified)' : ''}${clash}${posing}` : 'UNVERIFIED (signature does not match; author unknown)';
      const reply = p.replyTo ? ` (reply to ${line(p.replyTo)})` : '';
      out.push(`   ${when(p.ts)}  ${who}${reply}  #${line(p.id)}`);
      if (p.deleted) out.push('      (deleted by its author)', '');
      else if (p.hidden) out.push(`      (hidden by a moderator${p.hiddenReason ? `: ${line(p.hiddenReason)}` : ''}; --json shows it)`, '');
      else out.push(...lines(p.body).map((l) => `      ${l}`), ...(p.edited ? [`      (edited ${when(p.editedAt!)})`] : []), '');
    }
    out.push('');
  }
  return out.join('\n');
}

function movedLines(move: NonNullable<ReadView['move']>): string[] {
  const head = `MOVED on ${when(move.at)} by [${line(move.by.slice(0, 8))}] to ${line(move.to)}: nothing written here after that is part of the board.`;
  if (move.successor) return [head, `You were invited. The new board: ${move.successor.write}`, `Readers need its read link: ${move.successor.read}`];
  return [head, 'It moved without you: your key holds no invite. Ask a member for the new link.'];
}
