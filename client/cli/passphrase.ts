// Where a passphrase comes from: a file named on the command line (one trailing line break
// dropped), else an environment variable; never an argument, which other users can read.
import { readFileSync } from 'node:fs';
import { reasonOf } from './fs-words.ts';
import { say, str } from './l10n.ts';
import { UsageError } from './output.ts';

export function passphraseOf(file: string | undefined, variable: string): string | null {
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      const reason = reasonOf(err);
      throw new UsageError(say(str`cannot read the passphrase file ${file}: ${reason}`, { id: 'cli.passphraseUnreadable' }));
    }
    const passphrase = text.replace(/\r?\n$/, '');
    if (passphrase === '') throw new UsageError(say(str`the passphrase file ${file} is empty`, { id: 'cli.passphraseEmpty' }));
    return passphrase;
  }
  const value = process.env[variable];
  return value === undefined || value === '' ? null : value;
}
