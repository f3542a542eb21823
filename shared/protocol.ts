// Wire constants shared by relays and clients (docs/PROTOCOL.md §4, docs/PROTOCOL.md).
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { MAX_EPOCH } from './ids.ts';

export const PROTOCOL_VERSION = 1;
export const SOFTWARE = 'baton';

/** y-websocket message types, then Baton's own from 100. */
export const MessageType = {
  sync: 0,
  awareness: 1,
  auth: 2,
  queryAwareness: 3,
  receipt: 100,
  newerEpoch: 101,
} as const;

/** WebSocket close codes. */
export const CloseCode = {
  badMessage: 4400,
  forbidden: 4403,
  notFound: 4404,
  tooLarge: 4413,
  rateLimited: 4429,
  shuttingDown: 1001,
} as const;

export const CloseReason = {
  [CloseCode.badMessage]: 'bad message',
  [CloseCode.forbidden]: 'forbidden',
  [CloseCode.notFound]: 'no such room',
  [CloseCode.tooLarge]: 'too large',
  [CloseCode.rateLimited]: 'rate limited',
  [CloseCode.shuttingDown]: 'relay shutting down',
} as const;

/** JSON error codes of the HTTP API: `{error, message}`. */
export type ErrorCode =
  | 'bad-room'
  | 'bad-update'
  | 'bad-request'
  | 'gap'
  | 'too-large'
  | 'room-full'
  | 'rate-limited'
  | 'not-found'
  | 'disabled'
  | 'internal';

export interface ErrorBody {
  error: ErrorCode;
  message: string;
}

/** Receipt (message 100): the room's state vector once an accepted update is durably stored. */
export function writeReceipt(stateVector: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.receipt);
  encoding.writeVarUint8Array(encoder, stateVector);
  return encoding.toUint8Array(encoder);
}

/** Reads the state vector of a receipt whose type byte has already been read. */
export function readReceiptBody(decoder: decoding.Decoder): Uint8Array {
  return decoding.readVarUint8Array(decoder);
}

/**
 * Newer epoch (message 101): a newer epoch of the room's space holds a snapshot on this relay.
 * Only a hint: the client checks that room's snapshot itself before it switches.
 */
export function writeNewerEpoch(epoch: number): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.newerEpoch);
  encoding.writeVarUint(encoder, epoch);
  return encoding.toUint8Array(encoder);
}

/** Reads the epoch of a newer-epoch message whose type byte has already been read; null if it is no epoch. */
export function readNewerEpochBody(decoder: decoding.Decoder): number | null {
  const epoch = decoding.readVarUint(decoder);
  return Number.isSafeInteger(epoch) && epoch <= MAX_EPOCH ? epoch : null;
}

/** The HTTP answer of `GET /v1/rooms/<room>` names a newer epoch holding a snapshot in this header. */
export const NEWER_EPOCH_HEADER = 'Baton-Newer-Epoch';

/** The epoch in a newer-epoch header, or null for anything that is not one. */
export function parseNewerEpochHeader(value: string | null): number | null {
  if (value === null || !/^(0|[1-9][0-9]{0,9})$/.test(value)) return null;
  const epoch = Number(value);
  return epoch <= MAX_EPOCH ? epoch : null;
}

/** HTTP receipt body: `{room, sv}` with sv the base64url state vector. */
export interface HttpReceipt {
  room: string;
  sv: string;
  added: number;
}
