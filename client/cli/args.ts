// The command line: positionals and the flags every command knows (node:util parseArgs).
import { parseArgs } from 'node:util';
import { say, str } from './l10n.ts';
import { UsageError } from './output.ts';

const OPTIONS = {
  data: { type: 'string' },
  name: { type: 'string' },
  relay: { type: 'string', multiple: true },
  timeout: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  title: { type: 'string' },
  body: { type: 'string' },
  thread: { type: 'string' },
  'reply-to': { type: 'string' },
  post: { type: 'string' },
  reason: { type: 'string' },
  json: { type: 'boolean' },
  out: { type: 'string' },
  'passphrase-file': { type: 'string' },
  'new-passphrase-file': { type: 'string' },
  attach: { type: 'string', multiple: true },
  // read by main.ts before the rest (locale.ts); listed so that parsing accepts it
  lang: { type: 'string' },
  member: { type: 'string' },
} as const;

export interface Args {
  positionals: string[];
  data?: string;
  name?: string;
  relays: string[];
  /** Seconds to wait for relays. */
  timeoutMs: number;
  help: boolean;
  title?: string;
  body?: string;
  thread?: string;
  replyTo?: string;
  post?: string;
  reason?: string;
  json: boolean;
  out?: string;
  /** A file holding the data directory's passphrase (else $BATON_PASSPHRASE). */
  passphraseFile?: string;
  /** For baton lock: a file holding the new passphrase (else $BATON_NEW_PASSPHRASE). */
  newPassphraseFile?: string;
  /** Files to attach to a post, in order. */
  attach: string[];
  /** remove: the identity key of the member to remove. */
  member?: string;
}

export const DEFAULT_TIMEOUT_S = 10;

/** A key or id (base64url, 16 characters or more) that happens to start with "-". */
const DASHED_WORD = /^-[A-Za-z0-9_-]{15,}$/;

/**
 * `--thread -x3…` as `--thread=-x3…`: a flag that takes a value takes the next argument
 * whatever it starts with. Thread and post ids and identity keys are base64url and start with
 * "-" one time in 64, which parseArgs would otherwise refuse as ambiguous; a body may start
 * with one too. Such a key given as a positional (`moderators add <cap> -Xk…`) is set aside
 * under a placeholder and put back after parsing; `dashed` maps one to the other.
 */
function joinValues(argv: string[], dashed: Map<string, string>): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') return [...out, ...argv.slice(i)]; // the rest are positionals
    const name = arg.startsWith('--') && !arg.includes('=') ? arg.slice(2) : null;
    const option = name !== null && Object.hasOwn(OPTIONS, name) ? OPTIONS[name as keyof typeof OPTIONS] : null;
    const next = argv[i + 1];
    if (option?.type === 'string' && next !== undefined && next.startsWith('-')) {
      out.push(`${arg}=${next}`);
      i++;
    } else if (!option && DASHED_WORD.test(arg)) {
      const placeholder = `\u0000${dashed.size}`;
      dashed.set(placeholder, arg);
      out.push(placeholder);
    } else out.push(arg);
  }
  return out;
}

/** node:util's refusal of the command line, in the user's language, naming the option as typed. */
function parseArgsWords(err: NodeJS.ErrnoException): string {
  const option = /'(?:-\w, )?(--?[\w-]+)/.exec(err.message)?.[1] ?? '';
  if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return say(str`unknown option ${option} (a text that starts with "-" goes after --)`, { id: 'cli.unknownOption' });
  if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && err.message.includes('does not take')) return say(str`${option} takes no value`, { id: 'cli.optionTakesNoValue' });
  if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return say(str`${option} needs a value`, { id: 'cli.optionNeedsValue' });
  return err.message.split('\n')[0]!;
}

export function parseCommandLine(argv: string[]): Args {
  const dashed = new Map<string, string>();
  let parsed;
  try {
    parsed = parseArgs({ args: joinValues(argv, dashed), options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(parseArgsWords(err as NodeJS.ErrnoException));
  }
  const v = parsed.values;
  const timeout = v.timeout === undefined ? DEFAULT_TIMEOUT_S : Number(v.timeout);
  if (!Number.isFinite(timeout) || timeout <= 0 || timeout > 3600) throw new UsageError(say('--timeout takes a number of seconds (0 < S <= 3600)', { id: 'cli.badTimeout' }));
  return {
    positionals: parsed.positionals.map((p) => dashed.get(p) ?? p),
    data: v.data,
    name: v.name,
    relays: v.relay ?? [],
    timeoutMs: Math.round(timeout * 1000),
    help: v.help ?? false,
    title: v.title,
    body: v.body,
    thread: v.thread,
    replyTo: v['reply-to'],
    post: v.post,
    reason: v.reason,
    json: v.json ?? false,
    out: v.out,
    passphraseFile: v['passphrase-file'],
    newPassphraseFile: v['new-passphrase-file'],
    attach: v.attach ?? [],
    member: v.member,
  };
}

/** The n-th positional, or a usage error naming it (`what`, already in the user's language). */
export function positional(args: Args, index: number, what: string): string {
  const value = args.positionals[index];
  if (value === undefined || value === '') throw new UsageError(say(str`missing ${what}`, { id: 'cli.missing' }));
  return value;
}

export function required(value: string | undefined, flag: string): string {
  if (value === undefined) throw new UsageError(say(str`missing --${flag}`, { id: 'cli.missingFlag' }));
  return value;
}
