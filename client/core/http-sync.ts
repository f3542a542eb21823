// The HTTP fallback and bulk path (docs/PROTOCOL.md §4): GET what we lack, POST what the relay lacks.
import * as Y from 'yjs';
import { NEWER_EPOCH_HEADER, applyValidatedUpdate, fromBase64url, parseNewerEpochHeader, toBase64url, type EnvelopeVerdict, type RoomKey, type RoomName } from '../../shared/index.ts';
import { decodeStateVectorSafe, type StateVector } from './receipts.ts';
import { httpBaseUrl } from './relay-url.ts';
import { splitEnvelopeUpdate } from '../../shared/index.ts';
import { MAX_RECEIVED_UPDATE_BYTES, MAX_SENT_UPDATE_BYTES } from './validating-sync.ts';

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

const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

async function request(fetchImpl: Fetch, url: string, init: RequestInit, timeoutMs: number): Promise<Response> {
  try {
    return await fetchImpl(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    throw new RelayHttpError(0, 'unreachable', `cannot reach ${new URL(url).host}: ${(err as Error).message}`);
  }
}

async function errorOf(res: Response): Promise<RelayHttpError> {
  let code = `http-${res.status}`;
  let message = `relay answered ${res.status}`;
  try {
    const body = (await res.json()) as { error?: unknown; message?: unknown };
    if (typeof body.error === 'string') code = body.error.slice(0, 40);
    if (typeof body.message === 'string') message = `relay answered ${res.status}: ${body.message.slice(0, 200)}`;
  } catch {
    // not JSON: the status says enough
  }
  return new RelayHttpError(res.status, code, message);
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
): Promise<EnvelopeVerdict> {
  const sv = toBase64url(Y.encodeStateVector(doc));
  const res = await request(fetchImpl, `${httpBaseUrl(relay)}/v1/rooms/${room}?sv=${sv}`, {}, timeoutMs);
  if (res.ok) {
    const newer = parseNewerEpochHeader(res.headers.get(NEWER_EPOCH_HEADER));
    if (newer !== null) onNewerEpoch?.(newer);
  }
  if (res.status === 404) return { ok: true, blobs: [] };
  if (!res.ok) throw await errorOf(res);
  const length = Number(res.headers.get('content-length') ?? 0);
  if (length > MAX_RESPONSE_BYTES) throw new RelayHttpError(res.status, 'too-large', 'relay answer too large');
  const update = new Uint8Array(await res.arrayBuffer());
  if (update.length === 0) return { ok: true, blobs: [] };
  return applyValidatedUpdate(doc, update, key, origin, { maxUpdateBytes: MAX_RECEIVED_UPDATE_BYTES });
}

/** POSTs an update, in gap-free pieces when it is larger than a relay takes at once. */
export async function pushUpdate(fetchImpl: Fetch, relay: string, room: RoomName, update: Uint8Array, timeoutMs = 10_000): Promise<StateVector> {
  let sv: StateVector | null = null;
  for (const piece of splitEnvelopeUpdate(update, MAX_SENT_UPDATE_BYTES)) sv = await pushRoom(fetchImpl, relay, room, piece, timeoutMs);
  return sv!;
}

/** POST /v1/rooms/<room>: the relay's state vector once it holds the update. */
export async function pushRoom(fetchImpl: Fetch, relay: string, room: RoomName, update: Uint8Array, timeoutMs = 10_000): Promise<StateVector> {
  const res = await request(
    fetchImpl,
    `${httpBaseUrl(relay)}/v1/rooms/${room}`,
    { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: update as Uint8Array<ArrayBuffer> },
    timeoutMs,
  );
  if (!res.ok) throw await errorOf(res);
  let body: { sv?: unknown };
  try {
    body = (await res.json()) as { sv?: unknown };
  } catch {
    throw new RelayHttpError(res.status, 'bad-answer', 'relay receipt is not JSON');
  }
  const bytes = typeof body.sv === 'string' ? fromBase64url(body.sv) : null;
  const sv = bytes ? decodeStateVectorSafe(bytes) : null;
  if (!sv) throw new RelayHttpError(res.status, 'bad-answer', 'relay receipt has no state vector');
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
  const res = await request(
    fetchImpl,
    `${httpBaseUrl(relay)}/v1/bundles`,
    { method: 'POST', headers: { 'content-type': 'application/json' }, body: bundleText },
    timeoutMs,
  );
  if (!res.ok) throw await errorOf(res);
  try {
    const body = (await res.json()) as { added?: unknown };
    return typeof body.added === 'number' ? body.added : 0;
  } catch {
    throw new RelayHttpError(res.status, 'bad-answer', 'relay answer is not JSON');
  }
}

/** GET /v1/info: whether a relay answers over HTTP at all. */
export async function relayAnswers(fetchImpl: Fetch, relay: string, timeoutMs = 5_000): Promise<boolean> {
  try {
    const res = await request(fetchImpl, `${httpBaseUrl(relay)}/v1/info`, {}, timeoutMs);
    if (!res.ok) return false;
    const info = (await res.json()) as { software?: unknown };
    return info.software === 'baton';
  } catch {
    return false;
  }
}

/** GET /v1/spaces/<spaceId>: the epochs a relay holds of a space (hostile input: checked, capped). */
export async function fetchEpochs(fetchImpl: Fetch, relay: string, spaceId: string, timeoutMs = 5000): Promise<number[]> {
  const res = await request(fetchImpl, `${httpBaseUrl(relay)}/v1/spaces/${spaceId}`, {}, timeoutMs);
  if (!res.ok) throw await errorOf(res);
  const text = await res.text();
  if (text.length > 64 * 1024) throw new RelayHttpError(res.status, 'too-large', 'relay answer too large');
  let body: { epochs?: unknown };
  try {
    body = JSON.parse(text) as { epochs?: unknown };
  } catch {
    throw new RelayHttpError(res.status, 'bad-answer', 'relay epoch list is not JSON');
  }
  if (!Array.isArray(body.epochs)) throw new RelayHttpError(res.status, 'bad-answer', 'relay epoch list has no epochs');
  return body.epochs.filter((e): e is number => Number.isSafeInteger(e) && e >= 0 && e <= 0xffffffff);
}
