// Answers to sync step 1 ("send me what I lack"), held as pieces while they are sent. A
// room's answer for one state vector is computed once and shared by every connection that
// asks for the same thing at once (a crowd opening a board asks for the same whole room),
// and the bytes held for all connections together are bounded: past the bound a
// connection waits for its turn instead of making the relay hold one more copy.
import * as Y from 'yjs';
import { splitEnvelopeUpdate } from '#shared';
import type { Room } from '../rooms/room.ts';

export interface Answer {
  readonly pieces: readonly Uint8Array[];
  readonly bytes: number;
}

interface Entry extends Answer {
  key: string;
  refs: number;
}

/** Answers this small are computed without waiting for room in the pool. */
const SMALL_ANSWER_BYTES = 256 * 1024;

export class AnswerPool {
  readonly #entries = new Map<string, Entry>();
  #held = 0;
  #waiters: Array<() => void> = [];

  constructor(
    private readonly maxBytes: number,
    /** Largest piece sent as one message. */
    readonly pieceBytes: number,
  ) {}

  get heldBytes(): number {
    return this.#held;
  }

  /**
   * The answer to `sv` (validated by the caller), shared with others asking the same; null
   * when the pool is full now (`whenFree` calls back once some is released). Pair with release.
   */
  take(room: Room, sv: Uint8Array): Answer | null {
    const { key, estimate } = lacking(room, sv);
    const fullKey = `${room.name}|${room.version}|${key}`;
    const shared = this.#entries.get(fullKey);
    if (shared) {
      shared.refs++;
      return shared;
    }
    // One answer always fits, so a relay with one big room still answers.
    if (estimate > SMALL_ANSWER_BYTES && this.#held > 0 && this.#held + estimate > this.maxBytes) return null;
    const diff = room.diff(sv);
    const pieces = splitEnvelopeUpdate(diff, this.pieceBytes);
    let bytes = 0;
    for (const p of pieces) bytes += p.length;
    const entry: Entry = { key: fullKey, pieces, bytes, refs: 1 };
    this.#entries.set(fullKey, entry);
    this.#held += bytes;
    return entry;
  }

  release(answer: Answer): void {
    const entry = answer as Entry;
    if (--entry.refs > 0) return;
    if (this.#entries.get(entry.key) === entry) this.#entries.delete(entry.key);
    this.#held -= entry.bytes;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }

  whenFree(wake: () => void): void {
    this.#waiters.push(wake);
  }

  /** Forgets a waiter that went away (a closed connection). */
  forget(wake: () => void): void {
    this.#waiters = this.#waiters.filter((w) => w !== wake);
  }
}

/**
 * What a holder of `sv` lacks of the room, as a key (equal keys get equal answers: clients
 * unknown to the room and clocks past the room's are ignored) and an estimate of its bytes.
 */
export function lacking(room: Room, sv: Uint8Array): { key: string; estimate: number } {
  const have = Y.decodeStateVector(sv);
  const parts: string[] = [];
  let missing = 0;
  for (const [client, clock] of Y.decodeStateVector(room.stateVector())) {
    const held = Math.min(have.get(client) ?? 0, clock);
    if (held >= clock) continue;
    parts.push(`${client}:${held}`);
    missing += clock - held;
  }
  parts.sort();
  const blobs = Math.max(1, room.blobCount);
  const estimate = Math.min(room.bytes, Math.ceil((missing * room.bytes) / blobs));
  return { key: parts.join(','), estimate };
}
