// A sync client's updates on their way into its room. Each waits for its signature checks
// within the connection's verify budget (verify-budget.ts) and the relay-wide backlog; the
// room's verdict is then answered: a receipt for an accepted update (to a client that asked),
// sync step 1 for a gap (no offence: the sender fills it at once), and a close for anything
// else, with a code that ends a stock client's retries (4400-4499) unless the update could not
// be checked (the relay is busy or closing) and may come again later.
import { CloseCode, PROTOCOL_VERSION, writeReceipt } from '#shared';
import { writeSyncStep1 } from '#shared/wire/index.ts';
import type { Acceptance, Room } from '../rooms/room.ts';
import type { VerifyBacklog } from '../verify/backlog.ts';
import type { Closing } from './inbound.ts';
import { Receipts } from './receipts.ts';
import type { ReadControl } from './read-gate.ts';
import { VerifyBudget } from './verify-budget.ts';

/** What the intake needs of its connection. */
export interface UpdateSource {
  /** Whom the room hears the updates from. */
  readonly origin: unknown;
  isOpen(): boolean;
  send(message: Uint8Array): void;
  close(code: number, reason: string): void;
  /** An update of this connection added blobs. */
  progressed(): void;
}

export class UpdateIntake {
  readonly #verifying: VerifyBudget;
  #receipts: Receipts | null = null;

  constructor(
    socket: ReadControl,
    backlog: VerifyBacklog,
    onPause: () => void,
    private readonly source: UpdateSource,
  ) {
    this.#verifying = new VerifyBudget(socket, backlog, onPause);
  }

  /** Sends a receipt once each accepted update is durable (`durable` resolves with the state vector then). */
  sendReceipts(durable: () => Promise<Uint8Array>): void {
    this.#receipts = new Receipts(durable, (sv) => this.source.send(writeReceipt(sv)), () => this.source.isOpen());
  }

  receive(room: Room, update: Uint8Array): void {
    // Verified in the relay's worker threads; the room applies its updates in arrival order.
    const bytes = update.length;
    if (!this.#verifying.start(bytes)) {
      this.source.close(1013, 'too many updates waiting for verification');
      return;
    }
    void room.receiveVerified(update, this.source.origin).then((result) => {
      this.#verifying.done(bytes);
      if (this.source.isOpen()) this.#answer(room, result);
    });
  }

  /** The connection is gone. */
  close(): void {
    this.#verifying.close();
  }

  #answer(room: Room, result: Acceptance): void {
    if (result.ok) {
      if (result.added > 0) this.source.progressed();
      this.#receipts?.accepted();
      return;
    }
    if (result.code === 'gap') {
      // Not an offence: ask for what is missing so the sender fills the gap at once.
      this.source.send(writeSyncStep1(room.stateVector()));
      return;
    }
    const { code, reason } = closingFor(result);
    this.source.close(code, reason);
  }
}

/** The close for a refused update other than a gap. */
function closingFor(result: Extract<Acceptance, { ok: false }>): Closing {
  if (result.code === 'busy') return { code: 1013, reason: 'try again later' };
  const code = result.code === 'bad-update' ? CloseCode.badMessage : CloseCode.tooLarge;
  // A protocol-1 client gets one plain reason (close codes 4400-4499 end a stock client's retries).
  const retired = result.blobReason === 'retired-version';
  return { code, reason: retired ? `protocol 1 is retired: this relay speaks protocol ${PROTOCOL_VERSION}` : `${result.code}: ${result.reason}` };
}
