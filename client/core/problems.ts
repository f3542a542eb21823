// What the client core reports to the interfaces when something is refused or fails: a kind
// and the values each kind needs, never a sentence. Each interface words them in its own
// language (client/cli/problem-words.ts; the web client's notice). A caught error's own
// message travels as `cause`, and a system error's code beside it (which an interface can
// word): the error's text is not ours to word, the sentence around it is.
import type { BlobRejection, EnvelopeRejection, RoomName, SpaceId } from '#shared';

/** A blob's place in a room's envelope doc: the Yjs client and clock it was written at. */
export interface BlobId {
  client: number;
  clock: number;
}

/** What was caught: its message, and the system's error code (ENOENT, EISDIR, …) where it has one. */
export interface Caught {
  cause: string;
  code?: string;
}

/** Damage a store found while reading a room back; reported, never fatal. */
export type StoreProblem =
  /** A damaged record: at a byte position of the room's file, or an unreadable entry (no position). What came before it was kept. */
  | { kind: 'store-damaged'; at?: number }
  /** The local copy could not be read at all. */
  | ({ kind: 'store-unreadable' } & Caught)
  /** A damaged local copy could not be copied aside and rewritten (compaction sets it aside later). */
  | ({ kind: 'store-not-set-aside' } & Caught)
  /** Stored updates that did not open with this device's key, and were skipped. */
  | { kind: 'store-unopened'; count: number };

/** Why a blob of a room was dropped: the blob check's reason, or an inner update that is no Yjs update. */
export type DropReason = BlobRejection | 'not-yjs';

export type ClientProblem =
  /** A blob in the room did not open (`decrypt-failed`: signed by the room's writer, but not for this read key). */
  | { kind: 'blob-dropped'; room: RoomName; reason: DropReason }
  /** A change made here to a space this device holds no write key for: kept locally, never sent. */
  | { kind: 'change-not-published'; room: RoomName }
  /** An update read back from the local store failed the validator. */
  | { kind: 'stored-update-refused'; room: RoomName; reason: EnvelopeRejection; detail: string }
  /** The local store's damage, in the room it was found in. */
  | (StoreProblem & { room: RoomName })
  /** A relay holds other bytes than this device at an id not of this device's writing (two valid blobs for one id). */
  | { kind: 'bytes-differ'; room: RoomName; relay: string; at: BlobId }
  /** A relay holds other bytes at the id of this device's write; its content went to `resealedAt` (empty: it could not be sealed again). */
  | { kind: 'write-displaced'; room: RoomName; relay: string; at: BlobId; resealedAt: BlobId[] }
  | ({ kind: 'compaction-failed'; room: RoomName } & Caught)
  /** The thread's preview (the first screen of a thread kept locally) could not be sealed, or stored. */
  | ({ kind: 'preview-failed'; space: SpaceId; step: 'seal' | 'store' } & Caught)
  | ({ kind: 'first-screen-failed'; space: SpaceId } & Caught);

/** Where a client problem goes (ClientOptions.onProblem). */
export type ProblemListener = (problem: ClientProblem) => void;

/** What `err` says, and its system error code if it has one. */
export function caught(err: unknown): Caught {
  const cause = err instanceof Error ? err.message : String(err);
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^E[A-Z0-9]+$/.test(code) ? { cause, code } : { cause };
}
