// What one sync connection's client may send: messages of at most an update's size (plus
// its framing), so many a second, and so many bytes a second. A message too big or one too
// many is an offence that closes the connection; bytes over the rate are not: the socket is
// read more slowly until they are paid.
import { CloseCode } from '#shared';
import type { RelayLimits } from '../config.ts';
import type { Counters } from '../metrics/counters.ts';
import { TokenBucket } from './rate-limit.ts';
import type { ReadControl } from './read-gate.ts';

/** Sync envelope bytes around an update: message type, sync step and a length prefix. */
const FRAMING_BYTES = 16;

/** How a connection is closed: its close code and the reason its client is given. */
export interface Closing {
  code: number;
  reason: string;
}

export class InboundLimits {
  readonly #messages: TokenBucket;
  readonly #bytes: TokenBucket;

  constructor(
    private readonly limits: RelayLimits,
    private readonly reads: Pick<ReadControl, 'pauseReading'>,
    private readonly counters: Counters,
  ) {
    this.#messages = new TokenBucket(limits.messagesPerSecond, limits.messageBurst);
    this.#bytes = new TokenBucket(limits.inboundBytesPerSecond, limits.inboundByteBurst);
  }

  /** Counts a message from the socket; how to close the connection when it is refused, else null. */
  refuse(data: Uint8Array): Closing | null {
    if (data.byteLength > this.limits.maxUpdateBytes + FRAMING_BYTES) {
      return { code: CloseCode.tooLarge, reason: `message over ${this.limits.maxUpdateBytes} bytes` };
    }
    if (!this.#messages.take()) return { code: CloseCode.rateLimited, reason: 'too many messages' };
    const wait = this.#bytes.charge(data.byteLength);
    if (wait > 0) {
      this.counters.add('sync.inbound-paused');
      this.reads.pauseReading(wait);
    }
    return null;
  }
}
