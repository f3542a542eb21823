// Sends one connection's answers to sync step 1: one at a time, piece by piece while the
// reader takes them (numbered pings say how much it read), within the connection's answer
// byte rate, sharing the relay's bounded answer pool. The latest request replaces one not
// yet started: its answer covers the same.
import { writeSyncStep2, writeSyncUpdate } from '#shared/wire/index.ts';
import type { Counters } from '../metrics/counters.ts';
import type { Room } from '../rooms/room.ts';
import type { Answer, AnswerPool } from './answers.ts';
import type { TokenBucket } from './rate-limit.ts';
import type { ReadTracker } from './read-tracker.ts';

export interface AnswerSenderDeps {
  answers: AnswerPool;
  counters: Counters;
  reads: ReadTracker;
  bytes: TokenBucket;
  /** The connection's outbound bound: the sender keeps well under it. */
  outboundBufferBytes: number;
  write(message: Uint8Array): void;
}

export class AnswerSender {
  /** The answer being sent, the next piece to send, and the state vector asked for next. */
  #answer: Answer | null = null;
  #piece = 0;
  #askedSv: Uint8Array | null = null;
  #timer: NodeJS.Timeout | null = null;
  #waitingForPool = false;
  #waitingForBuild = false;
  #room: Room | null = null;
  #stopped = false;
  readonly #wake = () => {
    this.#waitingForPool = false;
    this.pump();
  };
  readonly #built = () => {
    this.#waitingForBuild = false;
    this.pump();
  };

  constructor(private readonly deps: AnswerSenderDeps) {}

  /** Whether an answer is under way or asked for. */
  get busy(): boolean {
    return this.#answer !== null || this.#askedSv !== null;
  }

  /** Answers `sv` from `room` as soon as the answer before it is sent. */
  ask(room: Room, sv: Uint8Array): void {
    this.#room = room;
    this.#askedSv = sv;
    this.pump();
  }

  /**
   * Sends the answer under way while the socket takes it, then starts the next one asked
   * for. Runs again when a piece is read, when the rate allows, or when the pool has room.
   */
  pump(): void {
    const room = this.#room;
    const { answers, reads } = this.deps;
    if (this.#stopped || !room || this.#timer || this.#waitingForPool || this.#waitingForBuild) return;
    const lowWater = Math.min(answers.pieceBytes * 2, this.deps.outboundBufferBytes / 2);
    for (;;) {
      if (!this.#answer) {
        const sv = this.#askedSv;
        if (!sv) return;
        const answer = answers.take(room, sv);
        if (!answer) {
          this.deps.counters.add('sync.answer-waited');
          this.#waitingForPool = true;
          answers.whenFree(this.#wake);
          return;
        }
        this.#askedSv = null;
        this.#answer = answer;
        this.#piece = 0;
      }
      if (reads.unread >= lowWater) {
        reads.probe(); // its pong calls again
        return;
      }
      const answer = this.#answer;
      // A big room's answer is built while it is sent: this piece, and whether another follows.
      const piece = answer.piece(this.#piece);
      const next = piece ? answer.piece(this.#piece + 1) : null;
      if (piece === undefined || next === undefined) {
        this.#waitingForBuild = true;
        answer.whenBuilt(this.#built);
        return;
      }
      if (piece === null) {
        this.#end();
        continue;
      }
      const wait = this.deps.bytes.charge(piece.length);
      if (wait > 0) {
        this.deps.bytes.refund(piece.length);
        this.#timer = setTimeout(() => {
          this.#timer = null;
          this.pump();
        }, wait);
        this.#timer.unref();
        return;
      }
      const last = next === null;
      // Stock clients count the room as synced at step 2: it comes last, after every piece.
      this.deps.write(last ? writeSyncStep2(piece) : writeSyncUpdate(piece));
      if (last) this.#end();
      else this.#piece++;
    }
  }

  /** The connection closed: the answer's share of the pool is given back. */
  stop(): void {
    this.#stopped = true;
    this.#end();
    this.#askedSv = null;
    this.#room = null;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#waitingForPool) this.deps.answers.forget(this.#wake);
    this.#waitingForPool = false;
    this.#waitingForBuild = false;
  }

  #end(): void {
    const answer = this.#answer;
    this.#answer = null;
    if (answer) this.deps.answers.release(answer);
  }
}
