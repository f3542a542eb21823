// Wire constants shared by relays and clients (docs/PROTOCOL.md §4).
import type * as decoding from 'lib0/decoding';
import { MAX_EPOCH } from './ids.ts';
import { MessageType, readFromDecoder } from './wire/messages.ts';

// The message codec lives in wire/; these stay importable from here.
export { MessageType, writeNewerEpoch, writeReceipt } from './wire/messages.ts';

export const PROTOCOL_VERSION = 2;
export const SOFTWARE = 'baton';

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

/**
 * Reads the state vector of a receipt whose type byte has already been read from a lib0
 * decoder; throws on a malformed one, for the caller to ignore.
 */
export function readReceiptBody(decoder: decoding.Decoder): Uint8Array {
  const read = readFromDecoder(MessageType.receipt, decoder);
  if (read.ok && read.message.type === 'receipt') return read.message.stateVector;
  throw new RangeError(read.ok ? 'not a receipt' : read.detail);
}

/**
 * Reads the epoch of a newer-epoch message whose type byte has already been read from a lib0
 * decoder; null if it is no epoch, throws on a truncated one.
 */
export function readNewerEpochBody(decoder: decoding.Decoder): number | null {
  const read = readFromDecoder(MessageType.newerEpoch, decoder);
  if (read.ok && read.message.type === 'newer-epoch') return read.message.epoch;
  if (!read.ok && read.fault === 'bad-epoch') return null;
  throw new RangeError(read.ok ? 'not a newer-epoch message' : read.detail);
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
