// baton lock: sets the data directory's passphrase (sealing what it holds in clear) or changes
// it. baton wipe --data DIR: removes everything Baton wrote there, and says what.
import { mkdirSync } from 'node:fs';
import { defaultDataDir, lockDataDir, setPassphrase, wipeDataDir } from '#client-node';
import type { Args } from '../args.ts';
import { say, str } from '../l10n.ts';
import { ExitCode, UsageError, note, printJson } from '../output.ts';
import { passphraseOf } from '../passphrase.ts';

export async function lockCommand(args: Args): Promise<number> {
  const dataDir = args.data ?? defaultDataDir();
  const next = passphraseOf(args.newPassphraseFile, 'BATON_NEW_PASSPHRASE');
  if (next === null) throw new UsageError(say('baton lock needs the new passphrase: --new-passphrase-file FILE or BATON_NEW_PASSPHRASE', { id: 'cli.lockNeedsNew' }));
  const current = passphraseOf(args.passphraseFile, 'BATON_PASSPHRASE');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const lock = await lockDataDir(dataDir);
  try {
    const outcome = await setPassphrase(dataDir, current, next);
    const { rooms, names } = outcome;
    if (outcome.locked) note(say(str`${dataDir} is locked: its identity, rooms (${rooms}) and the names seen in boards (${names}) are sealed under the passphrase`, { id: 'cli.lockDone' }));
    else note(say(str`the passphrase of ${dataDir} is changed`, { id: 'cli.lockChanged' }));
    printJson({ dataDir, ...outcome });
    return ExitCode.ok;
  } finally {
    lock.release();
  }
}

export async function wipeCommand(args: Args): Promise<number> {
  // No default: a wipe names its directory.
  const dir = args.data;
  if (dir === undefined) throw new UsageError(say('baton wipe needs --data DIR', { id: 'cli.wipeNeedsData' }));
  const removed = wipeDataDir(dir);
  for (const path of removed) note(say(str`removed ${path}`, { id: 'cli.wipeRemoved' }));
  if (removed.length === 0) note(say(str`nothing of Baton's in ${dir}`, { id: 'cli.wipeNothing' }));
  printJson({ removed });
  return ExitCode.ok;
}
