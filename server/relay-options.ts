// Every option of `baton relay`, declared once: the usage text, the argument parser's table,
// the config file's keys and the table in docs/OPERATORS.md are all made from this list.
import { DEFAULT_RELAY_LIMITS, type RelayLimits } from './config.ts';

export interface RelayOption {
  /** The flag without its dashes. */
  name: string;
  /** What the flag takes, as the usage shows it (`N`, `URL`); none for a switch. */
  value?: string;
  /** Given several times, the values add up. */
  repeatable?: true;
  short?: string;
  /** The default as people read it; a limit's comes from DEFAULT_RELAY_LIMITS. */
  default?: string;
  /** An environment variable read when the flag (and the config file) leave the option out. */
  env?: string;
  /** The config file's key for it (a limit's key is under "limits"). */
  config?: string;
  /** The limit it sets (server/config.ts). */
  limit?: keyof RelayLimits;
  /** One line; `code` is shown as is in the usage text. */
  help: string;
}

const limit = (name: string, key: keyof RelayLimits, help: string): RelayOption => ({ name, value: 'N', limit: key, config: key, help });

export const RELAY_OPTIONS: readonly RelayOption[] = [
  { name: 'port', value: 'N', default: '8787', env: 'PORT', config: 'port', help: 'port to listen on (0 picks a free one)' },
  { name: 'host', value: 'H', default: '0.0.0.0', config: 'host', help: 'address to bind; use 127.0.0.1 behind a reverse proxy or for an onion service' },
  { name: 'data', value: 'DIR', default: './data', env: 'BATON_DATA', config: 'data', help: 'directory of the SQLite database (`baton-relay.sqlite`, mode 0700)' },
  { name: 'memory', help: 'keep everything in memory: nothing survives a restart' },
  { name: 'no-room-list', default: 'list on', config: 'roomList', help: 'do not answer `GET /v1/rooms` (nor `/v1/mirror/status`); in the config file, `"roomList": false`' },
  { name: 'durability', value: 'normal|full', default: 'normal', config: 'durability', help: '`normal` survives a crash of the relay; `full` also a power cut (slower writes)' },
  {
    name: 'verify',
    value: 'pool|inline',
    default: 'pool',
    env: 'BATON_VERIFY',
    config: 'verify',
    help: 'where Ed25519 signatures are checked: worker threads, one per spare core (`pool`), or the main thread (`inline`, also what a one-core machine gets)',
  },
  { name: 'peer', value: 'URL', repeatable: true, default: 'none', config: 'peers', help: 'replicate every room with this relay, both ways (repeatable)' },
  { name: 'mirror', value: 'CAP@URL', repeatable: true, default: 'none', config: 'mirrors', help: 'carry one board and its threads from that relay; any capability level works, a mirror one is enough; a capability or link with relays in it (`CAP?relays=…`, as the share dialog gives it) is carried from each of them (repeatable)' },
  { name: 'peer-sync-seconds', value: 'N', default: '10', config: 'peerSyncSeconds', help: "how often peers' room lists are polled (decimals allowed)" },
  { name: 'import', value: 'FILE', config: 'import', help: 'import a bundle (`.baton`) before serving: all rooms or none' },
  { name: 'postgres', value: 'URL', env: 'BATON_POSTGRES', config: 'postgres', help: 'store rooms in PostgreSQL instead of SQLite (`--data` is then unused); see "A cluster"' },
  { name: 'redis', value: 'URL', env: 'BATON_REDIS', config: 'redis', help: 'one node of a cluster: fan updates out to the other nodes through Redis Streams (needs `--postgres`)' },
  { name: 'config', value: 'FILE', help: 'a JSON file of the same options (keys below); flags given as well win, lists add up' },
  { name: 'idle-unload-seconds', value: 'N', default: '30', config: 'idleUnloadSeconds', help: 'unload a room from memory this long after its last use' },
  {
    name: 'epoch-retention-days',
    value: 'N',
    default: '30',
    config: 'epochRetentionDays',
    help: 'keep an older epoch of a space this long after a newer epoch first held a snapshot, then drop it (nothing is dropped for age alone; a dropped epoch is not fetched back from peers)',
  },
  limit('max-blob-bytes', 'maxBlobBytes', 'largest blob'),
  limit('max-update-bytes', 'maxUpdateBytes', 'largest update (one sync message, one POST)'),
  limit('max-room-bytes', 'maxRoomBytes', "largest room (one board's or thread's epoch)"),
  limit('messages-per-second', 'messagesPerSecond', 'per connection, sustained'),
  limit('message-burst', 'messageBurst', 'per connection, burst'),
  limit('max-connections', 'maxConnections', 'WebSocket connections in total'),
  limit('max-connections-per-room', 'maxConnectionsPerRoom', 'WebSocket connections per room'),
  limit('outbound-buffer-bytes', 'outboundBufferBytes', 'bytes one connection may leave unread before it is closed (1013)'),
  limit('answer-memory-bytes', 'answerMemoryBytes', 'bytes of sync answers held for all connections at once'),
  limit('http-answer-memory-bytes', 'httpAnswerMemoryBytes', 'bytes of HTTP room reads held at once; more get 429'),
  limit('max-peer-rooms', 'maxPeerRooms', "rooms taken from one peer's room list"),
  limit('max-mirror-spaces', 'maxMirrorSpaces', 'boards, threads and files one mirror carries, its root included; links past it are not followed'),
  {
    name: 'per-source-connections',
    value: 'N',
    default: '0',
    config: 'perSourceConnections',
    help: 'connections one source address may hold in one room, 0 for no such limit; only for relays that see real addresses (see "Limits against abuse")',
  },
  { name: 'trusted-proxy', value: 'ADDR', repeatable: true, default: 'none', config: 'trustedProxies', help: 'believe `X-Forwarded-For` from this proxy address (repeatable)' },
  { name: 'help', short: 'h', help: 'show this help' },
];

/** The declared default of an option that has one (the parser uses it, so docs and code agree). */
export function declaredDefault(name: string): string {
  const value = RELAY_OPTIONS.find((o) => o.name === name)?.default;
  if (value === undefined) throw new Error(`the option --${name} declares no default`);
  return value;
}

/** The default as shown: the environment variable first, if there is one. */
export function defaultText(option: RelayOption, code: (text: string) => string = (t) => t): string {
  const base = option.limit ? String(DEFAULT_RELAY_LIMITS[option.limit]) : option.default;
  if (!option.env) return base ?? '';
  return base === undefined ? code(`$${option.env}`) : `${code(`$${option.env}`)} or ${base}`;
}

const flagText = (option: RelayOption): string => `${option.short ? `-${option.short}, ` : ''}--${option.name}${option.value ? ` ${option.value}` : ''}`;

/** The parser's table for node:util parseArgs. */
export function parseArgsTable(): Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }> {
  return Object.fromEntries(
    RELAY_OPTIONS.map((o) => [o.name, { type: o.value ? ('string' as const) : ('boolean' as const), ...(o.repeatable ? { multiple: true } : {}), ...(o.short ? { short: o.short } : {}) }]),
  );
}

/** Config file key to option (limits are under "limits", not here). */
export const CONFIG_OPTIONS: ReadonlyMap<string, RelayOption> = new Map(RELAY_OPTIONS.filter((o) => o.config && !o.limit).map((o) => [o.config as string, o]));

/** Config keys under "limits". */
export const LIMIT_OPTIONS: readonly RelayOption[] = RELAY_OPTIONS.filter((o) => o.limit);

const USAGE_WIDTH = 96;
const HELP_COLUMN = 32;

/** `baton relay --help`. */
export function relayUsage(): string {
  const lines = ['Usage: baton relay [options]', '', 'Runs a Baton relay: a blind store-and-forward server for encrypted boards.', '', 'Options:'];
  for (const option of RELAY_OPTIONS) {
    const shown = defaultText(option);
    const note = shown ? `(default: ${shown})` : '';
    lines.push(...wrap(`  ${flagText(option)}`.padEnd(HELP_COLUMN), option.help.replaceAll('`', ''), HELP_COLUMN, note));
  }
  const keys = [...CONFIG_OPTIONS.keys(), 'limits'].map((k) => `"${k}"`).join(', ');
  lines.push('', ...wrap('', `Config file keys (--config FILE, JSON): ${keys}; "limits" is an object of ${LIMIT_OPTIONS.map((o) => o.limit).join(', ')}.`, 0));
  lines.push('', 'Also: baton mirror status [--relay URL] [--json]   what a relay carries and how far behind it is', '');
  return lines.join('\n');
}

/** The flag table of docs/OPERATORS.md, "Flags". */
export function operatorsTable(): string {
  const cell = (text: string) => text.replaceAll('|', '\\|');
  const row = (cells: string[]) => `| ${cells.map(cell).join(' | ')} |`.replace('|  |', '| |');
  const rows = RELAY_OPTIONS.filter((o) => o.name !== 'help').map((o) => row([`\`${flagText(o)}\``, defaultText(o, (t) => `\`${t}\``), o.help]));
  return ['| flag | default | meaning |', '| --- | --- | --- |', ...rows].join('\n');
}

/** `prefix` then `text`, broken at spaces to fit the usage width (the note is kept whole); continuations start at `indent`. */
function wrap(prefix: string, text: string, indent: number, note = ''): string[] {
  const words = text.split(' ');
  if (note) words.push(note);
  const out: string[] = [];
  let line = prefix;
  let empty = true;
  for (const word of words) {
    if (!empty && line.length + 1 + word.length > USAGE_WIDTH) {
      out.push(line);
      line = ' '.repeat(indent);
      empty = true;
    }
    line += line === '' || line.endsWith(' ') ? word : ` ${word}`;
    empty = false;
  }
  out.push(line);
  return out;
}
