// Exit codes and output: JSON (or the text asked for) on stdout, one line per problem on stderr.
// Everything printed goes through here, made inert (./inert.ts): much of it came from writers
// and relays.
import { inert, inertJson } from './inert.ts';

export const ExitCode = {
  ok: 0,
  error: 1,
  usage: 2,
  /** The write is kept on this device but no relay confirmed it yet (or a read saw no relay). */
  queued: 3,
  /** No relay answered and nothing is stored locally to show. */
  unreachable: 4,
  /** The data directory is locked and no passphrase (or a wrong one) was given. */
  locked: 5,
} as const;

export class UsageError extends Error {
  override name = 'UsageError';
}

/** An error that ends the command with its own exit code. */
export class CliExit extends Error {
  override name = 'CliExit';
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export function printJson(value: unknown): void {
  process.stdout.write(inertJson(value) + '\n');
}

/** Text output already made of inert fields (see renderText in commands/read.ts). */
export function printText(text: string): void {
  process.stdout.write(inert(text, { multiline: true }));
}

export function note(message: string): void {
  process.stderr.write(`baton: ${inert(message.replace(/\s*\n\s*/g, ' '))}\n`);
}
