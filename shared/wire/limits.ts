// Every cap on bytes read from a relay, in one place (docs/PROTOCOL.md §4, "Reading from a
// relay"). A relay is hostile input: nothing it sends is buffered past these, whatever its
// headers claim.
import { DEFAULT_LIMITS } from '../limits.ts';

/** Largest update we send in one message (a relay's limit); bigger ones go in pieces. */
export const MAX_SENT_UPDATE_BYTES = DEFAULT_LIMITS.maxUpdateBytes;

/** A relay's answer may hold a whole room; the relay bounds rooms, we bound what we accept. */
export const MAX_RECEIVED_UPDATE_BYTES = DEFAULT_LIMITS.maxRoomBytes;

/** Type, sync step and length prefix around an update: a few bytes, with room to spare. */
export const MESSAGE_FRAMING_BYTES = 64 * 1024;

/** Largest WebSocket message a client reads from a relay (a whole room's sync step 2). */
export const MAX_RECEIVED_MESSAGE_BYTES = MAX_RECEIVED_UPDATE_BYTES + MESSAGE_FRAMING_BYTES;

/** Answer caps of the HTTP API, by what is asked for. */
export const HttpCap = {
  /** `GET /v1/rooms/<room>`: an update of up to a room's size. */
  room: MAX_RECEIVED_UPDATE_BYTES,
  /** `GET /v1/rooms`: the list of every room a relay holds. */
  roomList: 64 * 1024 * 1024,
  /** `GET /v1/mirror/status`: a line for every room of every mirror. */
  mirrorStatus: 16 * 1024 * 1024,
  /** `GET /v1/info`, receipts, bundle answers: small JSON objects. */
  json: 1024 * 1024,
  /** `GET /v1/spaces/<id>` as a client reads it: a list of epochs. */
  epochList: 64 * 1024,
  /** The `{error, message}` body of a refusal. */
  error: 64 * 1024,
} as const;

/** A peer relay's room may be as large as our own room limit; an answer carries a little more. */
export function roomAnswerCap(maxRoomBytes: number): number {
  return maxRoomBytes + 1024 * 1024;
}
