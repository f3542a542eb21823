// `baton <command>`: the client CLI. JSON on stdout; one line per problem on stderr.
// Each command is imported only when it runs, so `baton --help` loads no crypto, Yjs or sockets.
import { parseCommandLine, type Args } from './args.ts';
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
};

const USAGE = `usage: baton <command> [options]

  board create --relay URL [--relay URL ...] --title T     -> {write, read, mirror}
  thread create <board write cap> --title T [--body B]     -> {id, write, read}
  post <board|thread write cap> [--thread ID] --body B [--reply-to POSTID] [--attach FILE ...]   -> {id, attachments}
                               pictures (JPEG, PNG, WebP) and PDFs, stripped of their metadata first
  read <cap> [--json]
  save <cap> [--thread ID] --post POSTID --out DIR   a post's files, checked against their SHA-256
  relays add <board write cap> URL
  relays list <board cap>      the relay list: who added each entry, which are dialled
  status <cap>                 per relay: state, confirmed and pending local writes
  sync <cap>                   sync, and deliver writes queued on this device
  export <cap> --out FILE      a bundle (.baton) of the board and its threads
  import FILE [--relay URL]    into this device, and into the relay when given
  identity show|export|import <exported>
  relay ...                    run a relay (baton relay --help)

options:
  --data DIR      data directory (default $BATON_HOME or ~/.baton)
  --name NAME     display name put on your posts (remembered)
  --relay URL     a relay to use besides the capability's hints
  --timeout S     seconds to wait for relays (default 10)
  --json          JSON output for read
  --help

exit codes: 0 ok, 1 error, 2 usage, 3 written here but not yet confirmed by a relay
(or read without reaching one), 4 no relay reachable and nothing stored here.
`;

function pick(positionals: string[]): { load: () => Promise<Command>; words: number } | null {
  const two = positionals.slice(0, 2).join(' ');
  if (COMMANDS[two] && two.includes(' ')) return { load: COMMANDS[two], words: 2 };
  const one = positionals[0];
  if (one !== undefined && COMMANDS[one] && !Object.keys(COMMANDS).some((k) => k.startsWith(`${one} `))) return { load: COMMANDS[one], words: 1 };
  return null;
}

async function main(argv: string[]): Promise<number> {
  const args = parseCommandLine(argv);
  const picked = pick(args.positionals);
  if (args.help || args.positionals.length === 0) {
    process.stdout.write(USAGE);
    return args.help ? ExitCode.ok : ExitCode.usage;
  }
  if (!picked) throw new UsageError(`unknown command "${args.positionals.slice(0, 2).join(' ')}"`);
  // libsodium compiles its WebAssembly while the command's modules load.
  const [command] = await Promise.all([picked.load(), import('#shared/sodium.ts').then((m) => m.initSodium())]);
  return command({ ...args, positionals: args.positionals.slice(picked.words) });
}

function exitCodeOf(err: unknown): number {
  if (err instanceof CliExit) return err.code;
  if (err instanceof UsageError) return ExitCode.usage;
  return ExitCode.error;
}

async function messageOf(err: unknown): Promise<string> {
  if (err instanceof UsageError) return `${err.message} (baton --help)`;
  // Loaded only now: a capability or client error comes from code that has loaded it already.
  const [{ CapabilityError }, { ClientError }] = await Promise.all([import('#shared/capability.ts'), import('#client-core')]);
  if (err instanceof CapabilityError) return `bad capability: ${err.message}`;
  if (err instanceof ClientError || err instanceof CliExit) return err.message;
  return `unexpected error: ${(err as Error)?.message ?? String(err)}`;
}

let code: number;
try {
  code = await main(process.argv.slice(2));
} catch (err) {
  note(await messageOf(err));
  code = exitCodeOf(err);
}
// Let stdout drain, then leave even if a socket still lingers.
process.stdout.write('', () => process.exit(code));
