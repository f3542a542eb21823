// The globals the client core uses beyond shared/platform.d.ts, typed by the little it uses of
// them. Browsers, Web Workers and Node 20 and later all have them, except setImmediate (Node
// only, so typed as maybe absent) and a WebSocket in Node 20, which the Node adapter passes in
// (ConnectionOptions). The core is checked without the DOM or Node types, so it cannot come to
// depend on either (docs/ARCHITECTURE.md).
import type { WireResponse } from '#shared/wire/fetch.ts';

declare global {
  /** A timer as the runtime returns it: a number in browsers, an object in Node. */
  interface TimerHandle {
    readonly __timer?: never;
  }
  function setTimeout(handler: (...args: never[]) => void, ms?: number): TimerHandle;
  function clearTimeout(timer: TimerHandle | null | undefined): void;
  function setInterval(handler: (...args: never[]) => void, ms?: number): TimerHandle;
  function clearInterval(timer: TimerHandle | null | undefined): void;
  function structuredClone<T>(value: T): T;
  var performance: { now(): number };

  /** Node's, which browsers lack: looked up on globalThis. */
  var setImmediate: ((run: () => void) => unknown) | undefined;

  interface AbortSignal {
    readonly aborted: boolean;
    addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
    removeEventListener(type: 'abort', listener: () => void): void;
  }
  interface MessagePort {
    onmessage: ((event: MessageEvent) => void) | null;
    postMessage(message: unknown): void;
    close(): void;
  }
  var MessageChannel: {
    new (): { readonly port1: MessagePort; readonly port2: MessagePort };
  };

  /** The wire module's request init (shared/wire/fetch.ts) is one, cast. */
  interface RequestInit {
    method?: string;
  }
  interface Request {
    readonly url: string;
  }
  var Request: {
    new (url: string, init?: RequestInit): Request;
    readonly prototype: Request;
  };
  function fetch(input: string | URL | Request, init?: RequestInit): Promise<WireResponse>;

  interface MessageEvent<T = unknown> {
    readonly data: T;
  }
  interface CloseEvent {
    readonly code: number;
    readonly reason: string;
  }
  interface WebSocket {
    readonly readyState: number;
    readonly OPEN: number;
    /** Bytes queued by send() and not yet handed to the network. */
    readonly bufferedAmount: number;
    onmessage: ((event: MessageEvent) => unknown) | null;
    send(data: string | Uint8Array): void;
    close(code?: number, reason?: string): void;
    addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
    addEventListener(type: 'error', listener: (event: unknown) => void): void;
  }
  var WebSocket: {
    new (url: string | URL, protocols?: string | string[]): WebSocket;
    readonly prototype: WebSocket;
    readonly CONNECTING: number;
    readonly OPEN: number;
    readonly CLOSING: number;
    readonly CLOSED: number;
  };
}
