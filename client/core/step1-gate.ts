// A relay's sync step 1 asks for everything the client holds past a state vector, and costs
// the relay four bytes. A hostile relay can ask again and again and never read: each answer,
// up to a whole room, would be queued on the socket, and the client would run out of memory.
// So a connection has one answer in flight, as a relay's has (docs/PROTOCOL.md §4): a request
// that arrives while the socket still holds unsent bytes waits, merged with any other waiting
// one, and is answered once the socket has sent everything.
import * as Y from 'yjs';
import { splitEnvelopeUpdate } from '#shared';
import { MAX_SENT_UPDATE_BYTES, writeSyncStep2, writeSyncUpdate } from '#shared/wire/index.ts';

/** How often a waiting request looks at the socket again (a browser's WebSocket has no drain event). */
const DRAIN_POLL_MS = 50;

/** The messages that answer a sync step 1: a step 2, then updates for what did not fit in it. */
export function step1Answer(doc: Y.Doc, stateVector: Uint8Array): Uint8Array<ArrayBuffer>[] {
  const [first, ...rest] = splitEnvelopeUpdate(Y.encodeStateAsUpdate(doc, stateVector), MAX_SENT_UPDATE_BYTES);
  return [writeSyncStep2(first!), ...rest.map((piece) => writeSyncUpdate(piece))];
}

/** One request covering two: each client at the lower clock (a client one of them omits is at 0). */
export function lowerStateVector(a: Uint8Array, b: Uint8Array): Uint8Array {
  const left = Y.decodeStateVector(a);
  const right = Y.decodeStateVector(b);
  const lower = new Map<number, number>();
  for (const [client, clock] of left) {
    const other = right.get(client);
    if (other !== undefined) lower.set(client, Math.min(clock, other));
  }
  return Y.encodeStateVector(lower);
}

/** What the gate needs of a socket: the standard WebSocket's fields. */
export type GatedSocket = Pick<WebSocket, 'bufferedAmount' | 'readyState' | 'send'>;

const waiting = new WeakMap<GatedSocket, Uint8Array>();

/**
 * True when this request waits: the socket still holds unsent bytes, or another request
 * waits already. It is then answered with `answer` (the doc as it is by then) once the socket
 * has sent everything, unless `current()` says the socket was replaced meanwhile.
 */
export function holdStep1(ws: GatedSocket, stateVector: Uint8Array, answer: (stateVector: Uint8Array) => void, current: () => boolean): boolean {
  const before = waiting.get(ws);
  if (before) {
    waiting.set(ws, merged(before, stateVector));
    return true;
  }
  if (ws.bufferedAmount === 0) return false;
  waiting.set(ws, stateVector);
  const poll = () => {
    if (!current() || ws.readyState !== 1) return void waiting.delete(ws);
    if (ws.bufferedAmount > 0) return void setTimeout(poll, DRAIN_POLL_MS);
    const request = waiting.get(ws)!;
    waiting.delete(ws);
    answer(request);
  };
  setTimeout(poll, DRAIN_POLL_MS);
  return true;
}

function merged(a: Uint8Array, b: Uint8Array): Uint8Array {
  try {
    return lowerStateVector(a, b);
  } catch {
    return new Uint8Array([0]); // unreadable: answer with everything, once
  }
}
