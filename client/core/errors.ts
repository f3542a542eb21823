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

export class ClientError extends Error {
  override name = 'ClientError';
  constructor(
    readonly code: ClientErrorCode,
    message: string,
  ) {
    super(message);
  }
}
