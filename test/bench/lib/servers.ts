// Servers under test, each in a child process of its own so that the benchmark's clients
// do not share its CPU: a Baton relay (SQLite) or the stock y-websocket server's own bin.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { RelayOptions } from '#server/index.ts';
import { benchNodeFlags } from '../../support/bench-node-flags.ts';
import { freePort } from '../../support/ports.ts';
import { compiledRelayChild } from './compiled-child.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const RELAY_CHILD = fileURLToPath(new URL('./relay-child.ts', import.meta.url));
const STOCK_BIN = fileURLToPath(new URL('../../../node_modules/@y/websocket-server/src/server.js', import.meta.url));

export interface ServerProcess {
  kind: 'baton' | 'stock';
  pid: number;
  port: number;
  /** What a WebsocketProvider takes as its server URL (the room name is appended). */
  providerUrl: string;
  /** Lines the server wrote to stderr (refusals, errors). */
  errors: string[];
  /** Sends a command to a Baton relay child and resolves with its JSON answer. */
  command(cmd: 'stats' | 'gc'): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

/** Runs `node args` under bash with a raised open-file limit (10,000 sockets need it). */
function spawnNode(args: string[], env: NodeJS.ProcessEnv = process.env): ChildProcess {
  return spawn('bash', ['-c', 'ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec "$0" "$@"', process.execPath, ...args], {
    cwd: ROOT,
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** BENCH_PROFILE=<dir> writes a CPU profile of each server process there (node --cpu-prof). */
function profileFlags(): string[] {
  if (!process.env.BENCH_PROFILE) return [];
  // A profile is written on a clean exit only: SIGTERM (how the stock server is stopped) exits cleanly then.
  return ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`, '--import', "data:text/javascript,process.on('SIGTERM',()=>process.exit(0))"];
}

export async function startBaton(options: RelayOptions = {}): Promise<ServerProcess> {
  // BENCH_RELAY_TSX=1 runs the relay from its sources under tsx instead (for an A/B of the two).
  const entry = process.env.BENCH_RELAY_TSX ? ['--import', 'tsx', RELAY_CHILD] : [await compiledRelayChild(ROOT)];
  const child = spawnNode([...profileFlags(), ...benchNodeFlags(), '--expose-gc', ...entry, JSON.stringify(options)]);
  const errors = collect(child);
  const lines = createInterface({ input: child.stdout! });
  const queue: ((value: Record<string, number>) => void)[] = [];
  const first = new Promise<Record<string, number>>((resolve) => queue.push(resolve));
  lines.on('line', (line) => {
    try {
      queue.shift()?.(JSON.parse(line) as Record<string, number>);
    } catch {
      errors.push(line);
    }
  });
  const ready = await Promise.race([first, exited(child, errors)]);
  const port = ready.port!;
  return {
    kind: 'baton',
    pid: child.pid!,
    port,
    providerUrl: `ws://127.0.0.1:${port}/v1/sync`,
    errors,
    command(cmd) {
      return new Promise((resolve) => {
        queue.push(resolve);
        child.stdin!.write(`${cmd}\n`);
      });
    },
    stop: () => stopChild(child, lines, false),
  };
}

export async function startStock(): Promise<ServerProcess> {
  const port = await freePort();
  // Its own bin, as an operator runs it: in-memory documents, no persistence.
  const child = spawnNode([...profileFlags(), STOCK_BIN], { ...process.env, HOST: '127.0.0.1', PORT: String(port) });
  const errors = collect(child);
  const lines = createInterface({ input: child.stdout! });
  const listening = new Promise<Record<string, number>>((resolve) => lines.on('line', (line) => line.startsWith('running at') && resolve({ port })));
  await Promise.race([listening, exited(child, errors)]);
  return {
    kind: 'stock',
    pid: child.pid!,
    port,
    providerUrl: `ws://127.0.0.1:${port}`,
    errors,
    command: () => Promise.reject(new Error('the stock server takes no commands')),
    stop: () => stopChild(child, lines, true),
  };
}

function collect(child: ChildProcess): string[] {
  const errors: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (line) => errors.push(line));
  return errors;
}

function exited(child: ChildProcess, errors: string[]): Promise<never> {
  return new Promise((_, reject) => child.once('exit', (code) => reject(new Error(`server exited (${code}): ${errors.join('\n')}`))));
}

async function stopChild(child: ChildProcess, lines: Interface, terminate: boolean): Promise<void> {
  if (child.exitCode !== null) return;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // The relay child closes cleanly on "close" (and removes its temp dir); the stock server
  // ignores stdin and is ended with SIGTERM.
  if (terminate) child.kill('SIGTERM');
  else child.stdin!.write('close\n');
  const timer = setTimeout(() => child.kill('SIGKILL'), 8000);
  await gone;
  clearTimeout(timer);
  lines.close();
}


const CLOCK_TICKS = 100; // USER_HZ on Linux

/** CPU seconds (user + system) a process has used so far. */
export function cpuSeconds(pid: number): number {
  return statCpuSeconds(`/proc/${pid}/stat`);
}

/** CPU seconds of a process's main thread alone (its event loop, for a Node process). */
export function mainThreadCpuSeconds(pid: number): number {
  return statCpuSeconds(`/proc/${pid}/task/${pid}/stat`);
}

function statCpuSeconds(path: string): number {
  const stat = readFileSync(path, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the command name: state is field 3, utime 14 and stime 15 (1-based in proc(5)).
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/** Resident memory of a process, in KiB (VmRSS). */
export function rssKiB(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) : Number.NaN;
}
