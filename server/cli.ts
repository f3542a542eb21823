// `baton relay ...`: runs a relay until SIGTERM or SIGINT, then finishes writes and exits 0.
// Its help, usage errors and log lines speak the language of --lang, LC_ALL, LC_MESSAGES or
// LANG (server/l10n.ts); its JSON answers are the same in every language.
import { initSodium } from '#shared';
import { CLI_LOCALES, langFlag, matchCliLocale, pickCliLocale } from '#shared/l10n/locale.ts';
import { UsageError, mirrorUsage, parseRelayArgs, relayUsage } from './cli-args.ts';
import type { RelayOptions } from './config.ts';
import { startRelay, type Relay } from './index.ts';
import { say, setRelayLocale, str } from './l10n.ts';
import { mirrorCommand } from './mirror-status.ts';

const log = (line: string) => console.log(`${new Date().toISOString()} ${line}`);

function usageError(message: string): never {
  const mirror = process.argv[2] === 'mirror';
  console.error(`baton ${mirror ? 'mirror' : 'relay'}: ${message}\n\n${mirror ? mirrorUsage() : relayUsage()}`);
  process.exit(2);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(3);
  const lang = langFlag(argv);
  setRelayLocale(pickCliLocale(lang, process.env));
  if (lang !== undefined && !matchCliLocale(lang)) {
    const known = CLI_LOCALES.join(', ');
    usageError(say(str`--lang takes one of ${known}`, { id: 'cli.badLang' }));
  }
  if (process.argv[2] === 'mirror') process.exit(await mirrorCommand(argv, process.env));
  await initSodium(); // checking a write-level --mirror capability derives its key
  let parsed;
  try {
    parsed = parseRelayArgs(argv, process.env);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    usageError(err.message);
  }
  if (parsed.help) {
    console.log(relayUsage());
    return;
  }
  const { options } = parsed;
  // Last resort: a bug in one handler must not take every board on this relay down with it.
  process.on('uncaughtException', (err) => {
    const { name, message } = err;
    log(say(str`error: uncaught ${name}: ${message}`, { id: 'relay.uncaught' }));
  });
  process.on('unhandledRejection', (err) => {
    const reason = (err as Error)?.message ?? String(err);
    log(say(str`error: unhandled rejection: ${reason}`, { id: 'relay.unhandledRejection' }));
  });

  let relay: Relay;
  try {
    relay = await startRelay({ ...options, log });
  } catch (err) {
    const reason = (err as Error).message;
    console.error(`baton relay: ${say(str`cannot start: ${reason}`, { id: 'relay.cannotStart' })}`);
    process.exit(1);
  }
  // Before the first log line: whoever waits for it may stop the relay at once.
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    log(say(str`${signal}: finishing writes and shutting down`, { id: 'relay.stopping' }));
    relay.close().then(
      () => {
        log(say('stopped', { id: 'relay.stopped' }));
        process.exit(0);
      },
      (err: Error) => {
        const reason = err.message;
        log(say(str`error while stopping: ${reason}`, { id: 'relay.stopFailed' }));
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  log(listeningLine(relay, options));
  if (relay.imported) {
    const blobs = relay.imported.added;
    const rooms = Object.keys(relay.imported.rooms).length;
    const file = options.importFile;
    log(say(str`imported ${blobs} blobs into ${rooms} rooms from ${file}`, { id: 'relay.imported' }));
  }
  for (const link of relay.peering.links) {
    const url = link.url;
    if (link.scope.kind === 'peer') log(say(str`peering with ${url}`, { id: 'relay.peering' }));
    else {
      const root = `${link.scope.root.slice(0, 8)}…`;
      log(link.scope.rootKind === 'board' ? say(str`mirroring board ${root} from ${url}`, { id: 'relay.mirroringBoard' }) : say(str`mirroring thread ${root} from ${url}`, { id: 'relay.mirroringThread' }));
    }
  }
}

/** The first line: where the relay listens and where its data is. The database URL may hold a password: never printed. */
function listeningLine(relay: Relay, options: RelayOptions): string {
  const url = relay.url;
  const bound = `${options.host ?? ''}:${relay.port}`;
  const dir = options.dataDir;
  const where =
    options.postgres !== undefined
      ? options.redis !== undefined
        ? say('data in PostgreSQL, cluster bus on Redis', { id: 'relay.wherePostgresRedis' })
        : say('data in PostgreSQL', { id: 'relay.wherePostgres' })
      : dir === undefined
        ? say('in memory only', { id: 'relay.whereMemory' })
        : say(str`data in ${dir}`, { id: 'relay.whereDir' });
  return say(str`Baton relay listening on ${url} (bound to ${bound}, ${where})`, { id: 'relay.listening' });
}

await main();
