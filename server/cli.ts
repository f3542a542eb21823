// `baton relay ...`: runs a relay until SIGTERM or SIGINT, then finishes writes and exits 0.
import { initSodium } from '#shared';
import { RELAY_USAGE, UsageError, parseRelayArgs } from './cli-args.ts';
import { startRelay, type Relay } from './index.ts';
import { mirrorCommand } from './mirror-status.ts';

const log = (line: string) => console.log(`${new Date().toISOString()} ${line}`);

async function main(): Promise<void> {
  if (process.argv[2] === 'mirror') process.exit(await mirrorCommand(process.argv.slice(3), process.env));
  await initSodium(); // checking a write-level --mirror capability derives its key
  let parsed;
  try {
    parsed = parseRelayArgs(process.argv.slice(3), process.env);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`baton relay: ${err.message}\n\n${RELAY_USAGE}`);
    process.exit(2);
  }
  if (parsed.help) {
    console.log(RELAY_USAGE);
    return;
  }
  const { options } = parsed;
  // Last resort: a bug in one handler must not take every board on this relay down with it.
  process.on('uncaughtException', (err) => log(`error: uncaught ${err.name}: ${err.message}`));
  process.on('unhandledRejection', (err) => log(`error: unhandled rejection: ${(err as Error)?.message ?? String(err)}`));

  let relay: Relay;
  try {
    relay = await startRelay({ ...options, log });
  } catch (err) {
    console.error(`baton relay: cannot start: ${(err as Error).message}`);
    process.exit(1);
  }
  // Before the first log line: whoever waits for it may stop the relay at once.
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    log(`${signal}: finishing writes and shutting down`);
    relay.close().then(
      () => {
        log('stopped');
        process.exit(0);
      },
      (err: Error) => {
        log(`error while stopping: ${err.message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  // The database URL may hold a password: never printed.
  const where = options.postgres !== undefined ? `data in PostgreSQL${options.redis !== undefined ? ', cluster bus on Redis' : ''}` : options.dataDir === undefined ? 'in memory only' : `data in ${options.dataDir}`;
  log(`Baton relay listening on ${relay.url} (bound to ${options.host}:${relay.port}, ${where})`);
  if (relay.imported) log(`imported ${relay.imported.added} blobs into ${Object.keys(relay.imported.rooms).length} rooms from ${options.importFile}`);
  for (const link of relay.peering.links) {
    log(link.scope.kind === 'peer' ? `peering with ${link.url}` : `mirroring ${link.scope.rootKind} ${link.scope.root.slice(0, 8)}… from ${link.url}`);
  }
}

await main();
