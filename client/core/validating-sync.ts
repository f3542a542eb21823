// The sync handler every WebsocketProvider gets in place of y-websocket's default
// (provider.messageHandlers[0]). Sync step 1 is answered as usual, one answer in flight per
// connection (client/core/step1-gate.ts); sync step 2 and updates
// pass the envelope validator and are dropped whole on any failure, so a lying relay cannot
// poison the envelope doc. A refusal only for a gap is answered with our own sync step 1,
// so the relay sends what we lack at once. A large update is checked off the main thread
// (client/core/update-check.ts): its verdict, reply and "synced" come when the check ends.
import * as Y from 'yjs';
import type * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { EnvelopeVerdict, RoomKey } from '#shared';
import { holdStep1, step1Answer } from './step1-gate.ts';
import { applyCheckedUpdate } from './update-check.ts';
import { MAX_RECEIVED_UPDATE_BYTES, MAX_SENT_UPDATE_BYTES, MessageType, SyncStep, readFromDecoder, writeSyncStep1 } from '#shared/wire/index.ts';

// The caps live with the wire module; these names stay importable from here.
export { MAX_RECEIVED_UPDATE_BYTES, MAX_SENT_UPDATE_BYTES };

export interface SyncEvents {
  /** An update from the peer passed validation (applied, or already held). */
  onAccepted?: (verdict: EnvelopeVerdict & { ok: true }, step2: boolean) => void;
  /** An update from the peer was refused. */
  onRejected?: (verdict: EnvelopeVerdict & { ok: false }) => void;
}

/** What the handler needs from a provider: y-websocket's own fields. */
export interface SyncTarget {
  doc: Y.Doc;
  synced: boolean;
  ws: WebSocket | null;
}

export type SyncHandler = (
  encoder: encoding.Encoder,
  decoder: decoding.Decoder,
  provider: SyncTarget,
  emitSynced: boolean,
  messageType: number,
) => void;

/**
 * Reads one sync message (type byte already read) and writes the reply, if any, into the
 * encoder. Throws nothing: a malformed message is refused like an invalid update.
 */
export function readValidatedSyncMessage(
  decoder: decoding.Decoder,
  encoder: encoding.Encoder,
  doc: Y.Doc,
  room: RoomKey,
  origin: unknown,
  events: SyncEvents = {},
  /** Sends further messages after the reply (the rest of an answer too large for one). */
  sendLater: (message: Uint8Array<ArrayBuffer>) => void = () => {},
  /** Called once a large update checked off the main thread turns out valid, when it ends a sync step 2. */
  onLateSynced: () => void = () => {},
  /** True when a sync step 1 is to be answered later (client/core/step1-gate.ts). */
  holdStep1?: (stateVector: Uint8Array) => boolean,
): { step: number; synced: boolean; pending?: Promise<void> } {
  const read = readFromDecoder(MessageType.sync, decoder);
  if (!read.ok) {
    events.onRejected?.({ ok: false, reason: 'malformed', detail: read.fault === 'unknown-sync-step' ? read.detail : 'unreadable sync message' });
    return { step: -1, synced: false };
  }
  const message = read.message;
  if (message.type === 'sync-step1') {
    if (holdStep1?.(message.stateVector)) return { step: SyncStep.step1, synced: false };
    try {
      const [first, ...rest] = step1Answer(doc, message.stateVector);
      encoding.writeUint8Array(encoder, first!);
      for (const piece of rest) sendLater(piece);
    } catch {
      events.onRejected?.({ ok: false, reason: 'malformed', detail: 'unreadable sync message' });
    }
    return { step: SyncStep.step1, synced: false };
  }
  if (message.type !== 'sync-update') return { step: -1, synced: false }; // a sync message is one of the two
  const { update } = message;
  const step = message.step2 ? SyncStep.step2 : SyncStep.update;
  const checked = applyCheckedUpdate(doc, update, room, origin, MAX_RECEIVED_UPDATE_BYTES);
  if (checked instanceof Promise) {
    const pending = checked.then((verdict) => {
      const reply = encoding.createEncoder();
      if (settle(verdict, reply, doc, message.step2, events)) onLateSynced();
      if (encoding.length(reply) > 0) sendLater(encoding.toUint8Array(reply));
    });
    return { step, synced: false, pending };
  }
  return { step, synced: settle(checked, encoder, doc, message.step2, events) };
}

/** Reports a verdict and writes the reply to a gap; true when it completes a sync step 2. */
function settle(verdict: EnvelopeVerdict, encoder: encoding.Encoder, doc: Y.Doc, step2: boolean, events: SyncEvents): boolean {
  if (!verdict.ok) {
    events.onRejected?.(verdict);
    if (verdict.reason === 'gap') encoding.writeUint8Array(encoder, writeSyncStep1(Y.encodeStateVector(doc)));
    return false;
  }
  events.onAccepted?.(verdict, step2);
  return step2;
}

/** A drop-in replacement for y-websocket's messageHandlers[0]. */
export function validatingSyncHandler(room: RoomKey, events: SyncEvents = {}): SyncHandler {
  return (encoder, decoder, provider, emitSynced) => {
    // The reply is sent when the handler returns; the rest of a split answer right after it.
    const ws = provider.ws;
    const sendLater = (message: Uint8Array<ArrayBuffer>) => setTimeout(() => provider.ws === ws && ws?.send(message), 0);
    const markSynced = () => {
      if (emitSynced && !provider.synced && provider.ws === ws) provider.synced = true;
    };
    const answerLater = (stateVector: Uint8Array) => {
      try {
        for (const message of step1Answer(provider.doc, stateVector)) ws?.send(message);
      } catch {
        events.onRejected?.({ ok: false, reason: 'malformed', detail: 'unreadable sync message' });
      }
    };
    const hold = (stateVector: Uint8Array) => ws !== null && holdStep1(ws, stateVector, answerLater, () => provider.ws === ws);
    const { synced } = readValidatedSyncMessage(decoder, encoder, provider.doc, room, provider, events, sendLater, markSynced, hold);
    if (synced) markSynced();
  };
}
