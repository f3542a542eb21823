// The HTTP fallback and bulk path (docs/PROTOCOL.md §4): GET what we lack, POST what the relay lacks.
import * as Y from 'yjs';
import { NEWER_EPOCH_HEADER, fromBase64url, parseNewerEpochHeader, toBase64url, type EnvelopeVerdict, type RoomKey, type RoomName } from '#shared';
import { decodeStateVectorSafe, type StateVector } from './receipts.ts';
import { httpBaseUrl } from './relay-url.ts';
import { applyCheckedUpdateAsync } from './update-check.ts';
import { splitEnvelopeUpdate } from '#shared';
import { MAX_RECEIVED_UPDATE_BYTES, MAX_SENT_UPDATE_BYTES } from './validating-sync.ts';
import { HttpCap, requestBytes, requestJson, type WireClient, type WireFailure, type WireResult } from '#shared/wire/index.ts';

export type Fetch = typeof fetch;

/** A relay answered an HTTP request with an error (status and, when it sent one, its code). */
export class RelayHttpError extends Error {
  override name = 'RelayHttpError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The wire client over a platform fetch: its init is a RequestInit with a real AbortSignal. */
function wire(fetchImpl: Fetch, timeoutMs: number): WireClient {
  return { fetch: (url, init) => fetchImpl(url, init as RequestInit), timeoutMs };
}

/** A failed request as the RelayHttpError callers know. */
function errorOf(failure: WireFailure, url: string, what = 'relay answer'): RelayHttpError {
  switch (failure.kind) {
    case 'unreachable':
    case 'timeout':
    case 'stopped':
      return new RelayHttpError(0, 'unreachable', `cannot reach ${new URL(url).host}: ${failure.detail}`);
    case 'refused':
      return new RelayHttpError(failure.status, failure.refusal?.code ?? `http-${failure.status}`, failure.detail);
    case 'too-large':
      return new RelayHttpError(failure.status, 'too-large', `relay ${failure.detail}`);
    case 'cut-off':
      return new RelayHttpError(failure.status, 'cut-off', `relay ${failure.detail}`);
    case 'bad-answer':
      return new RelayHttpError(failure.status, 'bad-answer', `${what} is not JSON`);
  }
}

function ok<T>(answer: WireResult<T>, url: string, what?: string): T {
  if (!answer.ok) throw errorOf(answer, url, what);
  return answer.body;
}

/** GET /v1/rooms/<room>?sv=...: validates and applies what the relay holds that we lack. */
export async function pullRoom(
  fetchImpl: Fetch,
  relay: string,
  room: RoomName,
  doc: Y.Doc,
  key: RoomKey,
  origin: unknown,
  timeoutMs = 10_000,
  /** Called with the epoch when the relay names a newer one (a hint, like message 101). */
  onNewerEpoch?: (epoch: number) => void,
  /** A state vector to ask from instead of the doc's own (reading back what we sent). */
  from?: Uint8Array,
): Promise<EnvelopeVerdict> {
  const sv = toBase64url(from ?? Y.encodeStateVector(doc));
  const url = `${httpBaseUrl(relay)}/v1/rooms/${room}?sv=${sv}`;
  const answer = await requestBytes(wire(fetchImpl, timeoutMs), url, { maxBytes: HttpCap.room });
  if (answer.ok) {
    const newer = parseNewerEpochHeader(answer.headers.get(NEWER_EPOCH_HEADER));
    if (newer !== null) onNewerEpoch?.(newer);
  }
  if (!answer.ok && answer.kind === 'refused' && answer.status === 404) return { ok: true, blobs: [] };
  const update = ok(answer, url);
  if (update.length === 0) return { ok: true, blobs: [] };
  return applyCheckedUpdateAsync(doc, update, key, origin, MAX_RECEIVED_UPDATE_BYTES);
}

/** POSTs an update, in gap-free pieces when it is larger than a relay takes at once. */
export async function pushUpdate(fetchImpl: Fetch, relay: string, room: RoomName, update: Uint8Array, timeoutMs = 10_000): Promise<StateVector> {
  let sv: StateVector | null = null;
  for (const piece of splitEnvelopeUpdate(update, MAX_SENT_UPDATE_BYTES)) sv = await pushRoom(fetchImpl, relay, room, piece, timeoutMs);
  return sv!;
}

/** POST /v1/rooms/<room>: the relay's state vector once it holds the update. */
export async function pushRoom(fetchImpl: Fetch, relay: string, room: RoomName, update: Uint8Array, timeoutMs = 10_000): Promise<StateVector> {
  const url = `${httpBaseUrl(relay)}/v1/rooms/${room}`;
  const answer = await requestJson(wire(fetchImpl, timeoutMs), url, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream' },
    body: update as Uint8Array<ArrayBuffer>,
    maxBytes: HttpCap.json,
  });
  const body = ok(answer, url, 'relay receipt') as { sv?: unknown } | null;
  const bytes = typeof body?.sv === 'string' ? fromBase64url(body.sv) : null;
  const sv = bytes ? decodeStateVectorSafe(bytes) : null;
  if (!sv) throw new RelayHttpError(answer.status, 'bad-answer', 'relay receipt has no state vector');
  return sv;
}

/** Sends what the relay lacks, given the state vector it last confirmed (or everything). */
export async function pushMissing(fetchImpl: Fetch, relay: string, room: RoomName, doc: Y.Doc, relaySv: StateVector | undefined, timeoutMs = 10_000): Promise<StateVector> {
  const diff = Y.encodeStateAsUpdate(doc, relaySv ? Y.encodeStateVector(relaySv) : undefined);
  try {
    return await pushUpdate(fetchImpl, relay, room, diff, timeoutMs);
  } catch (err) {
    // The relay lost something we thought it held: send it everything.
    if (err instanceof RelayHttpError && err.code === 'gap' && relaySv) return pushUpdate(fetchImpl, relay, room, Y.encodeStateAsUpdate(doc), timeoutMs);
    throw err;
  }
}

/** POST /v1/bundles: the relay imports every room or none. Returns the blobs it added. */
export async function pushBundle(fetchImpl: Fetch, relay: string, bundleText: string, timeoutMs = 30_000): Promise<number> {
  const url = `${httpBaseUrl(relay)}/v1/bundles`;
  const request = { method: 'POST', headers: { 'content-type': 'application/json' }, body: bundleText, maxBytes: HttpCap.json } as const;
  const body = ok(await requestJson(wire(fetchImpl, timeoutMs), url, request), url) as { added?: unknown } | null;
  return typeof body?.added === 'number' ? body.added : 0;
}

/** GET /v1/info: whether a relay answers over HTTP at all. */
export async function relayAnswers(fetchImpl: Fetch, relay: string, timeoutMs = 5_000): Promise<boolean> {
  const answer = await requestJson(wire(fetchImpl, timeoutMs), `${httpBaseUrl(relay)}/v1/info`, { maxBytes: HttpCap.json });
  return answer.ok && (answer.body as { software?: unknown } | null)?.software === 'baton';
}

/** GET /v1/spaces/<spaceId>: the epochs a relay holds of a space (hostile input: checked, capped). */
export async function fetchEpochs(fetchImpl: Fetch, relay: string, spaceId: string, timeoutMs = 5000): Promise<number[]> {
  const url = `${httpBaseUrl(relay)}/v1/spaces/${spaceId}`;
  const answer = await requestJson(wire(fetchImpl, timeoutMs), url, { maxBytes: HttpCap.epochList });
  const body = ok(answer, url, 'relay epoch list') as { epochs?: unknown } | null;
  if (!Array.isArray(body?.epochs)) throw new RelayHttpError(answer.status, 'bad-answer', 'relay epoch list has no epochs');
  return body.epochs.filter((e): e is number => Number.isSafeInteger(e) && e >= 0 && e <= 0xffffffff);
}
