// The sync handler every WebsocketProvider gets in place of y-websocket's default
// (provider.messageHandlers[0]). Sync step 1 is answered as usual; sync step 2 and updates
// pass the envelope validator and are dropped whole on any failure, so a lying relay cannot
// poison the envelope doc. A refusal only for a gap is answered with our own sync step 1,
// so the relay sends what we lack at once.
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { DEFAULT_LIMITS, MessageType, applyValidatedUpdate, type EnvelopeVerdict, type RoomKey } from '../../shared/index.ts';
import { splitEnvelopeUpdate } from '../../shared/index.ts';

/** Largest update we send in one message (a relay's limit); bigger ones go in pieces. */
export const MAX_SENT_UPDATE_BYTES = DEFAULT_LIMITS.maxUpdateBytes;
/** A relay's answer may hold a whole room; the relay bounds rooms, we bound what we accept. */
export const MAX_RECEIVED_UPDATE_BYTES = DEFAULT_LIMITS.maxRoomBytes;

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
): { step: number; synced: boolean } {
  let step: number;
  try {
    step = decoding.readVarUint(decoder);
    if (step === syncProtocol.messageYjsSyncStep1) {
      const sv = decoding.readVarUint8Array(decoder);
      if (decoder.pos > decoder.arr.length) throw new RangeError('past the end');
      const [first, ...rest] = splitEnvelopeUpdate(Y.encodeStateAsUpdate(doc, sv), MAX_SENT_UPDATE_BYTES); // throws on a malformed vector
      encoding.writeVarUint(encoder, MessageType.sync);
      encoding.writeVarUint(encoder, syncProtocol.messageYjsSyncStep2);
      encoding.writeVarUint8Array(encoder, first!);
      for (const piece of rest) sendLater(updateMessage(piece));
      return { step, synced: false };
    }
    if (step !== syncProtocol.messageYjsSyncStep2 && step !== syncProtocol.messageYjsUpdate) {
      events.onRejected?.({ ok: false, reason: 'malformed', detail: `unknown sync message ${step}` });
      return { step, synced: false };
    }
  } catch {
    events.onRejected?.({ ok: false, reason: 'malformed', detail: 'unreadable sync message' });
    return { step: -1, synced: false };
  }
  let update: Uint8Array;
  try {
    update = decoding.readVarUint8Array(decoder);
    if (decoder.pos > decoder.arr.length) throw new RangeError('past the end');
  } catch {
    events.onRejected?.({ ok: false, reason: 'malformed', detail: 'unreadable sync message' });
    return { step, synced: false };
  }
  const verdict = applyValidatedUpdate(doc, update, room, origin, { maxUpdateBytes: MAX_RECEIVED_UPDATE_BYTES });
  if (!verdict.ok) {
    events.onRejected?.(verdict);
    if (verdict.reason === 'gap') {
      encoding.writeVarUint(encoder, MessageType.sync);
      syncProtocol.writeSyncStep1(encoder, doc);
    }
    return { step, synced: false };
  }
  events.onAccepted?.(verdict, step === syncProtocol.messageYjsSyncStep2);
  return { step, synced: step === syncProtocol.messageYjsSyncStep2 };
}

/** A sync update message: what y-websocket sends for each local change. */
export function updateMessage(update: Uint8Array): Uint8Array<ArrayBuffer> {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.sync);
  syncProtocol.writeUpdate(e, update);
  return encoding.toUint8Array(e) as Uint8Array<ArrayBuffer>;
}

/** A drop-in replacement for y-websocket's messageHandlers[0]. */
export function validatingSyncHandler(room: RoomKey, events: SyncEvents = {}): SyncHandler {
  return (encoder, decoder, provider, emitSynced) => {
    // The reply is sent when the handler returns; the rest of a split answer right after it.
    const ws = provider.ws;
    const sendLater = (message: Uint8Array<ArrayBuffer>) => setTimeout(() => provider.ws === ws && ws?.send(message), 0);
    const { synced } = readValidatedSyncMessage(decoder, encoder, provider.doc, room, provider, events, sendLater);
    if (synced && emitSynced && !provider.synced) provider.synced = true;
  };
}
