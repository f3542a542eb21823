// Parses `baton relay` arguments into RelayOptions. Pure, so it is tested without a process.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { MirrorSpec, RelayLimits, RelayOptions } from './config.ts';
import { normaliseRelayUrl } from '#shared';
import { parseMirror, parseMirrorArg } from './peering/peering.ts';
import { say, str } from './l10n.ts';
import { CONFIG_OPTIONS, LIMIT_OPTIONS, RELAY_OPTIONS, declaredDefault, parseArgsTable } from './relay-options.ts';

export { relayUsage } from './relay-options.ts';

/** `baton mirror --help`, in the chosen language. */
export function mirrorUsage(): string {
  const about = say(
    'Shows what a relay carries for its mirrors and peers: per board and thread, the blobs held there, whether a live link to the source is open, the last sync and the lag (blobs the source holds that the relay lacks). --relay defaults to $BATON_RELAY or http://127.0.0.1:8787. --lang L: the language of the text (default from LC_ALL, LC_MESSAGES or LANG).',
    { id: 'relay.mirrorUsage' },
  );
  return `Usage: baton mirror status [--relay URL] [--json] [--lang L]\n\n${about}\n`;
}

export class UsageError extends Error {
  override name = 'UsageError';
}

export type ParsedRelayArgs = { help: true } | { help: false; options: RelayOptions };

export function parseRelayArgs(argv: string[], env: NodeJS.ProcessEnv = {}): ParsedRelayArgs {
  let values: Record<string, string | boolean | string[] | undefined>;
  try {
    values = parseArgs({ args: argv, allowPositionals: false, strict: true, options: parseArgsTable() }).values as typeof values;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) return { help: true };
  // Flags first, then the config file, then the environment.
  const file = values.config === undefined ? { values: {}, limits: {} } : readConfigFile(values.config as string);
  for (const option of RELAY_OPTIONS) {
    const fromFile = file.values[option.name];
    if (option.repeatable) values[option.name] = [...((fromFile as string[] | undefined) ?? []), ...((values[option.name] as string[] | undefined) ?? [])];
    else values[option.name] ??= fromFile;
    if (option.env && values[option.name] === undefined) values[option.name] = env[option.env];
  }

  const port = number('--port', (values.port as string | undefined) ?? declaredDefault('port'), 0);
  if (port > 65535) throw new UsageError(say('--port must be at most 65535', { id: 'relay.portTooHigh' }));
  const durability = (values.durability as string | undefined) ?? declaredDefault('durability');
  if (durability !== 'normal' && durability !== 'full') throw new UsageError(say('--durability is normal or full', { id: 'relay.badDurability' }));
  const verify = values.verify as string | undefined;
  if (verify !== undefined && verify !== 'pool' && verify !== 'inline') throw new UsageError(say('--verify is pool or inline', { id: 'relay.badVerify' }));
  const limits: Partial<RelayLimits> = {};
  for (const { name, limit } of LIMIT_OPTIONS) {
    const key = limit as keyof RelayLimits;
    const text = (values[name] as string | undefined) ?? file.limits[key];
    if (text !== undefined) limits[key] = number(`--${name}`, String(text), 1);
  }
  const options: RelayOptions = {
    port,
    host: (values.host as string | undefined) ?? declaredDefault('host'),
    dataDir: values.memory ? undefined : ((values.data as string | undefined) ?? declaredDefault('data')),
    roomList: !values['no-room-list'],
    durability,
    limits,
  };
  if (verify !== undefined) options.verify = verify;
  const idle = values['idle-unload-seconds'] as string | undefined;
  if (idle !== undefined) options.idleUnloadMs = number('--idle-unload-seconds', idle, 1) * 1000;
  const retention = values['epoch-retention-days'] as string | undefined;
  if (retention !== undefined) options.epochRetentionMs = number('--epoch-retention-days', retention, 1) * 24 * 3600 * 1000;
  const peers = values.peer as string[];
  const mirrors: MirrorSpec[] = [...file.mirrors ?? []];
  try {
    for (const arg of values.mirror as string[]) mirrors.push(...parseMirrorArg(arg));
    for (const peer of peers) normaliseRelayUrl(peer);
    for (const mirror of mirrors) parseMirror(mirror);
  } catch (err) {
    const reason = (err as Error).message;
    throw new UsageError(say(str`a --peer or --mirror is not usable: ${reason}`, { id: 'relay.badPeerOrMirror' }));
  }
  options.peers = peers;
  options.mirrors = mirrors;
  const every = values['peer-sync-seconds'] as string | undefined;
  if (every !== undefined) {
    const seconds = Number(every);
    if (!/^\d+(\.\d+)?$/.test(every) || !(seconds > 0)) throw new UsageError(say(str`--peer-sync-seconds expects a positive number, got "${every}"`, { id: 'relay.badPeerSync' }));
    options.peerSyncMs = seconds * 1000;
  }
  if (values.import !== undefined) options.importFile = values.import as string;
  const perSource = values['per-source-connections'] as string | undefined;
  if (perSource !== undefined) options.perSourceConnections = number('--per-source-connections', perSource, 0);
  const proxies = values['trusted-proxy'] as string[];
  if (proxies.length > 0) options.trustedProxies = proxies;
  const postgres = values.postgres as string | undefined;
  const redis = values.redis as string | undefined;
  if (postgres) options.postgres = checkUrl('--postgres', postgres, ['postgres:', 'postgresql:']);
  if (redis) {
    if (!postgres) throw new UsageError(say('--redis needs --postgres: the nodes of a cluster share one database', { id: 'relay.redisNeedsPostgres' }));
    options.redis = checkUrl('--redis', redis, ['redis:', 'rediss:']);
  }
  return { help: false, options };
}

/** A config file: values by flag name (as parseArgs gives them), limits by key. */
interface ConfigFile {
  values: Record<string, string | boolean | string[]>;
  /** Mirrors written as {"capability", "relay"} objects, besides those in values.mirror. */
  mirrors?: MirrorSpec[];
  limits: Partial<Record<keyof RelayLimits, number>>;
}

/** Reads `--config FILE`: a small JSON object; anything unknown or mistyped is a usage error. */
export function readConfigFile(path: string): ConfigFile {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    const reason = (err as Error).message;
    throw new UsageError(say(str`cannot read config file ${path}: ${reason}`, { id: 'relay.configUnreadable' }));
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new UsageError(say('the config file must hold a JSON object', { id: 'relay.configNotObject' }));
  const out: ConfigFile = { values: {}, limits: {} };
  for (const [key, value] of Object.entries(json)) {
    const option = CONFIG_OPTIONS.get(key);
    if (key === 'limits') {
      if (typeof value !== 'object' || value === null) throw new UsageError(say('config "limits" is an object', { id: 'relay.configLimitsObject' }));
      const known = new Set<string>(LIMIT_OPTIONS.map((o) => o.config as string));
      for (const name of Object.keys(value)) if (!known.has(name)) throw new UsageError(say(str`unknown limit "${name}" in config`, { id: 'relay.configUnknownLimit' }));
      out.limits = value as ConfigFile['limits'];
    } else if (!option) {
      throw new UsageError(say(str`unknown key "${key}" in config file`, { id: 'relay.configUnknownKey' }));
    } else if (option.name === 'mirror') {
      if (!Array.isArray(value)) throw new UsageError(say('config "mirrors" is a list', { id: 'relay.configMirrorsList' }));
      out.mirrors = value.flatMap((m) => {
        if (typeof m === 'string') {
          try {
            return parseMirrorArg(m);
          } catch (err) {
            const reason = (err as Error).message;
            throw new UsageError(say(str`a --peer or --mirror is not usable: ${reason}`, { id: 'relay.badPeerOrMirror' }));
          }
        }
        if (typeof m === 'object' && m !== null && typeof m.capability === 'string' && typeof m.relay === 'string') return [{ capability: m.capability, relay: m.relay }];
        throw new UsageError(say('a config mirror is "<capability>@<relay URL>" or an object with "capability" and "relay"', { id: 'relay.configMirrorForm' }));
      });
    } else if (option.repeatable) {
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
        throw new UsageError(option.value === 'URL' ? say(str`config "${key}" is a list of relay URLs`, { id: 'relay.configUrlList' }) : say(str`config "${key}" is a list of addresses`, { id: 'relay.configAddressList' }));
      }
      out.values[option.name] = value;
    } else if (!option.value) {
      // A switch: the config file names what it switches on ("roomList": false is --no-room-list).
      if (typeof value !== 'boolean') throw new UsageError(say(str`config "${key}" is true or false`, { id: 'relay.configBoolean' }));
      if (option.name.startsWith('no-') ? !value : value) out.values[option.name] = true;
    } else {
      if (typeof value !== 'string' && typeof value !== 'number') throw new UsageError(say(str`config "${key}" is a string or number`, { id: 'relay.configScalar' }));
      out.values[option.name] = String(value);
    }
  }
  return out;
}

function checkUrl(flag: string, text: string, protocols: string[]): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    const scheme = protocols[0];
    throw new UsageError(say(str`${flag} expects a URL (${scheme}//host:port/...), got "${text}"`, { id: 'relay.badUrl' }));
  }
  const schemes = protocols.join(' ');
  if (!protocols.includes(url.protocol)) throw new UsageError(say(str`${flag} expects a URL of ${schemes}`, { id: 'relay.badUrlScheme' }));
  return text;
}

function number(flag: string, text: string, min: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < min) {
    throw new UsageError(say(str`${flag} expects a whole number of at least ${min}, got "${text}"`, { id: 'relay.badNumber' }));
  }
  return value;
}
