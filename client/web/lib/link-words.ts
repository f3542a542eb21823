// What a person reads when a link does not open: plain words for each way a link can be
// damaged. The codes and technical messages stay for the command line and the relay.
import { msg } from '@lit/localize';
import { CapabilityError, type CapabilityErrorCode } from '#shared';

const copyAgain = () => msg('Ask for the link again, or copy all of it: part of it is missing or changed.', { id: 'link.copyAgain' });

const WORDS: Record<CapabilityErrorCode, () => string> = {
  'not-a-capability': () => msg('This is not a Baton link. A Baton link looks like https://relay.example.org/#baton:board:… or starts with “baton:”.', { id: 'link.notBaton' }),
  'bad-kind': () => `${msg('This link does not name a board or a thread.', { id: 'link.badKind' })} ${copyAgain()}`,
  'bad-space-id': () => `${msg('This link is damaged: the part that names the board is cut short or changed.', { id: 'link.badSpace' })} ${copyAgain()}`,
  'bad-read-key': () => `${msg('This link is damaged: its key is cut short or changed.', { id: 'link.badReadKey' })} ${copyAgain()}`,
  'bad-write-seed': () => `${msg('This link is damaged: its key for writing is cut short or changed.', { id: 'link.badWriteKey' })} ${copyAgain()}`,
  'write-seed-mismatch': () => `${msg('This link is damaged: its key for writing belongs to another board.', { id: 'link.writeKeyMismatch' })} ${copyAgain()}`,
  'bad-relay': () => msg('This link names a relay address that is not valid (a relay address starts with https://).', { id: 'link.badRelay' }),
  'bad-owner': () => `${msg("This link is damaged: the part that names the board's owner is cut short or changed.", { id: 'link.badOwner' })} ${copyAgain()}`,
  'missing-read-key': () => msg('This link only lets a relay carry the board; it cannot open it for reading.', { id: 'link.mirrorOnly' }),
};

/** One plain sentence or two saying why a link does not open. */
export function linkProblem(err: unknown): string {
  if (err instanceof CapabilityError) return WORDS[err.code]();
  return msg('This link does not open. Ask for it again.', { id: 'link.doesNotOpen' });
}
