// The sync handler every WebsocketProvider gets in place of y-websocket's default
// (provider.messageHandlers[0]). Sync step 1 is answered as usual; sync step 2 and updates
// pass the envelope validator and are dropped whole on any failure, so a lying relay cannot
// poison the envelope doc. A refusal only for a gap is answered with our own sync step 1,
// so the relay sends what we lack at once.
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { MessageType, applyValidatedUpdate, type EnvelopeVerdict, type RoomKey } from '../../shared/index.ts';

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
): { step: number; synced: boolean } {
  let step: number;
  try {
    step = decoding.readVarUint(decoder);
    if (step === syncProtocol.messageYjsSyncStep1) {
      const sv = decoding.readVarUint8Array(decoder);
      if (decoder.pos > decoder.arr.length) throw new RangeError('past the end');
      const reply = Y.encodeStateAsUpdate(doc, sv); // throws on a malformed vector
      encoding.writeVarUint(encoder, MessageType.sync);
      encoding.writeVarUint(encoder, syncProtocol.messageYjsSyncStep2);
      encoding.writeVarUint8Array(encoder, reply);
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
  const verdict = applyValidatedUpdate(doc, update, room, origin);
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

/** A drop-in replacement for y-websocket's messageHandlers[0]. */
export function validatingSyncHandler(room: RoomKey, events: SyncEvents = {}): SyncHandler {
  return (encoder, decoder, provider, emitSynced) => {
    const { synced } = readValidatedSyncMessage(decoder, encoder, provider.doc, room, provider, events);
    if (synced && emitSynced && !provider.synced) provider.synced = true;
  };
}
