// baton export <cap> --out F; baton import F [--relay URL]
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { envelopeLog } from '#shared';
import { ClientError, RelayHttpError, exportBundle, importBundle, openLinkedFiles, pushBundle, pushUpdate, type ImportedRoom } from '#client-core';
import { positional, required, type Args } from '../args.ts';
import { reasonOf } from '../fs-words.ts';
import { say, str } from '../l10n.ts';
import { CliExit, ExitCode, note, printJson } from '../output.ts';
import { deliver, describeRelays, openClient, parseCap, syncAll } from '../session.ts';
import { openTree } from '../spaces.ts';
import { withClient } from './with-client.ts';

const MAX_BUNDLE_FILE_BYTES = 512 * 1024 * 1024;

export async function exportCommand(args: Args): Promise<number> {
  const cap = parseCap(positional(args, 0, say('capability', { id: 'cli.whatCapability' })));
  const out = required(args.out, 'out');
  return withClient(openClient(args), async (client) => {
    const { root, threads, offline } = await openTree(client, cap, args.timeoutMs);
    if (envelopeLog(root.envelope).length === 0) {
      const relays = describeRelays([root]) || say('no relay known', { id: 'cli.noRelayKnownShort' });
      throw new CliExit(
        ExitCode.unreachable,
        cap.kind === 'board'
          ? say(str`nothing to export: no relay had this board and nothing is stored here (${relays})`, { id: 'cli.nothingToExportBoard' })
          : say(str`nothing to export: no relay had this thread and nothing is stored here (${relays})`, { id: 'cli.nothingToExportThread' }),
      );
    }
    if (offline) note(say('no relay could be reached; exporting the copy stored on this device', { id: 'cli.exportingLocal' }));
    // Files the threads link travel too, as the ciphertext they are.
    const threadSpaces = cap.kind === 'thread' ? [root] : threads;
    const files = await openLinkedFiles(client, threadSpaces);
    await syncAll(files, args.timeoutMs);
    const spaces = [root, ...threads, ...files];
    const tmp = `${out}.tmp-${process.pid}`;
    try {
      writeFileSync(tmp, exportBundle(spaces), { mode: 0o600 });
      renameSync(tmp, out);
    } catch (err) {
      rmSync(tmp, { force: true });
      const reason = reasonOf(err);
      throw new CliExit(ExitCode.error, say(str`cannot write ${out}: ${reason}`, { id: 'cli.cannotWrite' }));
    }
    printJson({ out, rooms: spaces.map((s) => s.room) });
    await deliver(client, [], args.timeoutMs); // writes queued earlier go out too
    return ExitCode.ok;
  });
}

export async function importCommand(args: Args): Promise<number> {
  const file = positional(args, 0, say('bundle file', { id: 'cli.whatBundleFile' }));
  let text: string;
  try {
    const bytes = readFileSync(file);
    if (bytes.length > MAX_BUNDLE_FILE_BYTES) throw new Error(say('file too large', { id: 'cli.fileTooLarge' }));
    text = bytes.toString('utf8');
  } catch (err) {
    const reason = reasonOf(err);
    throw new CliExit(ExitCode.error, say(str`cannot read ${file}: ${reason}`, { id: 'cli.cannotRead' }));
  }
  return withClient(openClient(args), async (client) => {
    let rooms;
    try {
      rooms = await importBundle(client.store, text);
    } catch (err) {
      if (!(err instanceof ClientError && err.code === 'corrupt-bundle')) throw err;
      const reason = (await import('../failure.ts')).failureWords(err);
      throw new CliExit(ExitCode.error, say(str`corrupt bundle ${file}: ${reason}`, { id: 'cli.corruptBundle' }));
    }
    const relays = [];
    for (const relay of args.relays) {
      try {
        relays.push({ relay, rooms: rooms.length, added: await importIntoRelay(relay, text, rooms, args.timeoutMs) });
      } catch (err) {
        if (!(err instanceof RelayHttpError)) throw err;
        const reason = (await import('../failure.ts')).failureWords(err);
        throw new CliExit(ExitCode.error, say(str`relay ${relay} refused the import: ${reason}`, { id: 'cli.importRefused' }));
      }
    }
    printJson({ rooms: rooms.map((r) => ({ room: r.room, added: r.added })), relays });
    return ExitCode.ok;
  });
}

/**
 * The whole bundle in one request, which the relay applies all or nothing; room by room
 * (in pieces) where a relay has no bundle endpoint or finds the bundle too large for one.
 */
async function importIntoRelay(relay: string, text: string, rooms: ImportedRoom[], timeoutMs: number): Promise<number | null> {
  try {
    return await pushBundle(fetch, relay, text, Math.max(timeoutMs, 30_000));
  } catch (err) {
    if (!(err instanceof RelayHttpError) || (err.status !== 404 && err.status !== 413)) throw err;
  }
  for (const r of rooms) await pushUpdate(fetch, relay, r.room, r.update, timeoutMs);
  return null; // the per-room path does not count what was new
}
