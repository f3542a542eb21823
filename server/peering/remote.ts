// HTTP client of another relay's API (docs/PROTOCOL.md §4): info, room list, epochs, room read and
// write. Everything it returns was checked for shape; bytes still go through the validator.
import { DEFAULT_LIMITS, fromBase64url, isSpaceId, parseRoomName, toBase64url } from '../../shared/index.ts';
import { isStateVector } from '../sync/messages.ts';

/** Why a request to a remote relay failed; `retry` means try again later (down, busy, limited). */
export class RemoteError extends Error {
  override name = 'RemoteError';
  constructor(
    message: string,
    readonly retry: boolean,
  ) {
    super(message);
  }
}

/** The remote refused an update for a gap; it holds `sv`. */
export class GapError extends RemoteError {
  override name = 'GapError';
  constructor(readonly sv: Uint8Array) {
    super('the peer reports a gap', true);
  }
}

export interface RemoteRoomList {
  rooms: string[];
  /** Per-room change marks, when the remote publishes them. */
  marks: Map<string, number> | null;
}

const TIMEOUT_MS = 15_000;
/** A room list of more than this is not a relay we can follow. */
const MAX_LIST_BYTES = 64 * 1024 * 1024;
const MAX_JSON_BYTES = 1024 * 1024;

export class RemoteRelay {
  /** The remote's update limit (from /v1/info), never more than ours. */
  maxUpdateBytes: number;
  readonly #stop = new AbortController();

  constructor(
    readonly url: string,
    private readonly ours: { maxUpdateBytes: number; maxRoomBytes: number },
  ) {
    this.maxUpdateBytes = Math.min(ours.maxUpdateBytes, DEFAULT_LIMITS.maxUpdateBytes);
  }

  /** GET /v1/info: checks it is a Baton relay and learns its update limit. */
  async info(): Promise<void> {
    const json = (await this.#json('/v1/info', MAX_JSON_BYTES)) as { software?: unknown; limits?: { maxUpdateBytes?: unknown } };
    if (json?.software !== 'baton') throw new RemoteError('not a Baton relay', true);
    const limit = json.limits?.maxUpdateBytes;
    if (typeof limit === 'number' && Number.isSafeInteger(limit) && limit >= 1024) {
      this.maxUpdateBytes = Math.min(limit, this.ours.maxUpdateBytes);
    }
  }

  /** GET /v1/rooms?marks=1; null when the remote has switched its list off. */
  async rooms(): Promise<RemoteRoomList | null> {
    const res = await this.#fetch('/v1/rooms?marks=1');
    if (res.status === 404) {
      const body = await readLimited(res, MAX_JSON_BYTES).catch(() => null);
      if (body && /"disabled"/.test(new TextDecoder().decode(body))) return null;
      throw new RemoteError('the peer has no room list endpoint', false);
    }
    const json = parseJson(await this.#ok(res, MAX_LIST_BYTES)) as { rooms?: unknown; marks?: unknown };
    if (!Array.isArray(json?.rooms)) throw new RemoteError('room list without rooms', false);
    const rooms = json.rooms.filter((r): r is string => typeof r === 'string' && parseRoomName(r) !== null);
    let marks: Map<string, number> | null = null;
    if (typeof json.marks === 'object' && json.marks !== null) {
      marks = new Map();
      for (const [room, mark] of Object.entries(json.marks)) if (typeof mark === 'number') marks.set(room, mark);
    }
    return { rooms, marks };
  }

  /** GET /v1/spaces/<id>: the epochs the remote holds. */
  async epochs(spaceId: string): Promise<number[]> {
    if (!isSpaceId(spaceId)) return [];
    const json = (await this.#json(`/v1/spaces/${spaceId}`, MAX_JSON_BYTES)) as { epochs?: unknown };
    if (!Array.isArray(json?.epochs)) throw new RemoteError('epoch list without epochs', false);
    return json.epochs.filter((e): e is number => Number.isSafeInteger(e) && (e as number) >= 0 && (e as number) <= 0xffffffff);
  }

  /** GET /v1/rooms/<room>?sv=...: what the remote holds that `sv` lacks. */
  async pull(room: string, sv: Uint8Array): Promise<Uint8Array> {
    const res = await this.#fetch(`/v1/rooms/${room}?sv=${toBase64url(sv)}`);
    return this.#ok(res, this.ours.maxRoomBytes + 1024 * 1024);
  }

  /** The remote's state vector of a room, learned by posting an empty update. */
  async stateVector(room: string): Promise<Uint8Array> {
    return this.post(room, new Uint8Array([0, 0]));
  }

  /** POST /v1/rooms/<room>; resolves with the remote's state vector from the receipt. */
  async post(room: string, update: Uint8Array): Promise<Uint8Array> {
    const res = await this.#fetch(`/v1/rooms/${room}`, {
      method: 'POST',
      body: update as Uint8Array<ArrayBuffer>,
      headers: { 'Content-Type': 'application/octet-stream' },
    });
    const body = parseJson(await readLimited(res, MAX_JSON_BYTES)) as { sv?: unknown; error?: unknown; message?: unknown };
    const sv = typeof body?.sv === 'string' ? fromBase64url(body.sv) : null;
    if (res.ok) {
      if (!sv || !isStateVector(sv)) throw new RemoteError('receipt without a state vector', false);
      return sv;
    }
    if (res.status === 409 && body?.error === 'gap' && sv && isStateVector(sv)) throw new GapError(sv);
    const retry = res.status === 429 || res.status >= 500;
    throw new RemoteError(`POST refused: ${res.status} ${String(body?.error ?? '')}`.trim(), retry);
  }

  /** Aborts every request in flight and any later one (the relay is closing). */
  stop(): void {
    this.#stop.abort();
  }

  async #json(path: string, max: number): Promise<unknown> {
    return parseJson(await this.#ok(await this.#fetch(path), max));
  }

  async #fetch(path: string, init: RequestInit = {}): Promise<Response> {
    try {
      const signal = AbortSignal.any([AbortSignal.timeout(TIMEOUT_MS), this.#stop.signal]);
      return await fetch(this.url + path, { ...init, redirect: 'error', signal });
    } catch (err) {
      throw new RemoteError(`unreachable: ${(err as Error).message}`, true);
    }
  }

  async #ok(res: Response, max: number): Promise<Uint8Array> {
    if (!res.ok) {
      await res.body?.cancel().catch(() => {});
      throw new RemoteError(`HTTP ${res.status}`, res.status === 429 || res.status >= 500);
    }
    return readLimited(res, max);
  }
}

/** Reads a body of at most `max` bytes; a longer one is cut off and refused. */
async function readLimited(res: Response, max: number): Promise<Uint8Array> {
  const length = Number(res.headers.get('content-length') ?? NaN);
  if (length > max) {
    await res.body?.cancel().catch(() => {});
    throw new RemoteError(`answer of ${length} bytes is over ${max}`, false);
  }
  if (!res.body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      total += chunk.length;
      if (total > max) throw new RemoteError(`answer over ${max} bytes`, false);
      chunks.push(chunk);
    }
  } catch (err) {
    await res.body.cancel().catch(() => {});
    if (err instanceof RemoteError) throw err;
    throw new RemoteError(`answer cut off: ${(err as Error).message}`, true);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new RemoteError('answer is not JSON', false);
  }
}
