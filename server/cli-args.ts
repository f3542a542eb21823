// Parses `baton relay` arguments into RelayOptions. Pure, so it is tested without a process.
import { parseArgs } from 'node:util';
import type { RelayLimits, RelayOptions } from './config.ts';

export const RELAY_USAGE = `Usage: baton relay [options]

Runs a Baton relay: a blind store-and-forward server for encrypted boards.

Options:
  --port N                    port to listen on (default: $PORT or 8787; 0 picks a free one)
  --host H                    address to bind (default: 0.0.0.0)
  --data DIR                  data directory for the SQLite database (default: $BATON_DATA or ./data)
  --memory                    keep everything in memory (nothing survives a restart)
  --no-room-list              do not publish the list of rooms (GET /v1/rooms)
  --durability normal|full    normal survives a crash of the relay; full also survives power loss
  --max-blob-bytes N          largest blob (default 262144)
  --max-update-bytes N        largest update or message (default 1048576)
  --max-room-bytes N          largest room (default 67108864)
  --messages-per-second N     per connection, sustained (default 50)
  --message-burst N           per connection, burst (default 200)
  --max-connections N         in total (default 5000)
  --max-connections-per-room N  (default 500)
  --idle-unload-seconds N     unload a room this long after its last use (default 30)
  -h, --help                  show this help
`;

const LIMIT_FLAGS: Record<string, keyof RelayLimits> = {
  'max-blob-bytes': 'maxBlobBytes',
  'max-update-bytes': 'maxUpdateBytes',
  'max-room-bytes': 'maxRoomBytes',
  'messages-per-second': 'messagesPerSecond',
  'message-burst': 'messageBurst',
  'max-connections': 'maxConnections',
  'max-connections-per-room': 'maxConnectionsPerRoom',
};

export class UsageError extends Error {
  override name = 'UsageError';
}

export type ParsedRelayArgs = { help: true } | { help: false; options: RelayOptions };

export function parseRelayArgs(argv: string[], env: NodeJS.ProcessEnv = {}): ParsedRelayArgs {
  const limitOptions = Object.fromEntries(Object.keys(LIMIT_FLAGS).map((flag) => [flag, { type: 'string' as const }]));
  let values: Record<string, string | boolean | undefined>;
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
        'idle-unload-seconds': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        ...limitOptions,
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) return { help: true };

  const port = number('--port', (values.port as string | undefined) ?? env.PORT ?? '8787', 0);
  if (port > 65535) throw new UsageError('--port must be at most 65535');
  const durability = (values.durability as string | undefined) ?? 'normal';
  if (durability !== 'normal' && durability !== 'full') throw new UsageError('--durability is normal or full');
  const limits: Partial<RelayLimits> = {};
  for (const [flag, key] of Object.entries(LIMIT_FLAGS)) {
    const text = values[flag] as string | undefined;
    if (text !== undefined) limits[key] = number(`--${flag}`, text, 1);
  }
  const options: RelayOptions = {
    port,
    host: (values.host as string | undefined) ?? '0.0.0.0',
    dataDir: values.memory ? undefined : ((values.data as string | undefined) ?? env.BATON_DATA ?? './data'),
    roomList: !values['no-room-list'],
    durability,
    limits,
  };
  const idle = values['idle-unload-seconds'] as string | undefined;
  if (idle !== undefined) options.idleUnloadMs = number('--idle-unload-seconds', idle, 1) * 1000;
  return { help: false, options };
}

function number(flag: string, text: string, min: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < min) {
    throw new UsageError(`${flag} expects a whole number of at least ${min}, got "${text}"`);
  }
  return value;
}
