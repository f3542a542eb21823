// A live link of one loaded room to a peer relay: a y-websocket client of the peer's
// /v1/sync/<room>?receipts=1&peer=1, attached to the local room. What the peer sends goes
// through room.receive like any client's update; a gap is answered with sync step 1; a
// refused update drops the link (a lying peer), which then retries with a longer backoff.
// A peer that sends faster than the relay checks is read more slowly, as a client is
// (server/sync/read-gate.ts, verify-budget.ts): its link is not dropped for the relay's load.
import WebSocket from 'ws';
import * as Y from 'yjs';
import { splitEnvelopeUpdate } from '#shared';
import { isStateVector, readMessage, writeSyncStep1, writeSyncUpdate, type WireMessage } from '#shared/wire/index.ts';
import type { VerifyBacklog } from '../verify/backlog.ts';
import { ReadGate } from '../sync/read-gate.ts';
import { VerifyBudget } from '../sync/verify-budget.ts';
import type { Acceptance, Room, RoomLink } from '../rooms/room.ts';
import { Backoff } from '#shared/backoff.ts';
import { lowerTo } from './bulk.ts';

export interface LiveLinkHost {
  /** The peer's base URL (http or https). */
  readonly url: string;
  readonly maxMessageBytes: number;
  readonly keepaliveMs: number;
  maxUpdateBytes(): number;
  newBackoff(): Backoff;
  /** The link's state changed (connected, receipt, refusal); for status and dirty tracking. */
  linkEvent(link: LiveLink, event: LinkEvent, detail?: string): void;
}

/**
 * What happened to a link: connected, closed, a receipt, an update refused (the link drops);
 * reading paused while its updates wait for their checks; an update skipped for the relay's load.
 */
export type LinkEvent = 'up' | 'down' | 'receipt' | 'refused' | 'paused' | 'skipped';

/** Bytes queued to the peer past which its sync step 1 goes unanswered. */
const ANSWER_BACKLOG_BYTES = 4 * 1024 * 1024;

/** Updates forwarded within this window go out merged as one message. */
const COALESCE_MS = 15;

interface Reading {
  gate: ReadGate;
  /** The socket's updates waiting for their checks, as one sender of the relay-wide backlog. */
  budget: VerifyBudget;
}

export class LiveLink implements RoomLink {
  #ws: WebSocket | null = null;
  #open = false;
  #closed = false;
  #retry: NodeJS.Timeout | null = null;
  /** The link dropped since it last opened: the next opening reads back what the peer had not confirmed. */
  #dropped = false;
  #ping: NodeJS.Timeout | null = null;
  #flush: NodeJS.Timeout | null = null;
  #queue: Uint8Array[] = [];
  #alive = true;
  readonly #backoff: Backoff;
  /** The peer's state vector from its last sync step 1 or receipt. */
  remoteSv: Uint8Array | null = null;
  lastSyncAt: number | null = null;

  /** Reading the open socket to the peer, paused while its updates wait for their checks. */
  #reading: Reading | null = null;
  /** An update was skipped for the relay's load: the peer is asked again once this link's checks end. */
  #skipped = false;

  constructor(
    readonly room: Room,
    private readonly host: LiveLinkHost,
    /** The relay's updates waiting for their checks, which a peer's count among. */
    private readonly backlog: VerifyBacklog,
  ) {
    this.#backoff = host.newBackoff();
    room.links.add(this);
    this.#connect();
  }

  get connected(): boolean {
    return this.#open;
  }

  forward(update: Uint8Array): void {
    if (!this.#open) return; // the reconnect's sync step 1 exchange carries it later
    this.#queue.push(update);
    this.#flush ??= setTimeout(() => this.#sendQueued(), COALESCE_MS);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.room.links.delete(this);
    this.#stopTimers();
    this.#stopReading();
    this.backlog.forget(this.#askAgainIfSkipped);
    if (this.#retry) clearTimeout(this.#retry);
    const ws = this.#ws;
    this.#ws = null;
    this.#open = false;
    if (ws) {
      ws.removeAllListeners();
      ws.on('error', () => {});
      if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
      else ws.close(1000, 'room unloaded');
    }
  }

  #connect(): void {
    if (this.#closed) return;
    const url = `${this.host.url.replace(/^http/, 'ws')}/v1/sync/${this.room.name}?receipts=1&peer=1`;
    const ws = new WebSocket(url, { maxPayload: this.host.maxMessageBytes, handshakeTimeout: 10_000, followRedirects: false });
    ws.binaryType = 'arraybuffer';
    this.#ws = ws;
    const gate = new ReadGate(
      { pauseReading: () => ws.pause(), resumeReading: () => ws.resume() },
      (bytes) => this.#onMessage(bytes),
      // More messages in one read than a paused link holds: it is dropped, not believed less.
      () => ws.terminate(),
    );
    // Its own count of updates waiting: one left paused by the socket before would not pause this one.
    this.#reading = { gate, budget: new VerifyBudget(gate, this.backlog, () => this.host.linkEvent(this, 'paused')) };
    ws.on('open', () => {
      this.#open = true;
      this.#alive = true;
      // After a drop, ask from what the peer last confirmed: its bytes at the ids we gained
      // since then come back and are compared with ours (docs/PROTOCOL.md §3, "Displaced writes").
      const ours = this.room.stateVector();
      this.#send(writeSyncStep1(this.#dropped && this.remoteSv ? lowerTo(ours, this.remoteSv) : ours));
      this.#dropped = false;
      this.#ping = setInterval(() => this.#keepalive(), this.host.keepaliveMs);
      this.#ping.unref();
      this.host.linkEvent(this, 'up');
    });
    ws.on('message', (data: ArrayBuffer) => gate.offer(new Uint8Array(data)));
    ws.on('pong', () => (this.#alive = true));
    ws.on('close', (code: number) => this.#onClose(code));
    ws.on('error', () => {}); // 'close' follows and schedules the retry
  }

  #onMessage(bytes: Uint8Array): void {
    if (this.#closed) return;
    this.#alive = true;
    const read = readMessage(bytes);
    if (!read.ok) {
      // Unknown types and epoch hints are not for links; anything else unreadable is a lie.
      if (read.fault !== 'unknown-type' && read.fault !== 'bad-epoch') this.#refuse('undecodable message');
      return;
    }
    try {
      this.#handle(read.message);
    } catch {
      this.#refuse('undecodable message');
    }
  }

  #handle(message: WireMessage): void {
    if (message.type === 'receipt') {
      if (!isStateVector(message.stateVector)) return this.#refuse('undecodable message');
      this.remoteSv = message.stateVector;
      this.lastSyncAt = Date.now();
      this.host.linkEvent(this, 'receipt');
      return;
    }
    if (message.type === 'sync-step1') {
      this.remoteSv = message.stateVector;
      this.#backoff.reset(); // the peer answers: a later drop starts from a short wait
      // A peer that asks again before reading the last answer gets no second copy queued:
      // it asks again once it reads (its own next step 1, or the next reconnect).
      if ((this.#ws?.bufferedAmount ?? 0) > ANSWER_BACKLOG_BYTES) return;
      for (const piece of splitEnvelopeUpdate(this.room.diff(message.stateVector), this.host.maxUpdateBytes())) {
        this.#send(writeSyncUpdate(piece));
      }
      this.lastSyncAt = Date.now();
      return;
    }
    if (message.type === 'sync-update') {
      const budget = this.#reading?.budget;
      if (!budget) return;
      const bytes = message.update.length;
      if (!budget.start(bytes)) {
        // The relay has too much waiting for its checks (its reading of this link is paused
        // well before that, so other senders filled it): skipped, and asked for again.
        this.#skipped = true;
        this.host.linkEvent(this, 'skipped');
        if (budget.waiting === 0) this.backlog.whenDrained(this.#askAgainIfSkipped);
        return;
      }
      // Verified in the relay's worker threads; the room applies updates in arrival order.
      void this.room.receiveVerified(message.update, this).then((result) => {
        budget.done(bytes);
        this.#received(result);
        this.#askAgainIfSkipped();
      });
    }
    // Awareness, keepalives, auth and epoch hints: presence stays with each relay's own clients.
  }

  #received(result: Acceptance): void {
    if (this.#closed) return;
    if (result.ok) {
      this.lastSyncAt = Date.now();
      return;
    }
    if (result.code === 'busy') return; // not verified (closing): the next exchange brings it again
    if (result.code === 'gap') {
      this.#send(writeSyncStep1(this.room.stateVector()));
      return;
    }
    this.#refuse(`${result.code} (${result.reason})`);
  }

  /** Once nothing of this link waits for its checks, what was skipped is asked for (sync step 1). */
  readonly #askAgainIfSkipped = (): void => {
    if (!this.#skipped || this.#closed || !this.#open || (this.#reading?.budget.waiting ?? 0) > 0) return;
    this.#skipped = false;
    this.#send(writeSyncStep1(this.room.stateVector()));
  };

  #refuse(reason: string): void {
    this.host.linkEvent(this, 'refused', reason);
    this.#backoff.penalise();
    this.#ws?.removeAllListeners('message'); // nothing more from this socket is believed
    this.#stopReading();
    try {
      this.#ws?.close(4400, 'bad update');
    } catch {
      this.#ws?.terminate();
    }
  }

  #onClose(code: number): void {
    const wasOpen = this.#open;
    if (wasOpen) this.#dropped = true;
    this.#open = false;
    this.#ws = null;
    this.#stopReading();
    this.#skipped = false; // the next opening's sync step 1 asks for all of it
    this.#stopTimers();
    this.#queue = [];
    if (this.#closed) return;
    if (wasOpen) this.host.linkEvent(this, 'down', `closed ${code}`);
    this.#retry = setTimeout(() => {
      this.#retry = null;
      this.#connect();
    }, this.#backoff.next());
    this.#retry.unref();
  }

  #keepalive(): void {
    const ws = this.#ws;
    if (!ws || !this.#open) return;
    if (!this.#alive) {
      ws.terminate(); // no answer for a whole interval: a dead path
      return;
    }
    this.#alive = false;
    ws.ping();
  }

  #sendQueued(): void {
    this.#flush = null;
    const queue = this.#queue;
    this.#queue = [];
    if (queue.length === 0 || !this.#open) return;
    const merged = queue.length === 1 ? queue[0]! : Y.mergeUpdates(queue);
    for (const piece of splitEnvelopeUpdate(merged, this.host.maxUpdateBytes())) this.#send(writeSyncUpdate(piece));
  }

  #send(message: Uint8Array): void {
    try {
      this.#ws?.send(message);
    } catch {
      // closing; the close handler reconnects
    }
  }

  /** Nothing more is taken from the socket; a paused one is read again, so that its close completes. */
  #stopReading(): void {
    this.#reading?.gate.close();
    this.#reading?.budget.close();
    this.#reading = null;
  }

  #stopTimers(): void {
    if (this.#ping) clearInterval(this.#ping);
    if (this.#flush) clearTimeout(this.#flush);
    this.#ping = null;
    this.#flush = null;
  }
}
