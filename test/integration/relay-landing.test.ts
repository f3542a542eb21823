// The page a relay shows at `/` without a built web client: every command it names runs.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, it } from 'vitest';
import { startRelay, type Relay } from '#server/index.ts';
import { spawnBaton } from '../support/baton-bin.ts';
import { baton, json } from './cli-harness.ts';

let relay: Relay;
let home: string;
beforeAll(async () => {
  relay = await startRelay({ port: 0, host: '127.0.0.1', webRoot: '/nonexistent-baton-web', log: () => {} });
  home = mkdtempSync(join(tmpdir(), 'baton-landing-'));
});
afterAll(async () => {
  await relay.close();
  rmSync(home, { recursive: true, force: true });
});

/** The text of every <pre> block of the page, entities decoded. */
function commandsOf(html: string): string[] {
  return [...html.matchAll(/<pre>([\s\S]*?)<\/pre>/g)].map((m) => m[1]!.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n))).replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'));
}

/** Splits a command line the way a POSIX shell would for plain words and '…' or "…" quotes. */
function words(line: string): string[] {
  return [...line.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
}

/** Runs `baton relay ...` until it says it is listening, then stops it with SIGTERM. */
async function startAndStop(args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawnBaton([...args, '--port', '0', '--host', '127.0.0.1', '--memory'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const listening = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the relay did not start: ${output}`)), 15_000);
    const seen = (d: Buffer) => {
      output += d;
      if (/listening on http/.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', seen);
    child.stderr!.on('data', seen);
    void exited.then(() => reject(new Error(`the relay exited: ${output}`)));
  });
  try {
    await listening;
  } finally {
    child.kill('SIGTERM');
  }
  return { code: await exited, output };
}

it('names only commands that exist, and each of them works', async () => {
  const page = await fetch(`${relay.url}/`);
  assert.equal(page.status, 200);
  assert.equal(page.headers.get('cache-control'), 'no-cache');
  const commands = commandsOf(await page.text());
  assert.ok(commands.length >= 3, `expected the page to name commands, found ${commands.length}`);
  const filled: Record<string, string> = { '<relay>': relay.url };
  const ran: string[] = [];
  for (const command of commands) {
    const [npx, bin, ...rest] = words(command);
    assert.deepEqual([npx, bin], ['npx', 'baton'], command);
    const args = rest.map((w) => filled[w] ?? w);
    const unfilled = args.filter((w) => /^<.*>$/.test(w));
    assert.deepEqual(unfilled, [], `no value for ${unfilled.join(', ')} in: ${command}`);
    if (args[0] === 'relay') {
      const { code, output } = await startAndStop(args);
      assert.equal(code, 0, output);
    } else {
      const result = await baton(['--data', join(home, 'device'), '--timeout', '8', ...args]);
      assert.equal(result.code, 0, `${command}: ${result.stderr}`);
      if (args[0] === 'board') {
        // The created board's read capability fills the placeholder of the commands after it.
        filled['<read capability>'] = json<{ read: string }>(result).read;
      } else {
        assert.match(result.stdout, /My board/, command);
      }
    }
    ran.push(args[0]!);
  }
  assert.deepEqual(ran, ['board', 'read', 'relay']);
});
