// Every option of `baton relay`, declared once: the usage text, the argument parser's table,
// the config file's keys and the table in docs/OPERATORS.md are all made from this list.
import { DEFAULT_RELAY_LIMITS, type RelayLimits } from './config.ts';
import { say, str } from './l10n.ts';

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
  /** One line in the chosen language (say()); `code` is shown as is in the usage text. */
  help: () => string;
}

const limit = (name: string, key: keyof RelayLimits, help: () => string): RelayOption => ({ name, value: 'N', limit: key, config: key, help });

export const RELAY_OPTIONS: readonly RelayOption[] = [
  { name: 'port', value: 'N', default: '8787', env: 'PORT', config: 'port', help: () => say('port to listen on (0 picks a free one)', { id: 'relay.opt.port' }) },
  { name: 'host', value: 'H', default: '0.0.0.0', config: 'host', help: () => say('address to bind; use 127.0.0.1 behind a reverse proxy or for an onion service', { id: 'relay.opt.host' }) },
  { name: 'data', value: 'DIR', default: './data', env: 'BATON_DATA', config: 'data', help: () => say('directory of the SQLite database (`baton-relay.sqlite`, mode 0700)', { id: 'relay.opt.data' }) },
  { name: 'memory', help: () => say('keep everything in memory: nothing survives a restart', { id: 'relay.opt.memory' }) },
  { name: 'no-room-list', default: 'list on', config: 'roomList', help: () => say('do not answer `GET /v1/rooms` (nor `/v1/mirror/status`); in the config file, `"roomList": false`', { id: 'relay.opt.noRoomList' }) },
  { name: 'durability', value: 'normal|full', default: 'normal', config: 'durability', help: () => say('`normal` survives a crash of the relay; `full` also a power cut (slower writes)', { id: 'relay.opt.durability' }) },
  {
    name: 'verify',
    value: 'pool|inline',
    default: 'pool',
    env: 'BATON_VERIFY',
    config: 'verify',
    help: () => say('where Ed25519 signatures are checked: worker threads, one per spare core (`pool`), or the main thread (`inline`, also what a one-core machine gets)', { id: 'relay.opt.verify' }),
  },
  { name: 'peer', value: 'URL', repeatable: true, default: 'none', config: 'peers', help: () => say('replicate every room with this relay, both ways (repeatable)', { id: 'relay.opt.peer' }) },
  { name: 'mirror', value: 'CAP@URL', repeatable: true, default: 'none', config: 'mirrors', help: () => say('carry one board and its threads from that relay; any capability level works, a mirror one is enough; a capability or link with relays in it (`CAP?relays=…`, as the share dialog gives it) is carried from each of them (repeatable)', { id: 'relay.opt.mirror' }) },
  { name: 'peer-sync-seconds', value: 'N', default: '10', config: 'peerSyncSeconds', help: () => say("how often peers' room lists are polled (decimals allowed)", { id: 'relay.opt.peerSyncSeconds' }) },
  { name: 'import', value: 'FILE', config: 'import', help: () => say('import a bundle (`.baton`) before serving: all rooms or none', { id: 'relay.opt.import' }) },
  { name: 'postgres', value: 'URL', env: 'BATON_POSTGRES', config: 'postgres', help: () => say('store rooms in PostgreSQL instead of SQLite (`--data` is then unused); see "A cluster"', { id: 'relay.opt.postgres' }) },
  { name: 'redis', value: 'URL', env: 'BATON_REDIS', config: 'redis', help: () => say('one node of a cluster: fan updates out to the other nodes through Redis Streams (needs `--postgres`)', { id: 'relay.opt.redis' }) },
  { name: 'config', value: 'FILE', help: () => say('a JSON file of the same options (keys below); flags given as well win, lists add up', { id: 'relay.opt.config' }) },
  { name: 'idle-unload-seconds', value: 'N', default: '30', config: 'idleUnloadSeconds', help: () => say('unload a room from memory this long after its last use', { id: 'relay.opt.idleUnloadSeconds' }) },
  {
    name: 'epoch-retention-days',
    value: 'N',
    default: '30',
    config: 'epochRetentionDays',
    help: () => say('keep an older epoch of a space this long after a newer epoch first held a snapshot, then drop it (nothing is dropped for age alone; a dropped epoch is not fetched back from peers)', { id: 'relay.opt.epochRetentionDays' }),
  },
  limit('max-blob-bytes', 'maxBlobBytes', () => say('largest blob', { id: 'relay.opt.maxBlobBytes' })),
  limit('max-update-bytes', 'maxUpdateBytes', () => say('largest update (one sync message, one POST)', { id: 'relay.opt.maxUpdateBytes' })),
  limit('max-room-bytes', 'maxRoomBytes', () => say("largest room (one board's or thread's epoch)", { id: 'relay.opt.maxRoomBytes' })),
  limit('messages-per-second', 'messagesPerSecond', () => say('per connection, sustained', { id: 'relay.opt.messagesPerSecond' })),
  limit('message-burst', 'messageBurst', () => say('per connection, burst', { id: 'relay.opt.messageBurst' })),
  limit('max-connections', 'maxConnections', () => say('WebSocket connections in total', { id: 'relay.opt.maxConnections' })),
  limit('max-connections-per-room', 'maxConnectionsPerRoom', () => say('WebSocket connections per room', { id: 'relay.opt.maxConnectionsPerRoom' })),
  limit('outbound-buffer-bytes', 'outboundBufferBytes', () => say('bytes one connection may leave unread before it is closed (1013)', { id: 'relay.opt.outboundBufferBytes' })),
  limit('outbound-memory-bytes', 'outboundMemoryBytes', () => say('bytes all connections together may leave unread; past it the readers furthest behind are closed (1013)', { id: 'relay.opt.outboundMemoryBytes' })),
  limit('answer-memory-bytes', 'answerMemoryBytes', () => say('bytes of sync answers held for all connections at once', { id: 'relay.opt.answerMemoryBytes' })),
  limit('room-memory-bytes', 'roomMemoryBytes', () => say('memory the loaded rooms may take, estimated (bytes plus about 450 a blob); past it idle rooms are unloaded, or a room is refused (1013, 429) until memory frees', { id: 'relay.opt.roomMemoryBytes' })),
  limit('http-answer-memory-bytes', 'httpAnswerMemoryBytes', () => say('bytes of HTTP room reads held at once; more get 429', { id: 'relay.opt.httpAnswerMemoryBytes' })),
  limit('memory-bytes', 'memoryBytes', () => say('memory the bounds above may take together (loaded rooms, answers, room reads, updates waiting for checks); kept copies are dropped first, then more waits or is refused', { id: 'relay.opt.memoryBytes' })),
  limit('max-peer-rooms', 'maxPeerRooms', () => say("rooms taken from one peer's room list", { id: 'relay.opt.maxPeerRooms' })),
  limit('max-mirror-spaces', 'maxMirrorSpaces', () => say('boards, threads and files one mirror carries, its root included; links past it are not followed', { id: 'relay.opt.maxMirrorSpaces' })),
  {
    name: 'per-source-connections',
    value: 'N',
    default: '0',
    config: 'perSourceConnections',
    help: () => say('connections one source address may hold in one room, 0 for no such limit; only for relays that see real addresses (see "Limits against abuse")', { id: 'relay.opt.perSourceConnections' }),
  },
  { name: 'trusted-proxy', value: 'ADDR', repeatable: true, default: 'none', config: 'trustedProxies', help: () => say('believe `X-Forwarded-For` from this proxy address (repeatable)', { id: 'relay.opt.trustedProxy' }) },
  { name: 'lang', value: 'L', help: () => say('language of the help, errors and log lines (default from LC_ALL, LC_MESSAGES or LANG); JSON answers are the same in every language', { id: 'relay.opt.lang' }) },
  { name: 'help', short: 'h', help: () => say('show this help', { id: 'relay.opt.help' }) },
];

/** The declared default of an option that has one (the parser uses it, so docs and code agree). */
export function declaredDefault(name: string): string {
  const value = RELAY_OPTIONS.find((o) => o.name === name)?.default;
  if (value === undefined) throw new Error(`the option --${name} declares no default`);
  return value;
}

/** A default that is a word rather than a value, in the chosen language. */
function defaultWord(value: string | undefined): string | undefined {
  if (value === 'none') return say('none', { id: 'relay.defaultNone' });
  if (value === 'list on') return say('list on', { id: 'relay.defaultListOn' });
  return value;
}

/** The default as shown: the environment variable first, if there is one. */
export function defaultText(option: RelayOption, code: (text: string) => string = (t) => t): string {
  const base = option.limit ? String(DEFAULT_RELAY_LIMITS[option.limit]) : defaultWord(option.default);
  if (!option.env) return base ?? '';
  const variable = code(`$${option.env}`);
  return base === undefined ? variable : say(str`${variable} or ${base}`, { id: 'relay.defaultEnvOr' });
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

/** `baton relay --help`, in the chosen language: command lines, flags and keys as typed. */
export function relayUsage(): string {
  const lines = [
    'Usage: baton relay [options]',
    '',
    say('Runs a Baton relay: a blind store-and-forward server for encrypted boards.', { id: 'relay.usageAbout' }),
    '',
    say('Options:', { id: 'relay.usageOptions' }),
  ];
  for (const option of RELAY_OPTIONS) {
    const shown = defaultText(option);
    const note = shown ? say(str`(default: ${shown})`, { id: 'relay.usageDefault' }) : '';
    lines.push(...wrap(`  ${flagText(option)}`.padEnd(HELP_COLUMN), option.help().replaceAll('`', ''), HELP_COLUMN, note));
  }
  const keys = [...CONFIG_OPTIONS.keys(), 'limits'].map((k) => `"${k}"`).join(', ');
  const limits = LIMIT_OPTIONS.map((o) => o.limit).join(', ');
  lines.push('', ...wrap('', say(str`Config file keys (--config FILE, JSON): ${keys}; "limits" is an object of ${limits}.`, { id: 'relay.usageConfigKeys' }), 0));
  const mirror = say('what a relay carries and how far behind it is', { id: 'relay.usageMirror' });
  lines.push('', `baton mirror status [--relay URL] [--json]   ${mirror}`, '');
  return lines.join('\n');
}

/** The flag table of docs/OPERATORS.md, "Flags". */
export function operatorsTable(): string {
  const cell = (text: string) => text.replaceAll('|', '\\|');
  const row = (cells: string[]) => `| ${cells.map(cell).join(' | ')} |`.replace('|  |', '| |');
  const rows = RELAY_OPTIONS.filter((o) => o.name !== 'help').map((o) => row([`\`${flagText(o)}\``, defaultText(o, (t) => `\`${t}\``), o.help()]));
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
