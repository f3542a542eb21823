// A WebSocket class whose `onmessage` handler cannot throw out of the socket, and which
// reads no message over the wire module's cap. y-websocket reads each message's type number
// before any handler we can replace; a hostile relay's unreadable message (an overflowing
// number, say) throws there, and in Node an exception thrown from a socket event is an
// uncaught exception that ends the process.
import { CloseCode, CloseReason, MAX_RECEIVED_MESSAGE_BYTES } from '#shared';

export interface GuardEvents {
  /** A message made the provider's handler throw. */
  onUnreadable(err: unknown): void;
  /** A message over the cap was refused unread, and the connection dropped. */
  onTooLarge(bytes: number | null): void;
}

/** `ws` (Node) takes options after the protocols; a browser's WebSocket ignores a third argument. */
type WebSocketWithOptions = new (url: string | URL, protocols?: string | string[], options?: { maxPayload?: number }) => WebSocket;

/** ws's error for a frame over maxPayload (it then closes with 1009). */
const WS_TOO_LARGE = 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH';

export function guardedWebSocket(WS: typeof WebSocket, events: GuardEvents, maxMessageBytes = MAX_RECEIVED_MESSAGE_BYTES): typeof WebSocket {
  const Base = WS as unknown as WebSocketWithOptions;
  class GuardedWebSocket extends Base {
    constructor(url: string | URL, protocols?: string | string[]) {
      // In Node, ws refuses a longer frame from its header, before buffering any of it. A
      // browser buffers a whole message before the page sees it (docs/THREAT_MODEL.md); there
      // the size is checked on receipt, below, before anything reads it.
      super(url, protocols, { maxPayload: maxMessageBytes });
      let handler: ((event: MessageEvent) => unknown) | null = null;
      let refused = false;
      const refuse = (bytes: number | null) => {
        if (refused) return;
        refused = true;
        events.onTooLarge(bytes);
        drop(this);
      };
      this.addEventListener('message', (event) => {
        if (refused) return;
        const size = sizeOf(event.data);
        if (size > maxMessageBytes) return refuse(size);
        try {
          handler?.call(this, event);
        } catch (err) {
          events.onUnreadable(err);
        }
      });
      this.addEventListener('error', (event) => {
        if ((event as { error?: { code?: unknown } }).error?.code === WS_TOO_LARGE) refuse(null);
      });
      Object.defineProperty(this, 'onmessage', {
        configurable: true,
        enumerable: true,
        get: () => handler,
        set: (fn: unknown) => {
          handler = typeof fn === 'function' ? (fn as (event: MessageEvent) => unknown) : null;
        },
      });
    }
  }
  return GuardedWebSocket as unknown as typeof WebSocket;
}

function sizeOf(data: unknown): number {
  if (typeof data === 'string') return data.length;
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return data.byteLength;
  return (data as { size?: number } | null)?.size ?? 0; // a Blob, if binaryType was changed
}

/** Closes at once: a relay that sends too much is not waited on for a closing handshake. */
function drop(socket: WebSocket): void {
  try {
    socket.close(CloseCode.tooLarge, CloseReason[CloseCode.tooLarge]);
  } catch {
    // already closing
  }
  (socket as { terminate?: () => void }).terminate?.();
}
