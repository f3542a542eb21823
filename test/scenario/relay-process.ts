// A relay as a child process (`node bin/baton.js relay ...`, the compiled code), so a
// scenario can kill it -9, wipe its data and start it again on the same port.
import type { ChildProcess } from 'node:child_process';
import { spawnBaton } from '../support/baton-bin.ts';
import { waitUntil } from './fixtures.ts';

export interface RelayProcess {
  url: string;
  port: number;
  /** SIGKILL: no shutdown, no flush. */
  kill(): Promise<void>;
  /** Everything the relay printed, for failure messages. */
  output(): string;
}

/** Starts `baton relay --host 127.0.0.1 --port <port> ...args` and waits until it answers. */
export async function spawnRelay(port: number, args: string[]): Promise<RelayProcess> {
  const child: ChildProcess = spawnBaton(['relay', '--host', '127.0.0.1', '--port', String(port), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));
  const url = `http://127.0.0.1:${port}`;
  const kill = async () => {
    if (!exited) child.kill('SIGKILL');
    await exit;
  };
  try {
    await waitUntil(
      async () => {
        if (exited) throw new Error(`relay exited: ${output}`);
        try {
          return (await fetch(`${url}/v1/info`, { signal: AbortSignal.timeout(1000) })).ok;
        } catch {
          return false;
        }
      },
      { timeoutMs: 15_000, what: `the relay on port ${port} to answer` },
    );
  } catch (err) {
    await kill();
    throw err;
  }
  return { url, port, kill, output: () => output };
}
