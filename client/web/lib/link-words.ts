// What a person reads when a link does not open: plain words for each way a link can be
// damaged. The codes and technical messages stay for the command line and the relay.
import { CapabilityError, type CapabilityErrorCode } from '#shared';

const COPY_AGAIN = 'Ask for the link again, or copy all of it: part of it is missing or changed.';

const WORDS: Record<CapabilityErrorCode, string> = {
  'not-a-capability': 'This is not a Baton link. A Baton link looks like https://relay.example.org/#baton:board:… or starts with “baton:”.',
  'bad-kind': `This link does not name a board or a thread. ${COPY_AGAIN}`,
  'bad-space-id': `This link is damaged: the part that names the board is cut short or changed. ${COPY_AGAIN}`,
  'bad-read-key': `This link is damaged: its key is cut short or changed. ${COPY_AGAIN}`,
  'bad-write-seed': `This link is damaged: its key for writing is cut short or changed. ${COPY_AGAIN}`,
  'write-seed-mismatch': `This link is damaged: its key for writing belongs to another board. ${COPY_AGAIN}`,
  'bad-relay': 'This link names a relay address that is not valid (a relay address starts with https://).',
  'bad-owner': `This link is damaged: the part that names the board's owner is cut short or changed. ${COPY_AGAIN}`,
  'missing-read-key': 'This link only lets a relay carry the board; it cannot open it for reading.',
};

/** One plain sentence or two saying why a link does not open. */
export function linkProblem(err: unknown): string {
  if (err instanceof CapabilityError) return WORDS[err.code];
  return 'This link does not open. Ask for it again.';
}

