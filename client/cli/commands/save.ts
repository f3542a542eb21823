// baton save <board or thread cap> [--thread ID] --post POSTID --out DIR: writes a post's
// files into DIR, each fetched from the relays (kept in this device's store) and checked
// against the SHA-256 its post names. Names come from a writer, so each is made safe first.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClientError, boards, fetchFile } from '#client-core';
import { safeFileName } from '#shared';
import { required, positional, type Args } from '../args.ts';
import { reasonOf } from '../fs-words.ts';
import { inert } from '../inert.ts';
import { say, str } from '../l10n.ts';
import { CliExit, ExitCode, note, printJson } from '../output.ts';
import { openClient, parseCap, syncAll } from '../session.ts';
import { requireReadCap } from '../spaces.ts';
import { withClient } from './with-client.ts';

export async function saveCommand(args: Args): Promise<number> {
  const cap = parseCap(positional(args, 0, say('board or thread capability', { id: 'cli.whatBoardOrThread' })));
  requireReadCap(cap);
  const postId = required(args.post, 'post');
  const dir = required(args.out, 'out');
  if (cap.kind === 'board' && args.thread === undefined) throw new CliExit(ExitCode.usage, say('missing --thread (the thread id, as read prints it)', { id: 'cli.saveMissingThread' }));
  return withClient(openClient(args), async (client) => {
    const root = await client.open(cap);
    await syncAll([root], args.timeoutMs);
    const thread = cap.kind === 'board' ? await boards.openThread(client, root, args.thread!) : root;
    if (thread !== root) await syncAll([thread], args.timeoutMs);
    const post = boards.posts(thread).find((p) => p.id === postId);
    const shortId = inert(postId.slice(0, 22));
    if (!post) throw new CliExit(ExitCode.error, say(str`no post ${shortId} in this thread (as far as the reachable relays and this device know)`, { id: 'cli.saveNoPost' }));
    if (!post.verified) throw new CliExit(ExitCode.error, say('that post is unverified (its signature does not match): its files are not trusted', { id: 'cli.saveUnverified' }));
    if (post.attachments.length === 0) throw new CliExit(ExitCode.error, say('that post carries no files', { id: 'cli.saveNoFiles' }));
    mkdirSync(dir, { recursive: true });
    const saved = [];
    let failed = 0;
    for (const [i, a] of post.attachments.entries()) {
      try {
        const bytes = await fetchFile(client, thread, a, { timeoutMs: args.timeoutMs });
        const file = writeUnique(dir, safeFileName(a.name, a.mime, `attachment-${i + 1}`), bytes);
        saved.push({ name: a.name, file, mime: a.mime, size: a.size, sha256: a.sha256 });
      } catch (err) {
        if (!(err instanceof ClientError)) throw err;
        failed++;
        note((await import('../failure.ts')).failureOf(a.name, err));
      }
    }
    printJson({ saved });
    return failed > 0 ? ExitCode.error : ExitCode.ok;
  });
}

/** Creates the file without replacing one already there: "name", then "name (2)", … */
function writeUnique(dir: string, name: string, bytes: Uint8Array): string {
  const dot = name.lastIndexOf('.');
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  for (let n = 1; n < 1000; n++) {
    const path = join(dir, n === 1 ? name : `${stem} (${n})${ext}`);
    try {
      writeFileSync(path, bytes, { flag: 'wx', mode: 0o600 });
      return path;
    } catch (err) {
      const reason = reasonOf(err);
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new CliExit(ExitCode.error, say(str`cannot write ${path}: ${reason}`, { id: 'cli.saveCannotWrite' }));
    }
  }
  throw new CliExit(ExitCode.error, say(str`too many files named ${name} in ${dir}`, { id: 'cli.saveTooMany' }));
}
