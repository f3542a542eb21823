// The fetch the wire client is given, typed by the little it uses of it, so that shared/
// names no browser or Node type. WHATWG fetch fits once its init is cast (see WireFetch).

export interface WireHeaders {
  get(name: string): string | null;
}

export interface WireChunkReader {
  read(): Promise<{ done: boolean; value?: Uint8Array }>;
  cancel(reason?: unknown): Promise<void>;
}

/** A response body: a stream with a reader (WHATWG) or any async iterable of byte chunks. */
export type WireBody = { getReader(): WireChunkReader } | AsyncIterable<Uint8Array>;

export interface WireResponse {
  readonly status: number;
  readonly headers: WireHeaders;
  readonly body: WireBody | null;
}

export interface WireSignal {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** What the client passes to fetch: a subset of RequestInit. */
export interface WireRequestInit {
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: Uint8Array<ArrayBuffer> | string;
  /** The platform's own AbortSignal, made by its AbortController. */
  signal: WireSignal;
  redirect?: 'error' | 'follow';
}

/**
 * The fetch the client is given. The platform's `fetch` fits once its init is cast
 * (`(url, init) => fetch(url, init as RequestInit)`): the signal it gets is a real
 * AbortSignal, typed here only by the part this module uses.
 */
export type WireFetch = (url: string, init: WireRequestInit) => Promise<WireResponse>;
