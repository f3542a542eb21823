// Typed errors of the client core, each with a reason code a CLI or UI can map to a message.

export type ClientErrorCode =
  | 'read-only' // a write was asked of a capability without the write key
  | 'no-read-key' // plaintext was asked of a mirror capability
  | 'not-found' // a thread or post the caller named is not in the board
  | 'bad-input' // a title, body or name the schema refuses
  | 'corrupt-bundle' // a bundle that fails the container or the envelope validator
  | 'store' // the local store is unusable (in use, unreadable)
  | 'locked' // the local store is locked: no passphrase, or a wrong one
  | 'relay' // a relay answered with an error
  | 'timeout' // a wait for relays ran out of time
  | 'too-large' // a file or a post's files over the client's limits
  | 'bad-file' // an attached file that is missing, incomplete or not what its post names
  | 'forbidden' // the identity lacks the authority an action needs (removing a member)
  | 'moved' // the board moved to a successor this identity was not invited to
  | 'aborted'; // a wait was called off by its caller

/**
 * Within a code, the refusals a person can act on, each stable so a screen can say it in the
 * reader's language (the message stays English, for logs and the CLI).
 */
export type ClientErrorReason =
  | 'post-deleted' // editing or deleting a post that is deleted already
  | 'unchanged' // an edit whose text is the text the post has
  | 'not-author' // editing or deleting a post of another key
  | 'already-open' // a link to a space already open here with other access
  | 'no-owner' // moderation in a board whose link names no owner
  | 'no-authority' // a moderation record this identity may not sign
  | 'remove-self' // removing one's own key from a board
  | 'too-many-files' // more files than one post may carry
  | 'empty-file' // an attached file of no bytes
  | 'file-too-large' // one file over the limit
  | 'files-too-large' // a post's files together over the limit
  | 'pdf-encrypted' // a PDF with a password, so its metadata cannot be removed
  | 'pdf-unreadable' // a PDF that cannot be parsed, so its metadata cannot be removed
  | 'file-incomplete' // some chunks of an attached file are on none of the relays reached
  | 'name-length' // a display name that is empty or too long
  | 'bad-identity'; // an identity key to import that is not one

export class ClientError extends Error {
  override name = 'ClientError';
  constructor(
    readonly code: ClientErrorCode,
    message: string,
    readonly reason?: ClientErrorReason,
    /** `cause`: the error underneath (a file-system error's code and path, said in the user's words). */
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
