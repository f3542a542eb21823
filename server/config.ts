// Relay options and their defaults. Limits are what /v1/info publishes, so clients and
// relays agree on what is too big.
import { DEFAULT_LIMITS, MESSAGE_FRAMING_BYTES, formatCapability, parseCapability, type Limits } from '#shared';

export interface RelayLimits extends Limits {
  /** Largest WebSocket message the relay reads at all; bigger frames are cut off by ws (1009). */
  maxMessageBytes: number;
  /** Token bucket per connection: sustained messages a second, and the burst allowed. */
  messagesPerSecond: number;
  messageBurst: number;
  /** HTTP writes (POST) a second to one room, with a burst. */
  httpWritesPerSecond: number;
  httpWriteBurst: number;
  maxConnections: number;
  maxConnectionsPerRoom: number;
  /** Largest awareness state `{e: ...}`, as JSON text. */
  maxAwarenessBytes: number;
  /** Bytes one connection may send a second, sustained, and in a burst; past them its socket is read more slowly. */
  inboundBytesPerSecond: number;
  inboundByteBurst: number;
  /** Bytes of answers (sync step 2) one connection may ask for a second, and in a burst; past them answers wait. */
  answerBytesPerSecond: number;
  answerByteBurst: number;
  /** Bytes queued for one connection that it has not read; a reader further behind is closed (1013). */
  outboundBufferBytes: number;
  /** Bytes queued for all connections together that they have not read; past it the readers furthest behind are closed (1013). */
  outboundMemoryBytes: number;
  /** Bytes of answers held for all connections at once; a connection asking for more waits its turn. */
  answerMemoryBytes: number;
  /** Memory the loaded rooms may take, estimated (server/rooms/room-memory.ts); a load past it unloads idle rooms or is refused. */
  roomMemoryBytes: number;
  /** What all of the above that clients can fill (rooms, answers, room reads, updates waiting for checks) may take together (server/memory-ledger.ts). */
  memoryBytes: number;
  /** HTTP POSTs a second to one room that add nothing (empty, already held, or refused), with a burst. */
  httpNoopWritesPerSecond: number;
  httpNoopWriteBurst: number;
  /** Bytes of HTTP answers (room reads) being sent at once; more waits or is refused with 503. */
  httpAnswerMemoryBytes: number;
  /** Rooms taken from one peer's room list (more are ignored), and rooms caught up per poll round. */
  maxPeerRooms: number;
  peerRoomsPerRound: number;
  /** Spaces one mirror carries at most, its root included (docs/PROTOCOL.md §4, "Peering and mirrors"). */
  maxMirrorSpaces: number;
}

export const DEFAULT_RELAY_LIMITS: Readonly<RelayLimits> = Object.freeze({
  ...DEFAULT_LIMITS,
  maxMessageBytes: DEFAULT_LIMITS.maxUpdateBytes + MESSAGE_FRAMING_BYTES,
  messagesPerSecond: 50,
  messageBurst: 200,
  httpWritesPerSecond: 20,
  httpWriteBurst: 100,
  maxConnections: 5000,
  maxConnectionsPerRoom: 500,
  maxAwarenessBytes: 2048,
  inboundBytesPerSecond: 4 * 1024 * 1024,
  inboundByteBurst: 16 * 1024 * 1024,
  answerBytesPerSecond: 8 * 1024 * 1024,
  answerByteBurst: DEFAULT_LIMITS.maxRoomBytes + DEFAULT_LIMITS.maxUpdateBytes,
  outboundBufferBytes: 4 * 1024 * 1024,
  // Room for a hundred readers each an answer's window behind (server/sync/unread-bound.ts).
  outboundMemoryBytes: 128 * 1024 * 1024,
  answerMemoryBytes: 96 * 1024 * 1024,
  roomMemoryBytes: 128 * 1024 * 1024,
  // Under the sum of the bounds it covers (about 340 MiB), above what a full room and its answer need.
  memoryBytes: 192 * 1024 * 1024,
  httpNoopWritesPerSecond: 2,
  httpNoopWriteBurst: 20,
  httpAnswerMemoryBytes: 48 * 1024 * 1024,
  maxPeerRooms: 50_000,
  peerRoomsPerRound: 500,
  // A board of a thousand threads each holding three files fits; 100,000 links do not.
  maxMirrorSpaces: 4096,
});

export type Durability = 'normal' | 'full';

export interface RelayOptions {
  port?: number;
  host?: string;
  /** Directory of the SQLite database; undefined keeps everything in memory. */
  dataDir?: string;
  limits?: Partial<RelayLimits>;
  /** Answer GET /v1/rooms (mirrors use it); false answers 404 disabled. */
  roomList?: boolean;
  log?: (line: string) => void;
  /** Unload a room this long after its last connection and activity. */
  idleUnloadMs?: number;
  /** Merge a room's stored updates into one once it has this many rows. */
  compactAfterRows?: number;
  /** SQLite synchronous mode; see server/storage/sqlite.ts. */
  durability?: Durability;
  /** Ping every connection this often; drop those silent for two intervals. */
  keepaliveMs?: number;
  /** Directory of the built web client; defaults to client/dist beside this package. */
  webRoot?: string;
  /** Peer relays to replicate every room with, both ways (docs/PROTOCOL.md §4). */
  peers?: string[];
  /** Boards (or threads) to carry from a source relay: `{capability, relay}`, any capability level. */
  mirrors?: MirrorSpec[];
  /** Poll each peer's room list (and bulk-sync what changed) this often; default 10 s. */
  peerSyncMs?: number;
  /**
   * Keep an older epoch of a space this long after a newer epoch first held a snapshot, then
   * drop it (docs/PROTOCOL.md §3, epochs); default 30 days. Nothing is dropped for age alone.
   */
  epochRetentionMs?: number;
  /** Longest wait between reconnect attempts to a peer; default 60 s. */
  peerRetryMaxMs?: number;
  /** A bundle file (.baton) to import before serving: every room validated, all or none. */
  importFile?: string;
  /** PostgreSQL URL: store rooms there instead of SQLite (several nodes may share it). */
  postgres?: string;
  /** Redis URL: fan accepted updates out to the other nodes of a cluster through Redis Streams. */
  redis?: string;
  /**
   * Connections one source address may hold in one room; 0 (the default) counts nothing.
   * Only for relays that see real addresses: behind Tor every client is 127.0.0.1.
   */
  perSourceConnections?: number;
  /** Proxies (exact addresses) whose X-Forwarded-For names the source; no other is believed. */
  trustedProxies?: string[];
  /** A connection with bytes queued that drains none for this long is closed; default 30 s. */
  stallMs?: number;
  /** When a room is full, a connection that made no progress for this long gives up its slot; default 10 s. */
  slotGraceMs?: number;
  /**
   * Where signatures are verified: `pool` (default) in worker threads, one per spare core;
   * `inline` on the event loop (also what a one-core machine gets).
   */
  verify?: 'pool' | 'inline';
  /** Worker threads of the pool; default: the cores but one. */
  verifyThreads?: number;
}

export interface MirrorSpec {
  capability: string;
  relay: string;
}

export interface RelayConfig {
  port: number;
  host: string;
  dataDir: string | undefined;
  limits: RelayLimits;
  roomList: boolean;
  log: (line: string) => void;
  idleUnloadMs: number;
  compactAfterRows: number;
  durability: Durability;
  keepaliveMs: number;
  webRoot: string;
  peers: string[];
  mirrors: MirrorSpec[];
  peerSyncMs: number;
  peerRetryMaxMs: number;
  epochRetentionMs: number;
  postgres: string | undefined;
  redis: string | undefined;
  perSourceConnections: number;
  trustedProxies: string[];
  stallMs: number;
  slotGraceMs: number;
  verify: 'pool' | 'inline';
  verifyThreads: number | undefined;
}

 /** docs/PROTOCOL.md §3, epochs: an older epoch stays this long after a newer one has a snapshot. */
export const DEFAULT_EPOCH_RETENTION_MS = 30 * 24 * 3600 * 1000;

const DEFAULT_WEB_ROOT = new URL('../client/dist/', import.meta.url).pathname;

export function resolveConfig(options: RelayOptions = {}): RelayConfig {
  const limits = { ...DEFAULT_RELAY_LIMITS, ...definedOnly(options.limits ?? {}) };
  for (const [name, value] of Object.entries(limits)) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      throw new RangeError(`limit ${name} must be a positive number, got ${String(value)}`);
    }
  }
  if (limits.maxMessageBytes < limits.maxUpdateBytes) limits.maxMessageBytes = limits.maxUpdateBytes + MESSAGE_FRAMING_BYTES;
  // One full room may always be asked for at once.
  if (options.limits?.answerByteBurst === undefined) limits.answerByteBurst = limits.maxRoomBytes + limits.maxUpdateBytes;
  const port = options.port ?? 8787;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`bad port ${port}`);
  return {
    port,
    host: options.host ?? '127.0.0.1',
    dataDir: options.dataDir,
    limits,
    roomList: options.roomList ?? true,
    log: options.log ?? ((line) => console.log(line)),
    verify: options.verify ?? 'pool',
    verifyThreads: options.verifyThreads,
    idleUnloadMs: options.idleUnloadMs ?? 30_000,
    compactAfterRows: options.compactAfterRows ?? 200,
    durability: options.durability ?? 'normal',
    keepaliveMs: options.keepaliveMs ?? 15_000,
    webRoot: options.webRoot ?? DEFAULT_WEB_ROOT,
    peers: options.peers ?? [],
    // A mirror needs only the space id: read or write keys given to it are dropped here.
    mirrors: (options.mirrors ?? []).map((m) => ({ capability: formatCapability(parseCapability(m.capability), 'mirror'), relay: m.relay })),
    peerSyncMs: positive('peerSyncMs', options.peerSyncMs ?? 10_000),
    peerRetryMaxMs: positive('peerRetryMaxMs', options.peerRetryMaxMs ?? 60_000),
    epochRetentionMs: positive('epochRetentionMs', options.epochRetentionMs ?? DEFAULT_EPOCH_RETENTION_MS),
    postgres: serviceUrl('postgres', options.postgres, ['postgres:', 'postgresql:']),
    redis: serviceUrl('redis', options.redis, ['redis:', 'rediss:']),
    perSourceConnections: nonNegativeInteger('perSourceConnections', options.perSourceConnections ?? 0),
    trustedProxies: options.trustedProxies ?? [],
    stallMs: positive('stallMs', options.stallMs ?? 30_000),
    slotGraceMs: positive('slotGraceMs', options.slotGraceMs ?? 10_000),
  };
}

/** The limits a client needs to know, as /v1/info publishes them. */
export function publicLimits(limits: RelayLimits): Record<string, number> {
  return {
    maxBlobBytes: limits.maxBlobBytes,
    maxUpdateBytes: limits.maxUpdateBytes,
    maxRoomBytes: limits.maxRoomBytes,
    compactAfterBlobs: limits.compactAfterBlobs,
    maxMessageBytes: limits.maxMessageBytes,
    messagesPerSecond: limits.messagesPerSecond,
    messageBurst: limits.messageBurst,
    maxAwarenessBytes: limits.maxAwarenessBytes,
  };
}

function serviceUrl(name: string, value: string | undefined, protocols: string[]): string | undefined {
  if (value === undefined || value === '') return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new RangeError(`${name} must be a URL (${protocols[0]}//host:port/...)`);
  }
  if (!protocols.includes(url.protocol)) throw new RangeError(`${name} must be a ${protocols.join(' or ')} URL, got ${url.protocol}`);
  return value;
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a positive number, got ${String(value)}`);
  return value;
}

function nonNegativeInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be 0 or a positive integer, got ${String(value)}`);
  return value;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
