// Throwaway PostgreSQL and Redis servers for the cluster tests and benchmark: each in its own
// temp dir, on a free loopback port, stopped and removed afterwards. Debian's binaries
// (apt-get install postgresql redis-server); a clear error when they are missing.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from '../support/ports.ts';
import { holdsWithin } from '../support/wait.ts';

export interface Service {
  url: string;
  port: number;
  /** SIGKILL, then wait for the exit. */
  kill(): Promise<void>;
  /** Starts the server again on the same port and data. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}


function postgresBin(): string {
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base) ? readdirSync(base).filter((v) => existsSync(join(base, v, 'bin', 'postgres'))) : [];
  const version = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (!version) throw new Error('PostgreSQL binaries are missing (/usr/lib/postgresql/*/bin/postgres): apt-get install -y postgresql');
  return join(base, version, 'bin');
}

function redisBin(): string {
  const found = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).stdout.trim();
  if (!found) throw new Error('redis-server is missing: apt-get install -y redis-server');
  return found;
}

/** PostgreSQL refuses to run as root: as root, run it as the `postgres` user. */
function runAs(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim());
  const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
  if (!Number.isInteger(uid) || uid <= 0) throw new Error('running as root needs the postgres user (created by the postgresql package)');
  return { uid, gid };
}

async function waitFor(what: string, check: () => Promise<boolean>, child: () => ChildProcess | null, output: () => string, ms = 20_000): Promise<void> {
  const ready = async () => {
    if (child()?.exitCode !== null && child()?.exitCode !== undefined) throw new Error(`${what} exited: ${output()}`);
    return check().catch(() => false);
  };
  if (!(await holdsWithin(ready, { timeoutMs: ms, intervalMs: 50 }))) throw new Error(`${what} did not start in ${ms} ms: ${output()}`);
}

function supervise(start: () => ChildProcess, ready: () => Promise<boolean>, what: string, cleanup: () => void, port: number, url: string): Promise<Service> {
  let child: ChildProcess | null = null;
  let output = '';
  // A test process that ends early (a failure, an exit) takes its servers with it.
  const orphan = () => (child as ChildProcess | null)?.kill('SIGKILL');
  process.once('exit', orphan);
  const launch = async () => {
    output = '';
    child = start();
    child.stdout?.on('data', (d) => (output = (output + d).slice(-4000)));
    child.stderr?.on('data', (d) => (output = (output + d).slice(-4000)));
    await waitFor(what, ready, () => child, () => output);
  };
  const end = async (signal: NodeJS.Signals) => {
    const c = child as ChildProcess | null;
    child = null;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill(signal);
    await exited;
  };
  return launch().then(
    () => ({
      url,
      port,
      kill: () => end('SIGKILL'),
      restart: async () => {
        await end('SIGKILL');
        await launch();
      },
      stop: async () => {
        await end('SIGTERM').catch(() => {});
        process.off('exit', orphan);
        cleanup();
      },
    }),
    async (err) => {
      await end('SIGKILL');
      cleanup();
      throw err;
    },
  );
}

/** A fresh PostgreSQL cluster (fsync off: throwaway data; kill -9 of a relay still loses nothing committed). */
export async function startPostgres(): Promise<Service> {
  const bin = postgresBin();
  const dir = mkdtempSync(join(tmpdir(), 'baton-pg-'));
  const user = runAs();
  if (user.uid !== undefined) chownSync(dir, user.uid, user.gid!);
  const data = join(dir, 'data');
  const init = spawnSync(join(bin, 'initdb'), ['-D', data, '-U', 'baton', '-A', 'trust', '-E', 'UTF8', '--no-instructions'], { ...user, encoding: 'utf8' });
  if (init.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`initdb failed: ${init.stderr || init.error?.message}`);
  }
  const port = await freePort();
  const url = `postgres://baton@127.0.0.1:${port}/postgres`;
  return supervise(
    () =>
      spawn(join(bin, 'postgres'), ['-D', data, '-k', dir, '-p', String(port), '-h', '127.0.0.1', '-c', 'fsync=off', '-c', 'full_page_writes=off', '-c', 'max_connections=100'], {
        ...user,
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    async () => {
      const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
      client.on('error', () => {});
      try {
        await client.connect();
        await client.query('SELECT 1');
        return true;
      } finally {
        await client.end().catch(() => {});
      }
    },
    'postgres',
    () => rmSync(dir, { recursive: true, force: true }),
    port,
    url,
  );
}

/** A fresh Redis server; `persist` keeps an append-only file so a restart keeps its streams. */
export async function startRedis(options: { persist?: boolean } = {}): Promise<Service> {
  const bin = redisBin();
  const dir = mkdtempSync(join(tmpdir(), 'baton-redis-'));
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', options.persist ? 'yes' : 'no', '--logfile', ''];
  return supervise(
    () => spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] }),
    () =>
      new Promise<boolean>((resolve) => {
        const r = spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' });
        resolve(r.stdout.trim() === 'PONG');
      }),
    'redis-server',
    () => rmSync(dir, { recursive: true, force: true }),
    port,
    url,
  );
}
