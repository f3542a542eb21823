// One relay's connection for one room: a y-websocket provider with the validating sync
// handler and a receipt handler, and an HTTP poller for where WebSockets are blocked.
import type { Awareness } from 'y-protocols/awareness';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { CloseCode, MessageType, readFromDecoder, writeSyncStep1, writeSyncUpdate, type EnvelopeVerdict, type NewBlob, type RoomKey, type RoomName } from '#shared';
import { jitter } from '#shared/backoff.ts';
import { guardedWebSocket } from './guarded-socket.ts';
import { pullRoom, pushMissing, relayAnswers, RelayHttpError, type Fetch } from './http-sync.ts';
import { decodeStateVectorSafe, type StateVector } from './receipts.ts';
import { syncServerUrl } from './relay-url.ts';
import { splitEnvelopeUpdate } from '#shared';
import { MAX_SENT_UPDATE_BYTES, validatingSyncHandler } from './validating-sync.ts';

/** What was observed of a relay, never why (docs/PROTOCOL.md §8, "Relay states"). */
export type RelayState = 'connecting' | 'synced' | 'unreachable' | 'refused' | 'bad-data';
export type Transport = 'websocket' | 'http';

export interface RelayStatus {
  relay: string;
  state: RelayState;
  transport: Transport;
  /**
   * Updates from this relay the validator refused (a lying or broken relay). Once it is above
   * zero the state reads 'bad-data' (lastError "sent invalid data: ...") even while the
   * connection itself is synced: such a relay is not to be counted on, for this session.
   */
  rejected: number;
  /** Failed attempts in a row, over every transport. */
  failures: number;
  /** When the current run of failures (or the refusal) began, in ms; null while it answers. */
  since: number | null;
  /** For 'refused': whether the connection itself or data we sent was refused. */
  refused?: 'connection' | 'data';
  lastError: string | null;
}

export interface ConnectionOptions {
  WebSocket?: typeof WebSocket;
  fetch?: Fetch;
  /** Upper bound of the reconnect backoff; each wait is jittered around it. */
  maxBackoffMs?: number;
  /** Failed WebSocket attempts in a row before the HTTP fallback is tried. */
  wsFailuresBeforeHttp?: number;
  pollMs?: number;
}

/** What a connection needs from its space. */
export interface ConnectionTarget {
  room: RoomName;
  key: RoomKey;
  envelope: Y.Doc;
  awareness: Awareness;
  relaySv(relay: string): StateVector | undefined;
  onReceipt(relay: string, sv: StateVector): void;
  /** The relay holds other bytes than we do at these ids (docs/PROTOCOL.md §3, "Displaced writes"). */
  onConflicts?(relay: string, conflicts: NewBlob[]): void;
  /** The relay says a newer epoch of the space holds a snapshot (a hint, checked by syncing it). */
  onNewerEpoch?(relay: string, epoch: number): void;
  onStatus(status: RelayStatus): void;
}

const DEFAULTS = { maxBackoffMs: 2500, wsFailuresBeforeHttp: 3, pollMs: 3000 };
const QUIET_AFTER_FAILURES = 6;

export class RelayConnection {
  readonly provider: WebsocketProvider;
  private state: RelayState = 'connecting';
  private transport: Transport = 'websocket';
  private rejected = 0;
  private lastError: string | null = null;
  /** Why the latest refused message from this relay was refused. */
  private invalid: string | null = null;
  private failures = 0;
  private since: number | null = null;
  private refusal: 'connection' | 'data' | undefined;
  private wsFailures = 0;
  private httpTimer: ReturnType<typeof setTimeout> | null = null;
  private httpDue = 0;
  private httpBusy = false;
  /** A local change arrived during a poll: poll again right after it. */
  private httpAgain = false;
  private closed = false;
  private readonly opts: Required<Omit<ConnectionOptions, 'WebSocket' | 'fetch'>> & { fetch: Fetch };
  private readonly onDocUpdate: (update: Uint8Array, origin: unknown) => void;

  constructor(
    readonly relay: string,
    private readonly target: ConnectionTarget,
    options: ConnectionOptions = {},
  ) {
    this.opts = {
      maxBackoffMs: options.maxBackoffMs ?? DEFAULTS.maxBackoffMs,
      wsFailuresBeforeHttp: options.wsFailuresBeforeHttp ?? DEFAULTS.wsFailuresBeforeHttp,
      pollMs: options.pollMs ?? DEFAULTS.pollMs,
      fetch: options.fetch ?? globalThis.fetch.bind(globalThis),
    };
    const WS = options.WebSocket ?? (globalThis as { WebSocket?: typeof WebSocket }).WebSocket;
    if (!WS) throw new Error('no WebSocket implementation: pass one in the client options');
    this.provider = new WebsocketProvider(syncServerUrl(relay), target.room, target.envelope, {
      params: { receipts: '1', epochs: '1' },
      WebSocketPolyfill: guardedWebSocket(WS, {
        onUnreadable: () => this.refused('an unreadable message'),
        onTooLarge: (bytes) => this.refused(`a message over the cap${bytes === null ? '' : ` (${bytes} bytes)`}`),
      }),
      awareness: target.awareness,
      disableBc: true, // other tabs would bypass the validator
      maxBackoffTime: jitter(this.opts.maxBackoffMs),
      connect: false,
      // Forbidden is a relay's deliberate refusal; everything else may pass with time.
      shouldReconnect: (event) => event.code !== CloseCode.forbidden,
    });
    // Each provider adds a process 'exit' listener (in Node) to clear its presence; ours sends
    // none, and dozens of rooms would trip Node's listener-leak warning.
    (globalThis as { process?: { off?: (event: string, fn: () => void) => void } }).process?.off?.('exit', this.provider._exitHandler);
    // A relay's sync step 1 is not a receipt (it may hold writes not yet on disk); our answer
    // to it is an update like any other, which the relay confirms with a receipt once durable.
    this.provider.messageHandlers[MessageType.sync] = validatingSyncHandler(target.key, {
      onAccepted: (verdict) => this.accepted(verdict),
      onRejected: (verdict) => {
        if (verdict.reason === 'gap') return;
        this.refused(`an update refused: ${verdict.reason} (${verdict.detail})`);
      },
    });
    // Malformed receipts and hints are ignored.
    this.provider.messageHandlers[MessageType.receipt] = (_encoder, decoder) => {
      const read = readFromDecoder(MessageType.receipt, decoder);
      const sv = read.ok && read.message.type === 'receipt' ? decodeStateVectorSafe(read.message.stateVector) : null;
      if (sv) target.onReceipt(relay, sv);
    };
    this.provider.messageHandlers[MessageType.newerEpoch] = (_encoder, decoder) => {
      const read = readFromDecoder(MessageType.newerEpoch, decoder);
      if (read.ok && read.message.type === 'newer-epoch') target.onNewerEpoch?.(relay, read.message.epoch);
    };
    this.guardHandlers();
    this.answerUnknownTypes();
    // y-websocket forwards every doc change as one message; one relay's whole answer, passed
    // on to another relay, can exceed its limit, so large changes go in gap-free pieces.
    target.envelope.off('update', this.provider._updateHandler);
    this.provider._updateHandler = (update: Uint8Array, origin: unknown) => {
      const ws = this.provider.ws;
      if (origin === this.provider || !this.provider.wsconnected || !ws || ws.readyState !== ws.OPEN) return;
      for (const piece of splitEnvelopeUpdate(update, MAX_SENT_UPDATE_BYTES)) ws.send(writeSyncUpdate(piece));
    };
    target.envelope.on('update', this.provider._updateHandler);
    this.provider.on('sync', (synced: boolean) => {
      if (!synced) return;
      this.answered();
      this.wsFailures = 0;
      this.stopHttp();
      this.transport = 'websocket';
      this.setState('synced');
    });
    this.provider.on('connection-close', (event: CloseEvent | null) => {
      if (this.closed) return;
      this.provider.maxBackoffTime = jitter(this.opts.maxBackoffMs);
      if (event && event.code === CloseCode.forbidden) return this.block(`relay refused the connection (${event.code})`);
      // The relay closed on something we sent: it refused our data (it may take it again later).
      if (event && (event.code === CloseCode.badMessage || event.code === CloseCode.tooLarge)) this.refusal = 'data';
      this.wsFailed(event ? `connection closed (${event.code}${event.reason ? `: ${event.reason}` : ''})` : 'connection lost');
    });
    this.provider.on('connection-error', () => {
      if (!this.closed && !this.provider.wsconnected) this.lastError = 'WebSocket connection failed';
    });
    this.onDocUpdate = (_update, origin) => {
      if (this.transport === 'http' && origin !== this) this.scheduleHttp(50);
    };
    target.envelope.on('update', this.onDocUpdate);
    this.provider.connect();
  }

  status(): RelayStatus {
    const base = { relay: this.relay, transport: this.transport, rejected: this.rejected, failures: this.failures, since: this.since };
    if (this.invalid && this.state === 'synced') return { ...base, state: 'bad-data', lastError: `sent invalid data: ${this.invalid}` };
    return { ...base, state: this.state, lastError: this.lastError, ...(this.state === 'refused' && this.refusal ? { refused: this.refusal } : {}) };
  }

  /** The transport's own state (synced even when the relay also sent invalid data). */
  get syncState(): RelayState {
    return this.state;
  }

  /**
   * Asks the relay for what it holds of some clients from these clocks on (the rest of our
   * state vector as it is), so that the validator compares its bytes with ours.
   */
  readBack(from: Map<number, number>): void {
    if (this.closed) return;
    const sv = Y.decodeStateVector(Y.encodeStateVector(this.target.envelope));
    for (const [client, clock] of from) sv.set(client, Math.min(clock, sv.get(client) ?? 0));
    const vector = Y.encodeStateVector(sv);
    const ws = this.provider.ws;
    if (this.provider.wsconnected && ws && ws.readyState === ws.OPEN) {
      ws.send(writeSyncStep1(vector));
      return;
    }
    if (this.transport !== 'http') return;
    void pullRoom(this.opts.fetch, this.relay, this.target.room, this.target.envelope, this.target.key, this, undefined, undefined, vector)
      .then((verdict) => this.accepted(verdict))
      .catch(() => {
        // the next receipt asks again for anything still unchecked
      });
  }

  private accepted(verdict: EnvelopeVerdict): void {
    if (verdict.ok && verdict.conflicts) this.target.onConflicts?.(this.relay, verdict.conflicts);
  }

  private refused(why: string): void {
    this.rejected++;
    this.invalid = why;
    this.lastError = `sent invalid data: ${why}`;
    this.emit();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.stopHttp();
    this.target.envelope.off('update', this.onDocUpdate);
    this.provider.destroy();
  }

  /** A hostile relay's malformed awareness or auth message must not throw out of the socket handler. */
  private guardHandlers(): void {
    const handlers = this.provider.messageHandlers;
    for (let i = 0; i < handlers.length; i++) {
      const handler = handlers[i];
      if (!handler) continue;
      handlers[i] = (...args) => {
        try {
          handler(...args);
        } catch {
          this.refused(`a malformed message of type ${i}`);
        }
      };
    }
  }

  /**
   * y-websocket prints "Unable to compute message" for each message of a type it has no handler
   * for: a hostile relay could flood the console. Every type has one here; unknown types are
   * counted as refused, silently.
   */
  private answerUnknownTypes(): void {
    const unknown = (): void => this.refused('a message of an unknown type');
    this.provider.messageHandlers = new Proxy(this.provider.messageHandlers, {
      get: (handlers, key, receiver) => Reflect.get(handlers, key, receiver) ?? (typeof key === 'string' && /^\d+$/.test(key) ? unknown : undefined),
    });
  }

  private wsFailed(reason: string): void {
    this.wsFailures++;
    if (this.transport === 'http') return; // the poller keeps the state
    this.lastError = reason;
    this.failed();
    if (this.wsFailures >= this.opts.wsFailuresBeforeHttp) this.scheduleHttp(0);
    this.setState(this.failureState());
  }

  /** One lost connection is a reconnect; two in a row, the relay is not answering (or refused our data). */
  private failureState(): RelayState {
    if (this.refusal === 'data') return 'refused';
    return this.failures >= 2 ? 'unreachable' : 'connecting';
  }

  private failed(): void {
    if (this.failures++ === 0) this.since = Date.now();
  }

  private answered(): void {
    this.failures = 0;
    this.since = null;
    this.refusal = undefined;
  }

  /** The relay refused the connection: not retried (docs/PROTOCOL.md §8, "Relay states"). */
  private block(reason: string): void {
    this.lastError = reason;
    this.since ??= Date.now();
    this.refusal = 'connection';
    this.stopHttp();
    this.setState('refused');
  }

  /** Polls after `delay`, or sooner if a poll is already due sooner. */
  private scheduleHttp(delay: number): void {
    if (this.closed) return;
    if (this.httpBusy) {
      this.httpAgain = true;
      return;
    }
    if (this.httpTimer) {
      if (this.httpDue <= Date.now() + delay) return;
      clearTimeout(this.httpTimer);
    }
    this.httpDue = Date.now() + delay;
    this.httpTimer = setTimeout(() => {
      this.httpTimer = null;
      void this.pollHttp();
    }, delay);
  }

  private stopHttp(): void {
    if (this.httpTimer) clearTimeout(this.httpTimer);
    this.httpTimer = null;
  }

  /** One HTTP round: pull what we lack, push what the relay lacks, then poll again later. */
  private async pollHttp(): Promise<void> {
    if (this.closed || this.httpBusy || this.provider.synced) return;
    this.httpBusy = true;
    this.httpAgain = false;
    try {
      if (this.transport !== 'http' && !(await relayAnswers(this.opts.fetch, this.relay))) throw new RelayHttpError(0, 'unreachable', 'relay does not answer over HTTP either');
      const verdict = await pullRoom(this.opts.fetch, this.relay, this.target.room, this.target.envelope, this.target.key, this, undefined, (epoch) =>
        this.target.onNewerEpoch?.(this.relay, epoch),
      );
      if (!verdict.ok && verdict.reason !== 'gap') this.refused(`an update refused: ${verdict.reason} (${verdict.detail})`);
      this.accepted(verdict);
      const sv = await pushMissing(this.opts.fetch, this.relay, this.target.room, this.target.envelope, this.target.relaySv(this.relay));
      if (this.closed) return;
      this.target.onReceipt(this.relay, sv);
      this.transport = 'http';
      this.answered();
      this.setState('synced');
    } catch (err) {
      if (this.closed) return;
      this.lastError = (err as Error).message;
      this.failed();
      if (err instanceof RelayHttpError && (err.status === 403 || err.status === 451)) return this.block(err.message);
      if (this.transport === 'http') this.transport = 'websocket';
      this.setState(this.failureState());
    } finally {
      this.httpBusy = false;
    }
    // After many failures the poller rests; each failed WebSocket attempt still polls once.
    if (!this.closed && !this.provider.synced && this.refusal !== 'connection' && this.failures < QUIET_AFTER_FAILURES) this.scheduleHttp(this.httpAgain ? 0 : jitter(this.opts.pollMs));
  }

  private setState(state: RelayState): void {
    this.state = state;
    this.emit();
  }

  private emit(): void {
    this.target.onStatus(this.status());
  }
}

