// The HTTP client of a relay's API (docs/PROTOCOL.md §4, "Reading from a relay"), for
// clients, peers and `baton mirror status` alike: a time limit on the whole answer, the
// answer read under its cap while it streams (read-capped.ts) and the request aborted once
// past it, a refusal's JSON error read under a cap of its own. Failures come back as values
// with a kind, never as exceptions. The fetch is injected (fetch.ts).
import { fromUtf8 } from '../bytes.ts';
import type { WireFetch, WireHeaders, WireResponse, WireSignal } from './fetch.ts';
import { HttpCap } from './limits.ts';
import { describe, readCapped } from './read-capped.ts';

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
