// Why a command was refused, in the user's language. The client core and the shared code throw
// English messages with stable codes (ClientError's code and reason, CapabilityError's code);
// this says the code's words. A refusal with a reason is said in its words alone. A code whose
// English names what a person needs to act on (a path, an id, a size, a relay's answer) keeps
// that English after its words, marked as such; in English the message is that English itself.
// A file-system error underneath is said from its code (./fs-words.ts), in every language.
// Loaded only when something went wrong (client/cli/main.ts), so a command starts without it.
import { CapabilityError, MAX_ATTACHMENTS, MAX_ATTACHMENT_BYTES, MAX_NAME_CHARS, MAX_POST_ATTACHMENT_BYTES, type CapabilityErrorCode } from '#shared';
import { CLI_SOURCE_LOCALE } from '#shared/l10n/locale.ts';
import { sayLocale } from '#shared/l10n/say.ts';
import { ClientError, RelayHttpError, type ClientErrorCode, type ClientErrorReason } from '#client-core';
import { fileSystemErrorIn, fileSystemFailure, fileSystemProblem } from './fs-words.ts';
import { say, str } from './l10n.ts';

const MiB = 1024 * 1024;

// Records, not lists: a reason or code added to the core without words here fails the typecheck.

/** The refusals a person can act on: their words say it all, so the English is left out. */
export const REASON_WORDS: Record<ClientErrorReason, () => string> = {
  'post-deleted': () => say('this post is deleted already', { id: 'cli.failure.postDeleted' }),
  unchanged: () => say('the new text is the same as the old', { id: 'cli.failure.unchanged' }),
  'not-author': () => say('only its author can edit or delete a post', { id: 'cli.failure.notAuthor' }),
  'already-open': () => say('this board or thread is open here already with other access', { id: 'cli.failure.alreadyOpen' }),
  'no-owner': () => say("this board's link names no owner, so the board has no moderation", { id: 'cli.failure.noOwner' }),
  'no-authority': () => say('your key may not do that in this board: hiding a post takes an owner or a moderator, anything else an owner', { id: 'cli.failure.noAuthority' }),
  'remove-self': () => say('you cannot remove your own key: another owner or a moderator can', { id: 'cli.failure.removeSelf' }),
  'too-many-files': () => {
    const max = String(MAX_ATTACHMENTS);
    return say(str`a post carries at most ${max} files`, { id: 'cli.failure.tooManyFiles' });
  },
  'empty-file': () => say('the file is empty', { id: 'cli.failure.emptyFile' }),
  'file-too-large': () => {
    const max = String(MAX_ATTACHMENT_BYTES / MiB);
    return say(str`a file may be at most ${max} MiB`, { id: 'cli.failure.fileTooLarge' });
  },
  'files-too-large': () => {
    const max = String(MAX_POST_ATTACHMENT_BYTES / MiB);
    return say(str`the files of one post may come to at most ${max} MiB`, { id: 'cli.failure.filesTooLarge' });
  },
  'file-incomplete': () => say('part of this file is not on the relays reached yet: try again later', { id: 'cli.failure.fileIncomplete' }),
  'pdf-encrypted': () => say('this PDF is encrypted: remove its password first, then attach it', { id: 'cli.failure.pdfEncrypted' }),
  'pdf-unreadable': () => say('this PDF cannot be read, so its metadata cannot be removed', { id: 'cli.failure.pdfUnreadable' }),
  'name-length': () => {
    const max = String(MAX_NAME_CHARS);
    return say(str`a name is 1 to ${max} characters`, { id: 'cli.failure.nameLength' });
  },
  'bad-identity': () => say('this is not a Baton identity key: give the whole key, from baton-identity: to its end', { id: 'cli.failure.badIdentity' }),
};

/**
 * Each code's words, and whether its English is kept after them: yes where it names what the
 * words cannot (the file, the thread id, the data directory, the relay's answer, the sizes).
 */
export const CODE_WORDS: Record<ClientErrorCode, { words: () => string; detail: boolean }> = {
  'read-only': { words: () => say('this link lets you read, not write', { id: 'cli.failure.readOnly' }), detail: false },
  'no-read-key': { words: () => say('this link keeps a copy but cannot read what it holds', { id: 'cli.failure.noReadKey' }), detail: false },
  'not-found': { words: () => say('not found on the relays reached, nor on this device', { id: 'cli.failure.notFound' }), detail: true },
  'bad-input': { words: () => say('refused as given', { id: 'cli.failure.badInput' }), detail: true },
  'corrupt-bundle': { words: () => say('the bundle is damaged or is not a Baton bundle', { id: 'cli.failure.corruptBundle' }), detail: true },
  store: { words: () => say('the data directory cannot be used', { id: 'cli.failure.store' }), detail: true },
  locked: {
    words: () => say('the data directory is locked, and no passphrase or a wrong one was given (--passphrase-file FILE or BATON_PASSPHRASE)', { id: 'cli.failure.locked' }),
    detail: true,
  },
  relay: { words: () => say('a relay refused it', { id: 'cli.failure.relay' }), detail: true },
  timeout: { words: () => say('the relays did not answer in time: check the connection and try again', { id: 'cli.failure.timeout' }), detail: false },
  'too-large': { words: () => say('it is larger than Baton allows', { id: 'cli.failure.tooLarge' }), detail: true },
  'bad-file': { words: () => say('the file is missing, incomplete, or not the one its post names', { id: 'cli.failure.badFile' }), detail: true },
  forbidden: { words: () => say('only an owner of this board, or a moderator the owners allowed, can do that', { id: 'cli.failure.forbidden' }), detail: false },
  moved: { words: () => say('this board has moved', { id: 'cli.failure.moved' }), detail: true },
  aborted: { words: () => say('it was called off', { id: 'cli.failure.aborted' }), detail: false },
};

/** What is wrong with a capability (or a relay address), said after "bad capability:". */
export const CAPABILITY_WORDS: Record<CapabilityErrorCode, () => string> = {
  'not-a-capability': () => say('it is not a Baton capability (one starts with baton:)', { id: 'cli.failure.capNotCapability' }),
  'bad-kind': () => say('it is not the kind of link needed here (board, thread or file)', { id: 'cli.failure.capBadKind' }),
  'bad-space-id': () => say('its space id is damaged or missing', { id: 'cli.failure.capBadSpaceId' }),
  'bad-read-key': () => say('its read key is damaged', { id: 'cli.failure.capBadReadKey' }),
  'bad-write-seed': () => say('its write key is damaged', { id: 'cli.failure.capBadWriteSeed' }),
  'write-seed-mismatch': () => say('its write key does not belong to its space', { id: 'cli.failure.capWriteSeedMismatch' }),
  'bad-relay': () => say('a relay address is http(s)://host[:port][/path]', { id: 'cli.failure.capBadRelay' }),
  'bad-owner': () => say('its owner key is damaged', { id: 'cli.failure.capBadOwner' }),
  'missing-read-key': () => say('it has no read key, which this needs', { id: 'cli.failure.capMissingReadKey' }),
};

/** The line for why `err` happened, in the user's language; only marked detail stays English. */
export function failureWords(err: unknown): string {
  // A file or folder that could not be used: its path and what went wrong, never Node's English.
  const fileSystem = fileSystemErrorIn(err);
  if (fileSystem) {
    const why = fileSystemFailure(fileSystem);
    if (!(err instanceof ClientError && err.code === 'store')) return why;
    const subject = CODE_WORDS.store.words();
    return say(str`${subject}: ${why}`, { id: 'cli.failure.about' });
  }
  if (err instanceof ClientError) {
    // A reason without words here falls back to its code's words, a code without words to "unexpected".
    const reason = err.reason !== undefined && Object.hasOwn(REASON_WORDS, err.reason) ? REASON_WORDS[err.reason] : null;
    if (reason) return reason();
    const code = Object.hasOwn(CODE_WORDS, err.code) ? CODE_WORDS[err.code] : null;
    if (code) return code.detail ? withDetail(code.words(), err.message) : code.words();
  }
  if (err instanceof RelayHttpError) return withDetail(CODE_WORDS.relay.words(), err.message);
  if (err instanceof CapabilityError && Object.hasOwn(CAPABILITY_WORDS, err.code)) {
    const reason = CAPABILITY_WORDS[err.code]();
    return err.code === 'bad-relay' ? say(str`bad relay URL: ${reason}`, { id: 'cli.badRelayUrl' }) : say(str`bad capability: ${reason}`, { id: 'cli.badCapability' });
  }
  const reason = (err as Error)?.message ?? String(err);
  return say(str`unexpected error: ${reason}`, { id: 'cli.unexpected' });
}

/** What the error was about (a file's name), then why. */
export function failureOf(subject: string, err: unknown): string {
  // A file-system error about the subject itself (or about no path) names it once.
  const fileSystem = fileSystemErrorIn(err);
  const why = fileSystem && (fileSystem.path === undefined || fileSystem.path === subject) ? fileSystemProblem(fileSystem) : failureWords(err);
  return say(str`${subject}: ${why}`, { id: 'cli.failure.about' });
}

/** The words, then the thrower's English marked as such; in English, that English alone. */
function withDetail(why: string, detail: string): string {
  if (sayLocale() === CLI_SOURCE_LOCALE) return detail;
  return say(str`${why} (in English: ${detail})`, { id: 'cli.failure.inEnglish' });
}
