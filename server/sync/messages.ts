// Encoders and a bounded decoder for the y-websocket messages the relay speaks
// (y-protocols sync.js: 0 sync {0 step 1, 1 step 2, 2 update}, 1 awareness, 3 query awareness).
import * as encoding from 'lib0/encoding';
import { ByteReader, MalformedInput } from '../../shared/envelope/byte-reader.ts';
import { MessageType } from '../../shared/index.ts';

export const SyncStep = { step1: 0, step2: 1, update: 2 } as const;

export type IncomingMessage =
  | { type: 'sync-step1'; stateVector: Uint8Array }
  | { type: 'sync-update'; update: Uint8Array; step2: boolean }
  | { type: 'awareness'; payload: Uint8Array }
  | { type: 'query-awareness' }
  | { type: 'auth' }
  | { type: 'unknown'; messageType: number };

/** Decodes one message; throws MalformedInput on bytes that are not one. */
export function readMessage(bytes: Uint8Array): IncomingMessage {
  const r = new ByteReader(bytes);
  const messageType = r.readVarUint();
  switch (messageType) {
    case MessageType.sync: {
      const step = r.readVarUint();
      const payload = r.readVarBytes();
      if (step === SyncStep.step1) {
        checkStateVector(payload);
        return { type: 'sync-step1', stateVector: payload };
      }
      if (step === SyncStep.step2 || step === SyncStep.update) return { type: 'sync-update', update: payload, step2: step === SyncStep.step2 };
      throw new MalformedInput(`unknown sync message ${step}`);
    }
    case MessageType.awareness:
      return { type: 'awareness', payload: r.readVarBytes() };
    case MessageType.queryAwareness:
      return { type: 'query-awareness' };
    case MessageType.auth:
      return { type: 'auth' };
    default:
      return { type: 'unknown', messageType };
  }
}

/** A state vector is a count and that many (client, clock) pairs, nothing more. */
export function checkStateVector(sv: Uint8Array): void {
  const r = new ByteReader(sv);
  const count = r.readVarUint();
  if (count > sv.length) throw new MalformedInput('state vector count runs past the end');
  for (let i = 0; i < count; i++) {
    r.readVarUint();
    r.readVarUint();
  }
  if (!r.done) throw new MalformedInput('trailing bytes after the state vector');
}

/** checkStateVector as a predicate, for answers and query parameters. */
export function isStateVector(bytes: Uint8Array): boolean {
  try {
    checkStateVector(bytes);
    return true;
  } catch {
    return false;
  }
}

export function writeSyncStep1(stateVector: Uint8Array): Uint8Array {
  return syncMessage(SyncStep.step1, stateVector);
}

export function writeSyncStep2(update: Uint8Array): Uint8Array {
  return syncMessage(SyncStep.step2, update);
}

export function writeSyncUpdate(update: Uint8Array): Uint8Array {
  return syncMessage(SyncStep.update, update);
}

export function writeAwarenessMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.awareness);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

function syncMessage(step: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.sync);
  encoding.writeVarUint(encoder, step);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}
