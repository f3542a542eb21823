// The HTTP client of a relay's API (docs/PROTOCOL.md §4, "HTTP"), for clients, peers and
// `baton mirror status` alike. Every answer is read under a byte cap while it streams: a
// Content-Length over the cap is refused before reading, and a body without one (chunked)
// is cut off, and its connection aborted, as soon as it passes the cap. Failures come back
// as values with a kind, never as exceptions. The fetch is injected and typed by the little
// used of it, so this module names no browser or Node type.
import { fromUtf8 } from '../bytes.ts';
import { HttpCap } from './limits.ts';

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

/** How to reach relays: the fetch, a time limit per request (answer included), a stop switch. */
export interface WireClient {
  fetch: WireFetch;
  timeoutMs: number;
  /** Aborts every request in flight and any later one. */
  signal?: WireSignal;
  /** 'error' refuses redirects (a relay must not send its peers elsewhere). */
  redirect?: 'error' | 'follow';
}

export interface WireRequest {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: Uint8Array<ArrayBuffer> | string;
  /** The answer's cap in bytes (limits.ts). */
  maxBytes: number;
}

export type WireFailureKind =
  /** No answer: refused, reset, no route, bad URL, or a redirect where none is allowed. */
  | 'unreachable'
  | 'timeout'
  /** The client's signal stopped it. */
  | 'stopped'
  /** The answer is over its cap. */
  | 'too-large'
  /** The answer broke off before its end. */
  | 'cut-off'
  /** The relay answered with a status outside 2xx. */
  | 'refused'
  /** The answer is not what was asked for (not JSON). */
  | 'bad-answer';

/** A refusal's `{error, message}` body, as far as the relay sent one (ErrorBody in protocol.ts). */
export interface WireRefusal {
  code: string | null;
  message: string | null;
  /** The whole JSON body (a 409 gap carries the relay's `sv`), or null. */
  json: unknown;
}

export interface WireFailure {
  ok: false;
  kind: WireFailureKind;
  /** The HTTP status, or 0 before any answer. */
  status: number;
  /** A readable sentence, for logs and status lines. */
  detail: string;
  /** Set for 'refused'. */
  refusal?: WireRefusal;
}

export interface WireAnswer<T> {
  ok: true;
  status: number;
  headers: WireHeaders;
  body: T;
}

export type WireResult<T> = WireAnswer<T> | WireFailure;

// The abort controller and timers every platform has, by the part used here.
interface Platform {
  AbortController: new () => { readonly signal: WireSignal; abort(reason?: unknown): void };
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
}
const platform = globalThis as unknown as Platform;

/** One request; the answer's body as bytes, read under `maxBytes`. */
export async function requestBytes(client: WireClient, url: string, request: WireRequest): Promise<WireResult<Uint8Array>> {
  if (client.signal?.aborted) return failure('stopped', 0, 'stopped before it started');
  const controller = new platform.AbortController();
  let why: 'timeout' | 'stopped' | null = null;
  const abort = (reason: 'timeout' | 'stopped') => {
    why ??= reason;
    controller.abort();
  };
  const timer = platform.setTimeout(() => abort('timeout'), client.timeoutMs);
  const onStop = () => abort('stopped');
  client.signal?.addEventListener('abort', onStop);
  const interrupted = (status: number): WireFailure =>
    why === 'timeout' ? failure('timeout', status, `no answer within ${client.timeoutMs} ms`) : failure('stopped', status, 'stopped');
  try {
    let res: WireResponse;
    try {
      res = await client.fetch(url, {
        method: request.method ?? 'GET',
        ...(request.headers ? { headers: request.headers } : {}),
        ...(request.body !== undefined ? { body: request.body } : {}),
        signal: controller.signal,
        ...(client.redirect ? { redirect: client.redirect } : {}),
      });
    } catch (err) {
      return why ? interrupted(0) : failure('unreachable', 0, describe(err));
    }
    const ok = res.status >= 200 && res.status < 300;
    const read = await readCapped(res, ok ? request.maxBytes : HttpCap.error, () => controller.abort());
    if (!read.ok) {
      if (why) return interrupted(res.status);
      // A refusal whose body we cannot read is still a refusal, told by its status.
      if (!ok) return refused(res.status, null);
      return failure(read.kind, res.status, read.detail);
    }
    if (!ok) return refused(res.status, read.bytes);
    return { ok: true, status: res.status, headers: res.headers, body: read.bytes };
  } finally {
    platform.clearTimeout(timer);
    client.signal?.removeEventListener('abort', onStop);
  }
}

/** One request whose answer is JSON, read under `maxBytes` and parsed. */
export async function requestJson(client: WireClient, url: string, request: WireRequest): Promise<WireResult<unknown>> {
  const answer = await requestBytes(client, url, request);
  if (!answer.ok) return answer;
  const json = parseJson(answer.body);
  if (json === undefined) return failure('bad-answer', answer.status, 'answer is not JSON');
  return { ...answer, body: json };
}

type Read = { ok: true; bytes: Uint8Array } | { ok: false; kind: 'too-large' | 'cut-off'; detail: string };

/** Reads a body of at most `max` bytes; past that it stops reading and aborts the request. */
async function readCapped(res: WireResponse, max: number, abort: () => void): Promise<Read> {
  const declared = res.headers.get('content-length');
  if (declared !== null && /^\s*\d+\s*$/.test(declared) && Number(declared) > max) {
    abort();
    await cancel(res.body);
    return { ok: false, kind: 'too-large', detail: `answer too large: ${Number(declared)} bytes, over the cap of ${max}` };
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  const over = (): Read => ({ ok: false, kind: 'too-large', detail: `answer too large: over the cap of ${max} bytes` });
  try {
    if (res.body && 'getReader' in res.body) {
      const reader = res.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (!value) continue;
        total += value.length;
        if (total > max) {
          abort();
          await reader.cancel().catch(() => {});
          return over();
        }
        chunks.push(value);
      }
    } else if (res.body) {
      // Leaving the loop early cancels the stream behind the iterator.
      for await (const value of res.body) {
        total += value.length;
        if (total > max) {
          abort();
          return over();
        }
        chunks.push(value);
      }
    }
  } catch (err) {
    return { ok: false, kind: 'cut-off', detail: `answer cut off: ${describe(err)}` };
  }
  return { ok: true, bytes: concat(chunks, total) };
}

async function cancel(body: WireBody | null): Promise<void> {
  if (body && 'getReader' in body) await body.getReader().cancel().catch(() => {});
}

function refused(status: number, body: Uint8Array | null): WireFailure {
  const json = body ? (parseJson(body) ?? null) : null;
  const fields = typeof json === 'object' && json !== null ? (json as { error?: unknown; message?: unknown }) : {};
  const code = typeof fields.error === 'string' ? printable(fields.error.slice(0, 40)) : null;
  const message = typeof fields.message === 'string' ? printable(fields.message.slice(0, 200)) : null;
  return { ok: false, kind: 'refused', status, detail: `relay answered ${status}${message ? `: ${message}` : ''}`, refusal: { code, message, json } };
}

/** A relay's text with control characters blanked: it ends up in logs and terminals. */
function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
}

function failure(kind: WireFailureKind, status: number, detail: string): WireFailure {
  return { ok: false, kind, status, detail };
}

/** The JSON value of a UTF-8 body, or undefined. */
function parseJson(bytes: Uint8Array): unknown {
  const text = fromUtf8(bytes);
  if (text === null) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** An error's message, with its cause's (fetch says only "fetch failed" and keeps why in the cause). */
function describe(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause.message : null;
  return cause && cause !== message ? `${message} (${cause})` : message;
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}
