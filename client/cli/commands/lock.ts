// baton lock: sets the data directory's passphrase (sealing what it holds in clear) or changes
// it. baton wipe --data DIR: removes everything Baton wrote there, and says what.
import { mkdirSync } from 'node:fs';
import { defaultDataDir, lockDataDir, setPassphrase, wipeDataDir } from '#client-node';
import type { Args } from '../args.ts';
import { ExitCode, UsageError, note, printJson } from '../output.ts';
import { passphraseOf } from '../passphrase.ts';

export async function lockCommand(args: Args): Promise<number> {
  const dataDir = args.data ?? defaultDataDir();
  const next = passphraseOf(args.newPassphraseFile, 'BATON_NEW_PASSPHRASE');
  if (next === null) throw new UsageError('baton lock needs the new passphrase: --new-passphrase-file FILE or BATON_NEW_PASSPHRASE');
  const current = passphraseOf(args.passphraseFile, 'BATON_PASSPHRASE');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const lock = await lockDataDir(dataDir);
  try {
    const outcome = await setPassphrase(dataDir, current, next);
    if (outcome.locked) note(`${dataDir} is locked: its identity, ${outcome.rooms} room(s) and the names of ${outcome.names} board(s) are sealed under the passphrase`);
    else note(`the passphrase of ${dataDir} is changed`);
    printJson({ dataDir, ...outcome });
    return ExitCode.ok;
  } finally {
    lock.release();
  }
}

export async function wipeCommand(args: Args): Promise<number> {
  // No default: a wipe names its directory.
  if (args.data === undefined) throw new UsageError('baton wipe needs --data DIR');
  const removed = wipeDataDir(args.data);
  for (const path of removed) note(`removed ${path}`);
  if (removed.length === 0) note(`nothing of Baton's in ${args.data}`);
  printJson({ removed });
  return ExitCode.ok;
}
