// Updates a peer sent that the validator refused: counted, and summed up in one log line a
// minute at most (a hostile peer can cause thousands), and counted per round so that a round
// can stop early.
import type { Counters } from '../metrics/counters.ts';
import { say, str } from '../l10n.ts';

/** Refusals are summed up in one log line at most this often. */
const REFUSAL_LOG_MS = 60_000;

export class RefusalLog {
  /** Refusals since the round began. */
  thisRound = 0;
  #unlogged = 0;
  #lastLog = 0;

  constructor(
    private readonly url: string,
    private readonly counters: Counters,
    private readonly log: (line: string) => void,
  ) {}

  note(path: 'live' | 'catch-up', example: string, now = Date.now()): void {
    this.counters.add(`peer.refused.${path}`);
    this.thisRound++;
    this.#unlogged++;
    if (now - this.#lastLog < REFUSAL_LOG_MS) return;
    const { url } = this;
    const count = this.#unlogged;
    const sample = example.slice(0, 160);
    this.log(`peer: ${say(str`${url} sent ${count} update(s) that were refused, e.g. ${sample}`, { id: 'relay.log.peerRefused' })}`);
    this.#lastLog = now;
    this.#unlogged = 0;
  }
}
