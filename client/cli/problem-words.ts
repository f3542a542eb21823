// The client core's problems (client/core/problems.ts) in the user's language. The core gives
// values, the sentence is ours. Room names, relay addresses and blob ids are addresses, said as
// they are; a caught error's message is the system's, worded from its code where it has one.
import type { BlobId, Caught, ClientProblem } from '#client-core';
import { fileSystemProblem } from './fs-words.ts';
import { say, str } from './l10n.ts';

/** A blob id as the relay logs and `baton` show it: client:clock. */
const idText = ({ client, clock }: BlobId) => `${client}:${clock}`;

/** Why something failed: the file-system error's words, else the error's own message. */
const reasonOf = ({ cause, code }: Caught) => (code ? fileSystemProblem({ code, syscall: 'open', path: undefined }) : cause);

export function problemWords(problem: ClientProblem): string {
  switch (problem.kind) {
    case 'blob-dropped': {
      const { room, reason } = problem;
      if (reason === 'decrypt-failed') return say(str`${room}: data signed by the space's writer did not decrypt with this link's key (was the link copied whole?)`, { id: 'cli.problem.undecrypted' });
      if (reason === 'not-yjs') return say(str`${room}: data was dropped: what it holds is not a Yjs update`, { id: 'cli.problem.notYjs' });
      return say(str`${room}: data was dropped as damaged or forged (${reason})`, { id: 'cli.problem.blobDropped' });
    }
    case 'change-not-published': {
      const { room } = problem;
      return say(str`${room}: a change made here was not published: this device does not hold the write key`, { id: 'cli.problem.notPublished' });
    }
    case 'stored-update-refused': {
      const { room, reason, detail } = problem;
      return say(str`${room}: an update stored on this device was refused: ${reason} (${detail})`, { id: 'cli.problem.storedRefused' });
    }
    case 'store-damaged': {
      const { room, at } = problem;
      if (at === undefined) return say(str`${room}: an unreadable entry of the local copy was skipped`, { id: 'cli.problem.storeEntrySkipped' });
      return say(str`${room}: the local copy is damaged at byte ${at}; what comes before it was kept`, { id: 'cli.problem.storeDamaged' });
    }
    case 'store-unreadable': {
      const { room } = problem;
      const reason = reasonOf(problem);
      return say(str`${room}: cannot read the local copy: ${reason}`, { id: 'cli.problem.storeUnreadable' });
    }
    case 'store-not-set-aside': {
      const { room } = problem;
      const reason = reasonOf(problem);
      return say(str`${room}: could not set the damaged local copy aside: ${reason}`, { id: 'cli.problem.storeNotSetAside' });
    }
    case 'store-unopened': {
      const { room, count } = problem;
      return say(str`${room}: ${count} stored update(s) did not open with this device's key and were skipped`, { id: 'cli.problem.storeUnopened' });
    }
    case 'bytes-differ': {
      const { room, relay } = problem;
      const id = idText(problem.at);
      return say(str`${room}: ${relay} holds other bytes at ${id} than this device (two valid blobs for one id)`, { id: 'cli.problem.bytesDiffer' });
    }
    case 'write-displaced': {
      const { room, relay } = problem;
      const id = idText(problem.at);
      const ids = problem.resealedAt.map(idText).join(', ');
      if (ids === '') return say(str`${room}: a write at ${id} was displaced on ${relay} by other bytes at its id; this device cannot seal it again`, { id: 'cli.problem.displacedLost' });
      return say(str`${room}: a write at ${id} was displaced on ${relay} by other bytes at its id; re-sent at ${ids}`, { id: 'cli.problem.displacedResent' });
    }
    case 'compaction-failed': {
      const { room } = problem;
      const reason = reasonOf(problem);
      return say(str`${room}: compacting the room failed: ${reason}`, { id: 'cli.problem.compactionFailed' });
    }
    case 'preview-failed': {
      const reason = reasonOf(problem);
      if (problem.step === 'seal') return say(str`cannot seal the thread preview: ${reason}`, { id: 'cli.problem.previewNotSealed' });
      return say(str`cannot store the thread preview: ${reason}`, { id: 'cli.problem.previewNotStored' });
    }
    case 'first-screen-failed': {
      const reason = reasonOf(problem);
      return say(str`cannot publish the thread's first screen: ${reason}`, { id: 'cli.problem.firstScreenFailed' });
    }
  }
}
