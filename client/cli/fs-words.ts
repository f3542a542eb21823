// File-system errors in the user's language. Node's own text ("ENOENT: no such file or
// directory, open '…'") is English whatever the user speaks; its code is not. An error of
// the client that wraps one keeps it as its cause (ClientError's `cause`), so it is found there.
import { say, str } from './l10n.ts';

/** A file-system error from Node: its code, and the path it names where it names one. */
export interface FileSystemError {
  code: string;
  /** What was asked of the system: `open`, `mkdir`, … */
  syscall: string;
  path: string | undefined;
}

/** The file-system error that `err` is or was caused by, or null. */
export function fileSystemErrorIn(err: unknown): FileSystemError | null {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, syscall, path } = e as { code?: unknown; syscall?: unknown; path?: unknown };
    if (typeof code === 'string' && /^E[A-Z0-9]+$/.test(code) && typeof syscall === 'string') return { code, syscall, path: typeof path === 'string' ? path : undefined };
  }
  return null;
}

/** What went wrong, from the code: the sentence around it names the path. */
export function fileSystemProblem({ code, syscall }: FileSystemError): string {
  // Baton makes its folders with their parents (mkdir -p), which fails so only where a file is in the way.
  if (code === 'EEXIST' && syscall === 'mkdir') code = 'ENOTDIR';
  switch (code) {
    case 'ENOENT':
      return say('there is no such file or folder', { id: 'cli.fs.noEntry' });
    case 'EACCES':
    case 'EPERM':
      return say('this user is not allowed to use it', { id: 'cli.fs.denied' });
    case 'ENOSPC':
    case 'EDQUOT':
      return say('there is no space left on the disk', { id: 'cli.fs.noSpace' });
    case 'EISDIR':
      return say('it is a folder, where a file is needed', { id: 'cli.fs.isFolder' });
    case 'ENOTDIR':
      return say('it, or a folder on its path, is a file, where a folder is needed', { id: 'cli.fs.notFolder' });
    case 'EEXIST':
      return say('it exists already', { id: 'cli.fs.exists' });
    case 'EROFS':
      return say('the disk it is on is read-only', { id: 'cli.fs.readOnly' });
    case 'EMFILE':
    case 'ENFILE':
      return say('too many files are open: close some programs and try again', { id: 'cli.fs.tooManyOpen' });
    case 'ENAMETOOLONG':
      return say('the name is too long', { id: 'cli.fs.nameTooLong' });
    default:
      return say(str`the system could not do it (${code})`, { id: 'cli.fs.other' });
  }
}

/**
 * The reason to put in a sentence that names the path already ("cannot read {file}: {reason}"):
 * the problem in the user's words for a file-system error, else the error's own message.
 */
export function reasonOf(err: unknown): string {
  const found = fileSystemErrorIn(err);
  return found ? fileSystemProblem(found) : ((err as Error)?.message ?? String(err));
}

/** A file-system error said whole: the path it names, then what went wrong. */
export function fileSystemFailure(found: FileSystemError): string {
  const problem = fileSystemProblem(found);
  const path = found.path;
  return path === undefined ? problem : say(str`${path}: ${problem}`, { id: 'cli.fs.at' });
}
