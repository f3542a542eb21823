// Node 20 has no global ErrorEvent (Node 22 has one). The WebSocket adapter builds one for
// every socket error, such as a frame over the size cap: on Node 20 that threw, and the
// adapter printed the stack trace, eight log lines that any client could cause once per
// connection. This defines the standard shape where it is missing.

interface ErrorEventInit {
  bubbles?: boolean;
  cancelable?: boolean;
  composed?: boolean;
  error?: unknown;
  message?: string;
  filename?: string;
  lineno?: number;
  colno?: number;
}

class ErrorEventShim extends Event {
  readonly error: unknown;
  readonly message: string;
  readonly filename: string;
  readonly lineno: number;
  readonly colno: number;

  constructor(type: string, init: ErrorEventInit = {}) {
    super(type, init);
    this.error = init.error;
    this.message = init.message ?? '';
    this.filename = init.filename ?? '';
    this.lineno = init.lineno ?? 0;
    this.colno = init.colno ?? 0;
  }
}

/** Defines globalThis.ErrorEvent where the runtime lacks it. */
export function ensureErrorEvent(): void {
  const global = globalThis as { ErrorEvent?: unknown };
  if (typeof global.ErrorEvent === 'function') return;
  Object.defineProperty(globalThis, 'ErrorEvent', { value: ErrorEventShim, writable: true, configurable: true });
}
