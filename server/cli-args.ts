// Parses `baton relay` arguments into RelayOptions. Pure, so it is tested without a process.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { MirrorSpec, RelayLimits, RelayOptions } from './config.ts';
import { normaliseRelayUrl } from '../shared/index.ts';
import { parseMirror, parseMirrorArg } from './peering/peering.ts';

export const RELAY_USAGE = `Usage: baton relay [options]

Runs a Baton relay: a blind store-and-forward server for encrypted boards.

Options:
  --port N                    port to listen on (default: $PORT or 8787; 0 picks a free one)
  --host H                    address to bind (default: 0.0.0.0)
  --data DIR                  data directory for the SQLite database (default: $BATON_DATA or ./data)
  --memory                    keep everything in memory (nothing survives a restart)
  --no-room-list              do not publish the list of rooms (GET /v1/rooms)
  --durability normal|full    normal survives a crash of the relay; full also survives power loss
  --verify pool|inline        check signatures in worker threads, one per spare core (pool, the
                              default), or on the main thread (inline; $BATON_VERIFY)
  --max-blob-bytes N          largest blob (default 262144)
  --max-update-bytes N        largest update or message (default 1048576)
  --max-room-bytes N          largest room (default 67108864)
  --messages-per-second N     per connection, sustained (default 50)
  --message-burst N           per connection, burst (default 200)
  --max-connections N         in total (default 5000)
  --max-connections-per-room N  (default 500)
  --outbound-buffer-bytes N   unread bytes one connection may have before it is closed
                              (default 4194304)
  --answer-memory-bytes N     bytes of sync answers held for all connections (default 100663296)
  --http-answer-memory-bytes N  bytes of HTTP room reads held at once (default 50331648)
  --max-peer-rooms N          rooms taken from one peer's room list (default 50000)
  --per-source-connections N  connections one source address may hold in one room; only
                              for relays that see real addresses (default 0: off; behind
                              Tor every client is 127.0.0.1)
  --trusted-proxy ADDR        believe X-Forwarded-For from this proxy address (repeatable)
  --idle-unload-seconds N     unload a room this long after its last use (default 30)
  --epoch-retention-days N    keep an older epoch of a space this long after a newer one
                              has a snapshot, then drop it (default 30)
  --peer URL                  replicate every room with this relay, both ways (repeatable)
  --mirror CAP@URL            carry this board (and its threads) from that relay; any
                              capability level works, a mirror one is enough (repeatable);
                              a capability or link with relays in it (CAP?relays=...) is
                              carried from each of them
  --peer-sync-seconds N       poll peers' room lists this often (default 10; decimals allowed)
  --postgres URL              store rooms in PostgreSQL instead of SQLite, so that several
                              relay nodes can share them (default: $BATON_POSTGRES)
  --redis URL                 fan updates out between the nodes of a cluster through Redis
                              Streams (default: $BATON_REDIS); needs --postgres
  --import FILE               import a bundle (.baton) before serving: all rooms or none
  --config FILE               a JSON file of options: {"peers": [...], "mirrors": [...],
                              "port", "host", "data", "roomList", "durability",
                              "idleUnloadSeconds", "peerSyncSeconds", "epochRetentionDays",
                              "import", "postgres", "redis", "limits": {...}};
                              flags given as well win (peers and mirrors add up)
  -h, --help                  show this help

Also: baton mirror status [--relay URL] [--json]   what a relay carries and how far behind it is
`;

export const MIRROR_USAGE = `Usage: baton mirror status [--relay URL] [--json]

Shows what a relay carries for its mirrors and peers: per board and thread, the blobs held
there, whether a live link to the source is open, the last sync and the lag (blobs the
source holds that the relay lacks). --relay defaults to $BATON_RELAY or http://127.0.0.1:8787.
`;

const LIMIT_FLAGS: Record<string, keyof RelayLimits> = {
  'max-blob-bytes': 'maxBlobBytes',
  'max-update-bytes': 'maxUpdateBytes',
  'max-room-bytes': 'maxRoomBytes',
  'messages-per-second': 'messagesPerSecond',
  'message-burst': 'messageBurst',
  'max-connections': 'maxConnections',
  'max-connections-per-room': 'maxConnectionsPerRoom',
  'outbound-buffer-bytes': 'outboundBufferBytes',
  'answer-memory-bytes': 'answerMemoryBytes',
  'http-answer-memory-bytes': 'httpAnswerMemoryBytes',
  'max-peer-rooms': 'maxPeerRooms',
};

export class UsageError extends Error {
  override name = 'UsageError';
}

export type ParsedRelayArgs = { help: true } | { help: false; options: RelayOptions };

export function parseRelayArgs(argv: string[], env: NodeJS.ProcessEnv = {}): ParsedRelayArgs {
  const limitOptions = Object.fromEntries(Object.keys(LIMIT_FLAGS).map((flag) => [flag, { type: 'string' as const }]));
  let values: Record<string, string | boolean | string[] | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      allowPositionals: false,
      strict: true,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        data: { type: 'string' },
        memory: { type: 'boolean' },
        'no-room-list': { type: 'boolean' },
        durability: { type: 'string' },
        verify: { type: 'string' },
        'idle-unload-seconds': { type: 'string' },
        'epoch-retention-days': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        peer: { type: 'string', multiple: true },
        mirror: { type: 'string', multiple: true },
        'peer-sync-seconds': { type: 'string' },
        import: { type: 'string' },
        postgres: { type: 'string' },
        redis: { type: 'string' },
        config: { type: 'string' },
        'per-source-connections': { type: 'string' },
        'trusted-proxy': { type: 'string', multiple: true },
        ...limitOptions,
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) return { help: true };
  const file = values.config === undefined ? {} : readConfigFile(values.config as string);
  for (const [key, value] of Object.entries(file)) {
    const flag = CONFIG_KEYS[key];
    if (flag && values[flag] === undefined && value !== undefined) values[flag] = value as string | boolean;
  }

  const port = number('--port', (values.port as string | undefined) ?? env.PORT ?? '8787', 0);
  if (port > 65535) throw new UsageError('--port must be at most 65535');
  const durability = (values.durability as string | undefined) ?? 'normal';
  if (durability !== 'normal' && durability !== 'full') throw new UsageError('--durability is normal or full');
  const verify = (values.verify as string | undefined) ?? env.BATON_VERIFY;
  if (verify !== undefined && verify !== 'pool' && verify !== 'inline') throw new UsageError('--verify is pool or inline');
  const limits: Partial<RelayLimits> = {};
  for (const [flag, key] of Object.entries(LIMIT_FLAGS)) {
    const text = (values[flag] as string | undefined) ?? file.limits?.[key];
    if (text !== undefined) limits[key] = number(`--${flag}`, String(text), 1);
  }
  const options: RelayOptions = {
    port,
    host: (values.host as string | undefined) ?? '0.0.0.0',
    dataDir: values.memory ? undefined : ((values.data as string | undefined) ?? env.BATON_DATA ?? './data'),
    roomList: !values['no-room-list'] && file.roomList !== false,
    durability,
    limits,
  };
  if (verify !== undefined) options.verify = verify;
  const idle = values['idle-unload-seconds'] as string | undefined;
  if (idle !== undefined) options.idleUnloadMs = number('--idle-unload-seconds', idle, 1) * 1000;
  const retention = values['epoch-retention-days'] as string | undefined;
  if (retention !== undefined) options.epochRetentionMs = number('--epoch-retention-days', retention, 1) * 24 * 3600 * 1000;
  const peers = [...(file.peers ?? []), ...((values.peer as string[] | undefined) ?? [])];
  const mirrors: MirrorSpec[] = [...(file.mirrors ?? [])];
  try {
    for (const arg of (values.mirror as string[] | undefined) ?? []) mirrors.push(...parseMirrorArg(arg));
    for (const peer of peers) normaliseRelayUrl(peer);
    for (const mirror of mirrors) parseMirror(mirror);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  options.peers = peers;
  options.mirrors = mirrors;
  const every = values['peer-sync-seconds'] as string | undefined;
  if (every !== undefined) {
    const seconds = Number(every);
    if (!/^\d+(\.\d+)?$/.test(every) || !(seconds > 0)) throw new UsageError(`--peer-sync-seconds expects a positive number, got "${every}"`);
    options.peerSyncMs = seconds * 1000;
  }
  if (values.import !== undefined) options.importFile = values.import as string;
  const perSource = values['per-source-connections'] as string | undefined;
  if (perSource !== undefined) options.perSourceConnections = number('--per-source-connections', perSource, 0);
  const proxies = [...(file.trustedProxies ?? []), ...((values['trusted-proxy'] as string[] | undefined) ?? [])];
  if (proxies.length > 0) options.trustedProxies = proxies;
  const postgres = (values.postgres as string | undefined) ?? env.BATON_POSTGRES;
  const redis = (values.redis as string | undefined) ?? env.BATON_REDIS;
  if (postgres) options.postgres = checkUrl('--postgres', postgres, ['postgres:', 'postgresql:']);
  if (redis) {
    if (!postgres) throw new UsageError('--redis needs --postgres: the nodes of a cluster share one database');
    options.redis = checkUrl('--redis', redis, ['redis:', 'rediss:']);
  }
  return { help: false, options };
}

/** Config file keys that stand for a flag. */
const CONFIG_KEYS: Record<string, string> = {
  port: 'port',
  host: 'host',
  data: 'data',
  durability: 'durability',
  verify: 'verify',
  idleUnloadSeconds: 'idle-unload-seconds',
  epochRetentionDays: 'epoch-retention-days',
  peerSyncSeconds: 'peer-sync-seconds',
  import: 'import',
  perSourceConnections: 'per-source-connections',
  postgres: 'postgres',
  redis: 'redis',
};

interface ConfigFile {
  peers?: string[];
  mirrors?: MirrorSpec[];
  roomList?: boolean;
  trustedProxies?: string[];
  limits?: Partial<Record<keyof RelayLimits, number>>;
  [key: string]: unknown;
}

/** Reads `--config FILE`: a small JSON object; anything unknown or mistyped is a usage error. */
export function readConfigFile(path: string): ConfigFile {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new UsageError(`cannot read config file ${path}: ${(err as Error).message}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new UsageError('the config file must hold a JSON object');
  const out: ConfigFile = {};
  for (const [key, value] of Object.entries(json)) {
    if (key === 'peers') {
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw new UsageError('config "peers" is a list of relay URLs');
      out.peers = value;
    } else if (key === 'mirrors') {
      if (!Array.isArray(value)) throw new UsageError('config "mirrors" is a list');
      out.mirrors = value.flatMap((m) => {
        if (typeof m === 'string') {
          try {
            return parseMirrorArg(m);
          } catch (err) {
            throw new UsageError((err as Error).message);
          }
        }
        if (typeof m === 'object' && m !== null && typeof m.capability === 'string' && typeof m.relay === 'string') return [{ capability: m.capability, relay: m.relay }];
        throw new UsageError('a config mirror is "<capability>@<relay URL>" or {"capability", "relay"}');
      });
    } else if (key === 'trustedProxies') {
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw new UsageError('config "trustedProxies" is a list of addresses');
      out.trustedProxies = value;
    } else if (key === 'roomList') {
      if (typeof value !== 'boolean') throw new UsageError('config "roomList" is true or false');
      out.roomList = value;
    } else if (key === 'limits') {
      if (typeof value !== 'object' || value === null) throw new UsageError('config "limits" is an object');
      const known = new Set<string>(Object.values(LIMIT_FLAGS));
      for (const name of Object.keys(value)) if (!known.has(name)) throw new UsageError(`unknown limit "${name}" in config`);
      out.limits = value as ConfigFile['limits'];
    } else if (key in CONFIG_KEYS) {
      if (typeof value !== 'string' && typeof value !== 'number') throw new UsageError(`config "${key}" is a string or number`);
      out[key] = String(value);
    } else {
      throw new UsageError(`unknown key "${key}" in config file`);
    }
  }
  return out;
}

function checkUrl(flag: string, text: string, protocols: string[]): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`${flag} expects a URL (${protocols[0]}//host:port/...), got "${text}"`);
  }
  if (!protocols.includes(url.protocol)) throw new UsageError(`${flag} expects a ${protocols.join(' or ')} URL`);
  return text;
}

function number(flag: string, text: string, min: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < min) {
    throw new UsageError(`${flag} expects a whole number of at least ${min}, got "${text}"`);
  }
  return value;
}
