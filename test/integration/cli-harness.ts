// Runs the real CLI (`node bin/baton.js ...`, the compiled code) as child processes, each
// "device" with its own data directory, against relays started in the test process.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateIdentity, initSodium } from '#shared';
import { BatonClient } from '#client-core/client.ts';
import { MemoryStore } from '#client-core/store.ts';
import { startRelay, type Relay } from '#server/index.ts';
import { spawnBaton } from '../support/baton-bin.ts';
import { NodeWS } from './client-fixtures.ts';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `baton <args>` asynchronously (the relays in this process keep serving meanwhile). */
export function baton(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawnBaton(args, {
      // LC_ALL=C: the messages of the code, whatever language the machine speaks (a test may set another).
      env: { ...process.env, BATON_HOME: '/nonexistent-baton-home', LC_ALL: 'C', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

/** The JSON a successful command printed, with its stderr in the message if it did not succeed. */
export function json<T = Record<string, unknown>>(result: CliResult, expectCode = 0): T {
  if (result.code !== expectCode) throw new Error(`exit ${result.code} (expected ${expectCode}): ${result.stderr}${result.stdout}`);
  return JSON.parse(result.stdout) as T;
}

/** A device: a data directory the CLI runs with. */
export class Device {
  constructor(readonly dir: string) {}
  /** Runs a command on this device; flags given here win over the defaults. */
  run(...args: string[]): Promise<CliResult> {
    return baton(['--data', this.dir, '--timeout', '8', ...args]);
  }
}

export class Workspace {
  readonly root = mkdtempSync(join(tmpdir(), 'baton-cli-'));
  private readonly relays: Relay[] = [];

  device(name: string): Device {
    return new Device(join(this.root, name));
  }

  async relay(options: { port?: number; dataDir?: string } = {}): Promise<Relay> {
    const relay = await startRelay({ host: '127.0.0.1', port: options.port ?? 0, log: () => {}, ...(options.dataDir ? { dataDir: join(this.root, options.dataDir) } : {}) });
    this.relays.push(relay);
    return relay;
  }

  async close(): Promise<void> {
    await Promise.all(this.relays.map((r) => r.close()));
    rmSync(this.root, { recursive: true, force: true });
  }
}

export interface BoardCaps {
  write: string;
  read: string;
  mirror: string;
}

export interface ReadJson {
  board: { title: string } | null;
  threads: { id: string; title: string; summary: string; posts: { id: string; author: string; name: string; body: string; replyTo: string | null; verified: boolean }[] }[];
}

/** The newest post of a thread's first screen as a relay serves it to a device that never saw the thread. */
export async function firstScreenNewest(threadLink: string): Promise<string | undefined> {
  await initSodium();
  const visitor = new BatonClient({ store: new MemoryStore(), identity: generateIdentity(), name: 'Visitor', connection: { WebSocket: NodeWS } });
  try {
    return (await visitor.firstScreen(threadLink, 10_000))?.posts.at(-1)?.id;
  } finally {
    await visitor.close();
  }
}
