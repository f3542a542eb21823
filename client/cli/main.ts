// `baton <command>`: the client CLI. JSON on stdout; one line per problem on stderr.
// Each command is imported only when it runs, so `baton --help` loads no crypto, Yjs or sockets.
import { parseCommandLine, type Args } from './args.ts';
import { CLI_LOCALES, langFlag, matchCliLocale, pickCliLocale } from '#shared/l10n/locale.ts';
import { say, setCliLocale, str } from './l10n.ts';
import { CliExit, ExitCode, UsageError, note } from './output.ts';

type Command = (args: Args) => Promise<number>;

/** Command words -> loader of its handler; the words are removed from the positionals before it runs. */
const COMMANDS: Record<string, () => Promise<Command>> = {
  'board create': async () => (await import('./commands/board.ts')).boardCreate,
  'thread create': async () => (await import('./commands/thread.ts')).threadCreate,
  post: async () => (await import('./commands/post.ts')).postCommand,
  read: async () => (await import('./commands/read.ts')).readCommand,
  save: async () => (await import('./commands/save.ts')).saveCommand,
  relays: async () => (await import('./commands/relays.ts')).relaysCommand,
  status: async () => (await import('./commands/status.ts')).statusCommand,
  sync: async () => (await import('./commands/sync.ts')).syncCommand,
  export: async () => (await import('./commands/bundle.ts')).exportCommand,
  import: async () => (await import('./commands/bundle.ts')).importCommand,
  identity: async () => (await import('./commands/identity.ts')).identityCommand,
  delete: async () => (await import('./commands/words.ts')).deleteCommand,
  edit: async () => (await import('./commands/words.ts')).editCommand,
  hide: async () => (await import('./commands/moderate.ts')).hideCommand,
  moderators: async () => (await import('./commands/moderate.ts')).moderatorsCommand,
  remove: async () => (await import('./commands/remove.ts')).removeCommand,
  lock: async () => (await import('./commands/lock.ts')).lockCommand,
  wipe: async () => (await import('./commands/lock.ts')).wipeCommand,
};

/** The help text: command lines and flags as typed, their descriptions in the user's language. */
function usage(): string {
  const rows = (width: number, list: [string, string][]) => list.map(([syntax, what]) => (what ? `  ${syntax.padEnd(width)} ${what}` : `  ${syntax}`)).join('\n');
  const commands = rows(28, [
    ['board create --relay URL [--relay URL ...] --title T     -> {write, read, mirror}', ''],
    ['thread create <board write cap> --title T [--body B]     -> {id, write, read}', ''],
    ['post <board|thread write cap> [--thread ID] --body B [--reply-to POSTID] [--attach FILE ...]   -> {id, attachments}', ''],
    ['', say('--attach: pictures (JPEG, PNG, WebP) and PDFs, stripped of their metadata on this device first', { id: 'cli.usageAttach' })],
    ['read <cap> [--json]', say("posts with deleted, edited, hidden; the board's owner and moderators", { id: 'cli.usageRead' })],
    ['save <cap> [--thread ID] --post POSTID --out DIR', say("a post's files, checked against their SHA-256", { id: 'cli.usageSave' })],
    ['delete <write cap> [--thread ID] --post POSTID', say('your own post: its text is taken back', { id: 'cli.usageDelete' })],
    ['edit <write cap> [--thread ID] --post POSTID --body B', say('your own post: shown as edited, with its history', { id: 'cli.usageEdit' })],
    ['hide <board write cap> --thread ID --post POSTID [--reason R]', say('as an owner or moderator', { id: 'cli.usageHide' })],
    ['moderators add|remove <board write cap> <identity key>', say('as an owner', { id: 'cli.usageModerators' })],
    ['relays add <board write cap> URL', ''],
    ['relays remove <board write cap> URL', ''],
    ['relays list <board cap>', say('the relay list: who added or removed each entry, which are dialled', { id: 'cli.usageRelaysListRemoved' })],
    ['status <cap>', say('per relay: state, confirmed and pending local writes', { id: 'cli.usageStatus' })],
    ['sync <cap>', say('sync, and deliver writes queued on this device', { id: 'cli.usageSync' })],
    ['export <cap> --out FILE', say('a bundle (.baton) of the board and its threads', { id: 'cli.usageExport' })],
    ['import FILE [--relay URL]', say('into this device, and into the relay when given', { id: 'cli.usageImport' })],
    ['identity show|export|import <exported>', say('show prints your key and safety code', { id: 'cli.usageIdentity' })],
    ['identity code|unverify <key>, identity verify <key> <name>, identity verified', ''],
    ['', say("another key's safety code; mark it verified on this device", { id: 'cli.usageVerify' })],
    ['remove <board write cap> --member KEY', say('as an owner (or a moderator the owners allowed): moves the board to a successor without that key', { id: 'cli.usageRemove' })],
    ['', '-> {write, read, mirror}'],
    ['lock', say("set or change the data directory's passphrase (the new one from --new-passphrase-file FILE or BATON_NEW_PASSPHRASE)", { id: 'cli.usageLock' })],
    ['wipe --data DIR', say('remove everything Baton wrote in DIR, and say what', { id: 'cli.usageWipe' })],
    ['relay ...', say('run a relay (baton relay --help)', { id: 'cli.usageRelay' })],
  ]);
  const options = rows(15, [
    ['--data DIR', say('data directory (default $BATON_HOME or ~/.baton)', { id: 'cli.usageData' })],
    ['--name NAME', say('display name put on your posts (remembered)', { id: 'cli.usageName' })],
    ['--relay URL', say('a relay to use besides the relays the link names', { id: 'cli.usageRelayFlag' })],
    ['--timeout S', say('seconds to wait for relays (default 10)', { id: 'cli.usageTimeout' })],
    ['--json', say('JSON output for read', { id: 'cli.usageJson' })],
    ['--passphrase-file FILE', say("the data directory's passphrase (else $BATON_PASSPHRASE); locked, the identity, rooms, bookkeeping and names are sealed under it", { id: 'cli.usagePassphrase' })],
    ['--lang L', say('language of messages (default from LC_ALL, LC_MESSAGES or LANG)', { id: 'cli.usageLang' })],
    ['--help', ''],
  ]);
  const heading = say('options:', { id: 'cli.usageOptions' });
  const codes = say('exit codes: 0 ok, 1 error, 2 usage, 3 written here but not yet confirmed by a relay (or read without reaching one), 4 no relay reachable and nothing stored here, 5 the data directory is locked and no passphrase, or a wrong one, was given.', { id: 'cli.usageExitCodes' });
  return `usage: baton <command> [options]\n\n${commands}\n\n${heading}\n${options}\n\n${codes}\n`;
}

function pick(positionals: string[]): { load: () => Promise<Command>; words: number } | null {
  const two = positionals.slice(0, 2).join(' ');
  if (COMMANDS[two] && two.includes(' ')) return { load: COMMANDS[two], words: 2 };
  const one = positionals[0];
  if (one !== undefined && COMMANDS[one] && !Object.keys(COMMANDS).some((k) => k.startsWith(`${one} `))) return { load: COMMANDS[one], words: 1 };
  return null;
}

async function main(argv: string[]): Promise<number> {
  const lang = langFlag(argv);
  if (lang !== undefined && !matchCliLocale(lang)) {
    const known = CLI_LOCALES.join(', ');
    throw new UsageError(say(str`--lang takes one of ${known}`, { id: 'cli.badLang' }));
  }
  const args = parseCommandLine(argv);
  const picked = pick(args.positionals);
  if (args.help || args.positionals.length === 0) {
    process.stdout.write(usage());
    return args.help ? ExitCode.ok : ExitCode.usage;
  }
  if (!picked) {
    const command = args.positionals.slice(0, 2).join(' ');
    throw new UsageError(say(str`unknown command "${command}"`, { id: 'cli.unknownCommand' }));
  }
  // libsodium compiles its WebAssembly while the command's modules load.
  const [command] = await Promise.all([picked.load(), import('#shared/sodium.ts').then((m) => m.initSodium())]);
  return command({ ...args, positionals: args.positionals.slice(picked.words) });
}

function exitCodeOf(err: unknown): number {
  if (err instanceof CliExit) return err.code;
  if (err instanceof UsageError) return ExitCode.usage;
  // The class is loaded already: only the client throws it.
  if (err instanceof Error && err.name === 'ClientError' && (err as Error & { code?: string }).code === 'locked') return ExitCode.locked;
  return ExitCode.error;
}

async function messageOf(err: unknown): Promise<string> {
  if (err instanceof UsageError) return `${err.message} (baton --help)`;
  if (err instanceof CliExit) return err.message;
  // Loaded only now: the words for the client's and the capability parser's refusals.
  return (await import('./failure.ts')).failureWords(err);
}

// The language first, so that every message below, usage errors too, speaks it.
setCliLocale(pickCliLocale(langFlag(process.argv.slice(2)), process.env));
let code: number;
try {
  code = await main(process.argv.slice(2));
} catch (err) {
  note(await messageOf(err));
  code = exitCodeOf(err);
}
// Let stdout drain, then leave even if a socket still lingers.
process.stdout.write('', () => process.exit(code));
