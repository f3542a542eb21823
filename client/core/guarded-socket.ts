// A WebSocket class whose `onmessage` handler cannot throw out of the socket. y-websocket
// reads each message's type number before any handler we can replace; a hostile relay's
// unreadable message (an overflowing number, say) throws there, and in Node an exception
// thrown from a socket event is an uncaught exception that ends the process.
export function guardedWebSocket(WS: typeof WebSocket, onUnreadable: (err: unknown) => void): typeof WebSocket {
  return class GuardedWebSocket extends WS {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      let handler: ((event: MessageEvent) => unknown) | null = null;
      this.addEventListener('message', (event) => {
        try {
          handler?.call(this, event);
        } catch (err) {
          onUnreadable(err);
        }
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
  };
}
