// The messages of `/v1/sync/<room>` (docs/PROTOCOL.md §4): y-websocket's (y-protocols
// sync.js: 0 sync {0 step 1, 1 step 2, 2 update}, 1 awareness, 2 auth, 3 query awareness)
// and Baton's own from 100. One writer and one reader per message, dispatched through
// tables keyed by type. Reading never throws: bytes that are no message come back as a fault.
import * as encoding from 'lib0/encoding';
import { ByteReader, MalformedInput } from '../envelope/byte-reader.ts';
import { MAX_EPOCH } from '../ids.ts';

/** y-websocket message types, then Baton's own from 100. */
export const MessageType = {
  sync: 0,
  awareness: 1,
  auth: 2,
  queryAwareness: 3,
  receipt: 100,
  newerEpoch: 101,
} as const;

/** The sub-types of a sync message. */
export const SyncStep = { step1: 0, step2: 1, update: 2 } as const;

export type WireMessage =
  | { type: 'sync-step1'; stateVector: Uint8Array }
  /** Sync step 2 (`step2`, the answer to a step 1) or a plain update: both carry an update. */
  | { type: 'sync-update'; update: Uint8Array; step2: boolean }
  | { type: 'awareness'; payload: Uint8Array }
  /** y-protocols auth, kept whole: a relay asks for none and never sends one. */
  | { type: 'auth'; payload: Uint8Array }
  | { type: 'query-awareness' }
  /**
   * Message 100: the room's state vector once an accepted update is durably stored. Read as
   * bytes: each reader decodes it into what it keeps, and checks it there.
   */
  | { type: 'receipt'; stateVector: Uint8Array }
  /** Message 101: a newer epoch of the room's space holds a snapshot (a hint). */
  | { type: 'newer-epoch'; epoch: number };

/** Why bytes are not a message. */
export type WireFault = 'malformed' | 'unknown-type' | 'unknown-sync-step' | 'bad-state-vector' | 'bad-epoch';

export type ReadResult =
  | { ok: true; message: WireMessage }
  | { ok: false; fault: WireFault; detail: string; /** Set for 'unknown-type'. */ messageType?: number };

/** A fault found while reading; caught here, never thrown out of this module. */
class Fault extends Error {
  constructor(
    readonly fault: WireFault,
    detail: string,
  ) {
    super(detail);
  }
}

// ---- Readers, by message type; each reads the body after the type number.

function readSyncBody(r: ByteReader): WireMessage {
  const step = r.readVarUint();
  if (step !== SyncStep.step1 && step !== SyncStep.step2 && step !== SyncStep.update) throw new Fault('unknown-sync-step', `unknown sync message ${step}`);
  const payload = r.readVarBytes();
  if (step !== SyncStep.step1) return { type: 'sync-update', update: payload, step2: step === SyncStep.step2 };
  if (!isStateVector(payload)) throw new Fault('bad-state-vector', 'sync step 1 without a state vector');
  return { type: 'sync-step1', stateVector: payload };
}

function readNewerEpochBody(r: ByteReader): WireMessage {
  const epoch = r.readVarUint();
  if (epoch > MAX_EPOCH) throw new Fault('bad-epoch', `epoch ${epoch} out of range`);
  return { type: 'newer-epoch', epoch };
}

const readers: Readonly<Record<number, (r: ByteReader) => WireMessage>> = {
  [MessageType.sync]: readSyncBody,
  [MessageType.awareness]: (r) => ({ type: 'awareness', payload: r.readVarBytes() }),
  [MessageType.auth]: (r) => ({ type: 'auth', payload: r.readBytes(r.bytes.length - r.pos) }),
  [MessageType.queryAwareness]: () => ({ type: 'query-awareness' }),
  [MessageType.receipt]: (r) => ({ type: 'receipt', stateVector: r.readVarBytes() }),
  [MessageType.newerEpoch]: readNewerEpochBody,
};

/**
 * Reads one message (a whole WebSocket frame). Bytes after a message are ignored, as
 * y-websocket ignores them.
 */
export function readMessage(bytes: Uint8Array): ReadResult {
  return readAt(new ByteReader(bytes), null);
}

/**
 * Reads the body of a message whose type number a y-websocket provider has already read,
 * from its lib0 decoder, and moves the decoder past it.
 */
export function readFromDecoder(messageType: number, decoder: { arr: Uint8Array; pos: number }): ReadResult {
  const reader = new ByteReader(decoder.arr);
  reader.pos = Math.min(decoder.pos, decoder.arr.length);
  const result = readAt(reader, messageType);
  decoder.pos = reader.pos;
  return result;
}

function readAt(r: ByteReader, knownType: number | null): ReadResult {
  let messageType = knownType ?? -1;
  try {
    if (knownType === null) messageType = r.readVarUint();
    const reader = Object.hasOwn(readers, messageType) ? readers[messageType] : undefined;
    if (!reader) return { ok: false, fault: 'unknown-type', detail: `unknown message type ${messageType}`, messageType };
    return { ok: true, message: reader(r) };
  } catch (err) {
    if (err instanceof Fault) return { ok: false, fault: err.fault, detail: err.message };
    if (err instanceof MalformedInput) return { ok: false, fault: 'malformed', detail: err.message };
    throw err; // a bug here, not bad input
  }
}

// ---- Writers, by message kind; each is the inverse of its reader.

type Writer<T extends WireMessage['type']> = (e: encoding.Encoder, message: Extract<WireMessage, { type: T }>) => void;

function writeSync(e: encoding.Encoder, step: number, payload: Uint8Array): void {
  encoding.writeVarUint(e, MessageType.sync);
  encoding.writeVarUint(e, step);
  encoding.writeVarUint8Array(e, payload);
}

const writers: { readonly [T in WireMessage['type']]: Writer<T> } = {
  'sync-step1': (e, m) => writeSync(e, SyncStep.step1, m.stateVector),
  'sync-update': (e, m) => writeSync(e, m.step2 ? SyncStep.step2 : SyncStep.update, m.update),
  awareness: (e, m) => {
    encoding.writeVarUint(e, MessageType.awareness);
    encoding.writeVarUint8Array(e, m.payload);
  },
  auth: (e, m) => {
    encoding.writeVarUint(e, MessageType.auth);
    encoding.writeUint8Array(e, m.payload);
  },
  'query-awareness': (e) => encoding.writeVarUint(e, MessageType.queryAwareness),
  receipt: (e, m) => {
    encoding.writeVarUint(e, MessageType.receipt);
    encoding.writeVarUint8Array(e, m.stateVector);
  },
  'newer-epoch': (e, m) => {
    encoding.writeVarUint(e, MessageType.newerEpoch);
    encoding.writeVarUint(e, m.epoch);
  },
};

/** Writes one message as a WebSocket frame's bytes. */
export function writeMessage(message: WireMessage): Uint8Array<ArrayBuffer> {
  const e = encoding.createEncoder();
  (writers[message.type] as Writer<WireMessage['type']>)(e, message);
  return encoding.toUint8Array(e) as Uint8Array<ArrayBuffer>;
}

export const writeSyncStep1 = (stateVector: Uint8Array) => writeMessage({ type: 'sync-step1', stateVector });
export const writeSyncStep2 = (update: Uint8Array) => writeMessage({ type: 'sync-update', update, step2: true });
export const writeSyncUpdate = (update: Uint8Array) => writeMessage({ type: 'sync-update', update, step2: false });
export const writeAwarenessMessage = (payload: Uint8Array) => writeMessage({ type: 'awareness', payload });
export const writeQueryAwareness = () => writeMessage({ type: 'query-awareness' });
export const writeReceipt = (stateVector: Uint8Array) => writeMessage({ type: 'receipt', stateVector });
export const writeNewerEpoch = (epoch: number) => writeMessage({ type: 'newer-epoch', epoch });

// ---- State vectors, which sync step 1 and receipts carry.

/** A state vector is a count and that many (client, clock) pairs, nothing more. */
export function isStateVector(bytes: Uint8Array): boolean {
  const r = new ByteReader(bytes);
  try {
    const count = r.readVarUint();
    if (count > bytes.length) return false;
    for (let i = 0; i < count; i++) {
      r.readVarUint();
      r.readVarUint();
    }
    return r.done;
  } catch (err) {
    if (err instanceof MalformedInput) return false;
    throw err;
  }
}
