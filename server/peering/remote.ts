// HTTP client of another relay's API (docs/PROTOCOL.md §4): info, room list, epochs, room read and
// write. Everything it returns was checked for shape; bytes still go through the validator.
import { DEFAULT_LIMITS, PROTOCOL_VERSION, fromBase64url, isSpaceId, parseRoomName, toBase64url } from '#shared';
import { Slice } from '../slices.ts';
import { HttpCap, isStateVector, requestBytes, requestJson, roomAnswerCap, type WireClient, type WireFailure, type WireResult } from '#shared/wire/index.ts';

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

/** The remote speaks another protocol (docs/PROTOCOL.md §8): nothing it holds could pass here, so it is not retried. */
export class ProtocolMismatch extends RemoteError {
  override name = 'ProtocolMismatch';
  constructor(readonly protocol: unknown) {
    super(`speaks protocol ${typeof protocol === 'number' ? protocol : 'unknown'}; this relay speaks protocol ${PROTOCOL_VERSION} only (protocol 1 is retired)`, false);
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
/** Info, epochs and receipts: small JSON answers (the wire limits). */
const MAX_JSON_BYTES = HttpCap.json;
/**
 * Event-loop time a room list is read for at a time: a peer may list 50,000 rooms, made up or
 * not, on every poll, and reading them in one go held the loop 100-160 ms per poll.
 */
export const ROOM_LIST_SLICE_MS = 8;

export class RemoteRelay {
  /** The remote's update limit (from /v1/info), never more than ours. */
  maxUpdateBytes: number;
  readonly #stop = new AbortController();
  readonly #client: WireClient;

  constructor(
    readonly url: string,
    private readonly ours: { maxUpdateBytes: number; maxRoomBytes: number },
  ) {
    this.maxUpdateBytes = Math.min(ours.maxUpdateBytes, DEFAULT_LIMITS.maxUpdateBytes);
    this.#client = { fetch: (url, init) => fetch(url, init as RequestInit), timeoutMs: TIMEOUT_MS, signal: this.#stop.signal, redirect: 'error' };
  }

  /** GET /v1/info: checks it is a Baton relay and learns its update limit. */
  async info(): Promise<void> {
    const json = (await this.#json('/v1/info', MAX_JSON_BYTES)) as { software?: unknown; protocol?: unknown; limits?: { maxUpdateBytes?: unknown } };
    if (json?.software !== 'baton') throw new RemoteError('not a Baton relay', true);
    if (json.protocol !== PROTOCOL_VERSION) throw new ProtocolMismatch(json.protocol);
    const limit = json.limits?.maxUpdateBytes;
    if (typeof limit === 'number' && Number.isSafeInteger(limit) && limit >= 1024) {
      this.maxUpdateBytes = Math.min(limit, this.ours.maxUpdateBytes);
    }
  }

  /** GET /v1/rooms?marks=1; null when the remote has switched its list off. */
  async rooms(): Promise<RemoteRoomList | null> {
    const answer = await requestJson(this.#client, this.url + '/v1/rooms?marks=1', { maxBytes: HttpCap.roomList });
    if (!answer.ok && answer.status === 404) {
      if (answer.refusal?.code === 'disabled') return null;
      throw new RemoteError('the peer has no room list endpoint', false);
    }
    const json = ok(answer) as { rooms?: unknown; marks?: unknown };
    if (!Array.isArray(json?.rooms)) throw new RemoteError('room list without rooms', false);
    const slice = new Slice(ROOM_LIST_SLICE_MS);
    const rooms: string[] = [];
    for (const r of json.rooms as unknown[]) {
      if (typeof r === 'string' && parseRoomName(r) !== null) rooms.push(r);
      if (slice.due()) await slice.pause();
    }
    let marks: Map<string, number> | null = null;
    if (typeof json.marks === 'object' && json.marks !== null) {
      marks = new Map();
      for (const [room, mark] of Object.entries(json.marks)) {
        if (typeof mark === 'number') marks.set(room, mark);
        if (slice.due()) await slice.pause();
      }
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
    return ok(await requestBytes(this.#client, `${this.url}/v1/rooms/${room}?sv=${toBase64url(sv)}`, { maxBytes: roomAnswerCap(this.ours.maxRoomBytes) }));
  }

  /** The remote's state vector of a room, learned by posting an empty update. */
  async stateVector(room: string): Promise<Uint8Array> {
    return this.post(room, new Uint8Array([0, 0]));
  }

  /** POST /v1/rooms/<room>; resolves with the remote's state vector from the receipt. */
  async post(room: string, update: Uint8Array): Promise<Uint8Array> {
    const answer = await requestJson(this.#client, `${this.url}/v1/rooms/${room}`, {
      method: 'POST',
      body: update as Uint8Array<ArrayBuffer>,
      headers: { 'Content-Type': 'application/octet-stream' },
      maxBytes: MAX_JSON_BYTES,
    });
    if (answer.ok) {
      const sv = svOf(answer.body);
      if (!sv) throw new RemoteError('receipt without a state vector', false);
      return sv;
    }
    if (answer.kind !== 'refused') throw failed(answer);
    const refusal = answer.refusal!;
    const sv = svOf(refusal.json);
    if (answer.status === 409 && refusal.code === 'gap' && sv) throw new GapError(sv);
    const retry = answer.status === 429 || answer.status >= 500;
    throw new RemoteError(`POST refused: ${answer.status} ${refusal.code ?? ''}`.trim(), retry);
  }

  /** Aborts every request in flight and any later one (the relay is closing). */
  stop(): void {
    this.#stop.abort();
  }

  async #json(path: string, maxBytes: number): Promise<unknown> {
    return ok(await requestJson(this.#client, this.url + path, { maxBytes }));
  }
}

/** The body of a good answer; anything else as the RemoteError it is. */
function ok<T>(answer: WireResult<T>): T {
  if (!answer.ok) throw failed(answer);
  return answer.body;
}

/** Down, busy, limited or slow is worth retrying; a refusal or a bad answer is not. */
function failed(failure: WireFailure): RemoteError {
  switch (failure.kind) {
    case 'refused':
      return new RemoteError(`HTTP ${failure.status}`, failure.status === 429 || failure.status >= 500);
    case 'unreachable':
      return new RemoteError(`unreachable: ${failure.detail}`, true);
    case 'timeout':
    case 'stopped':
    case 'cut-off':
      return new RemoteError(failure.detail, true);
    case 'too-large':
    case 'bad-answer':
      return new RemoteError(failure.detail, false);
  }
}

/** The state vector of a receipt or a gap refusal, if it holds a well-formed one. */
function svOf(json: unknown): Uint8Array | null {
  const field = typeof json === 'object' && json !== null ? (json as { sv?: unknown }).sv : undefined;
  const sv = typeof field === 'string' ? fromBase64url(field) : null;
  return sv && isStateVector(sv) ? sv : null;
}
