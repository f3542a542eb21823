// baton read <cap> [--json]: syncs with the relays, then prints the board or thread.
import { NameBook, PostWatch, VerifiedKeys, boards, checkNames, hideOf, moveState, restoreMove, summaryEditors, type Authority, type Capabilities, type RevisedPost, type Space } from '#client-core';
import { deviceStoresOf } from '#client-node';
import { envelopeLog } from '#shared';
import { positional, type Args } from '../args.ts';
import { boardModeration } from '../board-moderation.ts';
import { inert } from '../inert.ts';
import { say, str } from '../l10n.ts';
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
export type ReadPost = Omit<RevisedPost, 'tampered' | 'attachments'> & {
  attachments: ReadAttachment[];
  nameClash: boolean;
  nameFirstUsedBy?: string;
  hidden: boolean;
  hiddenBy?: string;
  hiddenReason?: string;
  keyVerified: boolean;
  posingAs?: string;
};

/** A file as `read` lists it (`baton save` writes it out). */
export interface ReadAttachment {
  name: string;
  mime: string;
  size: number;
  sha256: string;
  /** PDFs: the page count the sender gave (the file is never opened to count them). */
  pages?: number;
}

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
    const { names: nameMemory, memory } = deviceStoresOf(client);
    const names = new NameBook(nameMemory, root.spaceId);
    const verified = new VerifiedKeys(memory);
    // Moderation lives in the board: a thread read on its own shows none.
    const mod = cap.kind === 'board' ? boardModeration(memory, root).authority : null;
    const view: ReadView = {
      board:
        cap.kind === 'board'
          ? { title: boards.boardTitle(root), owner: mod!.owner, owners: mod!.owners, moderators: mod!.moderators, flaggedRecords: mod!.flagged.length }
          : null,
      threads: threads.filter((t) => t.plain).map((t) => threadView(t, names, verified, mod)),
    };
    const context = { memory, ...(mod ? { authority: mod } : {}) };
    const move = moveState(root, context);
    if (restoreMove(root, context)) note(say('the move record was missing from this board (a writer took it out): written back', { id: 'cli.moveRestored' }));
    if (move.moved) {
      const successor = move.successor ? boards.linksOf(move.successor) : null;
      view.movedTo = move.to;
      view.move = { to: move.to, at: move.at, by: move.by, removed: move.removed, invited: move.invited, successor, problem: move.problem };
      const problem = move.problem;
      if (problem) note(say(str`the invite for your key in this board's move does not open: ${problem}`, { id: 'cli.moveBadInvite' }));
    }
    const first = move.refused[0];
    if (first) {
      const [to, by, reason, count] = [first.to.slice(0, 8), first.by.slice(0, 8), first.reason, move.refused.length];
      note(say(str`move records ignored: ${count} (the first: to ${to}… by ${by}…, ${reason}); only an owner, or a moderator the owners allowed, can move a board`, { id: 'cli.movesIgnored' }));
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
        attachments: p.attachments.map(({ name, mime, size, sha256, pages }) => ({ name, mime, size, sha256, ...(pages !== undefined ? { pages } : {}) })),
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

/** One file of a post, for `read` in text (`baton save` writes it out). */
function fileLine(a: ReadAttachment): string {
  const name = line(a.name);
  const mime = line(a.mime);
  const size = String(a.size);
  const hash = a.sha256.slice(0, 16);
  if (a.mime === 'application/pdf' && a.pages !== undefined) {
    const pages = String(a.pages);
    return `      ${say(str`[PDF] ${name} (pages: ${pages}, ${size} bytes, SHA-256 ${hash}…)`, { id: 'cli.pdfLine' })}`;
  }
  return `      ${say(str`[file] ${name} (${mime}, ${size} bytes, SHA-256 ${hash}…)`, { id: 'cli.fileLine' })}`;
}

/**
 * Text for people: a post whose signature fails is never shown under its claimed name, and
 * every field from the network is made inert on its own (a name cannot end its line, a body
 * cannot pose as the next post's header).
 */
export function renderText(view: ReadView): string {
  const out: string[] = [];
  if (view.board) {
    out.push(`# ${line(view.board.title) || say('(untitled board)', { id: 'cli.untitledBoard' })}`);
    if (view.board.owner) {
      const owner = line(view.board.owner.slice(0, 8));
      const moderators = view.board.moderators.map((k) => `[${line(k.slice(0, 8))}]`).join(' ');
      out.push(`   ${say(str`owner [${owner}]`, { id: 'cli.owner' })}${moderators ? `, ${say(str`moderators ${moderators}`, { id: 'cli.moderators' })}` : ''}`);
    }
    out.push('');
  }
  if (view.move) out.push(...movedLines(view.move), '');
  if (view.threads.length === 0) out.push(say('(no threads yet)', { id: 'cli.noThreads' }));
  for (const t of view.threads) {
    out.push(`## ${line(t.title) || say('(untitled thread)', { id: 'cli.untitledThread' })}`, `   id ${line(t.id)}`);
    if (t.summary) out.push('', ...lines(t.summary).map((l) => `   > ${l}`));
    const editors = t.summaryEditors.map((k) => `[${line(k.slice(0, 8))}]`).join(' ');
    if (editors) out.push(`   ${say(str`(summary last edited by ${editors})`, { id: 'cli.summaryEditors' })}`);
    out.push('');
    if (t.posts.length === 0) out.push(`   ${say('(no posts yet)', { id: 'cli.noPosts' })}`);
    for (const p of t.posts) {
      const name = line(p.name);
      const first = line((p.nameFirstUsedBy ?? '').slice(0, 8));
      const clash = p.nameClash ? ` ${say(str`(NAME CLASH: not the ${name} who posted before, who is [${first}])`, { id: 'cli.nameClash' })}` : '';
      const posingKey = line((p.posingAs ?? '').slice(0, 8));
      const posing = p.posingAs ? ` ${say(str`(NOT the verified ${name} [${posingKey}])`, { id: 'cli.posingAs' })}` : '';
      const verified = p.keyVerified ? ` ${say('(verified)', { id: 'cli.keyVerified' })}` : '';
      const who = p.verified ? `${name || say('anonymous', { id: 'cli.anonymous' })} [${line(p.author.slice(0, 8))}]${verified}${clash}${posing}` : say('UNVERIFIED (signature does not match; author unknown)', { id: 'cli.unverified' });
      const post = line(p.replyTo ?? '');
      const reply = p.replyTo ? ` ${say(str`(reply to ${post})`, { id: 'cli.replyTo' })}` : '';
      out.push(`   ${when(p.ts)}  ${who}${reply}  #${line(p.id)}`);
      const reason = line(p.hiddenReason ?? '');
      const editedAt = p.editedAt !== null ? when(p.editedAt) : '';
      if (p.deleted) out.push(`      ${say('(deleted by its author)', { id: 'cli.deleted' })}`, '');
      else if (p.hidden && reason) out.push(`      ${say(str`(hidden by a moderator: ${reason}; --json shows it)`, { id: 'cli.hiddenWhy' })}`, '');
      else if (p.hidden) out.push(`      ${say('(hidden by a moderator; --json shows it)', { id: 'cli.hidden' })}`, '');
      else out.push(...lines(p.body).map((l) => `      ${l}`), ...(p.edited ? [`      ${say(str`(edited ${editedAt})`, { id: 'cli.edited' })}`] : []), ...p.attachments.map(fileLine), '');
    }
    out.push('');
  }
  return out.join('\n');
}

function movedLines(move: NonNullable<ReadView['move']>): string[] {
  const [at, by, to] = [when(move.at), line(move.by.slice(0, 8)), line(move.to)];
  const head = say(str`MOVED on ${at} by [${by}] to ${to}: nothing written here after that is part of the board.`, { id: 'cli.moved' });
  if (move.successor) {
    const { write, read } = move.successor;
    return [head, say(str`You were invited. The new board: ${write}`, { id: 'cli.movedInvited' }), say(str`Readers need its read link: ${read}`, { id: 'cli.movedReaders' })];
  }
  return [head, say('It moved without you: your key holds no invite. Ask a member for the new link.', { id: 'cli.movedWithout' })];
}
