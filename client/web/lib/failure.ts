// Why an action failed, in the reader's language. The client core and the shared code throw
// English messages (for logs and the CLI) with stable codes; the screen says the code's words,
// never the English. Errors the web client throws itself are ShownErrors, already translated.
import { msg, str } from '@lit/localize';
import { ClientError, RelayHttpError, type ClientErrorCode, type ClientErrorReason } from '#client-core';
import { CapabilityError, MAX_NAME_CHARS } from '#shared';
import { formatNumber } from '../l10n/format.ts';

/** A refusal whose message is already in the reader's language. */
export class ShownError extends ClientError {
  override name = 'ShownError';
}

function reasonWords(reason: ClientErrorReason): string {
  switch (reason) {
    case 'post-deleted':
      return msg('This post is deleted already.', { id: 'failure.postDeleted' });
    case 'unchanged':
      return msg('The new text is the same as the old.', { id: 'failure.unchanged' });
    case 'not-author':
      return msg('Only its author can edit or delete a post.', { id: 'failure.notAuthor' });
    case 'already-open':
      return msg('This board or thread is already open here with other access: reload the page.', { id: 'failure.alreadyOpen' });
    case 'no-owner':
      return msg('This board has no owner, so it has no moderation.', { id: 'failure.noOwner' });
    case 'no-authority':
      return msg('Only an owner or a moderator of this board may do that.', { id: 'failure.noAuthority' });
    case 'remove-self':
      return msg('You cannot remove your own key: another owner or a moderator can.', { id: 'failure.removeSelf' });
    case 'too-many-files':
      return msg('A post carries too many files.', { id: 'failure.tooManyFiles' });
    case 'empty-file':
      return msg('A file is empty.', { id: 'failure.emptyFile' });
    case 'file-too-large':
      return msg('A file is larger than a post may carry.', { id: 'failure.fileTooLarge' });
    case 'files-too-large':
      return msg('These files together are larger than one post may carry.', { id: 'failure.filesTooLarge' });
    case 'file-incomplete':
      return msg('Part of this file is not on the relays reached yet: try again later.', { id: 'failure.fileIncomplete' });
    case 'pdf-encrypted':
      return msg('This PDF is encrypted: remove its password first, then attach it.', { id: 'failure.pdfEncrypted' });
    case 'pdf-unreadable':
      return msg('This PDF cannot be read, so its metadata cannot be removed.', { id: 'failure.pdfUnreadable' });
    case 'name-length':
      return nameLength();
    case 'bad-identity':
      return msg('This is not a Baton identity key: copy the whole key, from "baton-identity:" to its end.', { id: 'failure.badIdentity' });
  }
}

function codeWords(code: ClientErrorCode): string {
  switch (code) {
    case 'read-only':
      return msg('This link lets you read, not write.', { id: 'failure.readOnly' });
    case 'no-read-key':
      return msg('This link keeps a copy but cannot show what it holds.', { id: 'failure.noReadKey' });
    case 'not-found':
      return msg('It is not on the relays reached, nor on this device.', { id: 'failure.notFound' });
    case 'bad-input':
      return msg('This was refused as it was given.', { id: 'failure.badInput' });
    case 'corrupt-bundle':
      return msg('The bundle is damaged or is not a Baton bundle.', { id: 'failure.corruptBundle' });
    case 'store':
      return msg('This browser’s storage could not be used.', { id: 'failure.store' });
    case 'locked':
      return msg('The data on this device is locked.', { id: 'failure.locked' });
    case 'relay':
      return msg('A relay refused it.', { id: 'failure.relay' });
    case 'timeout':
      return msg('The relays did not answer in time. Check the connection and try again.', { id: 'failure.timeout' });
    case 'too-large':
      return msg('It is larger than Baton allows.', { id: 'failure.tooLarge' });
    case 'bad-file':
      return msg('The file is missing, incomplete, or not the one its post names.', { id: 'failure.badFile' });
    case 'forbidden':
      return msg('You do not have the authority to do that here.', { id: 'failure.forbidden' });
    case 'moved':
      return msg('This board moved without you: ask a member for the new link.', { id: 'failure.moved' });
    case 'aborted':
      return msg('It was called off.', { id: 'failure.aborted' });
  }
}

/** The words for why `err` happened, in the reader's language; never the thrower's English. */
export function failureReason(err: unknown): string {
  if (err instanceof ShownError) return err.message;
  if (err instanceof ClientError) return (err.reason && reasonWords(err.reason)) || codeWords(err.code) || unknownFailure();
  if (err instanceof RelayHttpError) return codeWords('relay');
  if (err instanceof CapabilityError) {
    return err.code === 'bad-relay' ? msg('That is not a relay address: it starts with https:// or http://.', { id: 'failure.badRelay' }) : msg('This link is damaged or incomplete.', { id: 'failure.badLink' });
  }
  return unknownFailure();
}

function nameLength(): string {
  const max = formatNumber(MAX_NAME_CHARS);
  return msg(str`A name is 1 to ${max} characters.`, { id: 'failure.nameLength' });
}

const unknownFailure = () => msg('Something unexpected went wrong. Try again; if it goes on, reload the page.', { id: 'failure.unknown' });
