// A WebSocket frame over the relay's message cap closes that socket (1009) and writes
// nothing to the relay's output: any client can send one on every connection it opens.
// (On Node 20, which has no ErrorEvent, each one used to print an eight-line stack trace.)
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { it } from 'vitest';
import WebSocket from 'ws';
import { spawnBaton } from '../support/baton-bin.ts';
import { waitUntil } from '../support/wait.ts';

it('frames over the cap close their sockets with 1009 and write no log line', async () => {
  const child = spawnBaton(['relay', '--port', '0', '--host', '127.0.0.1', '--memory'], { env: { ...process.env, LC_ALL: 'C' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d));
  child.stderr!.on('data', (d: Buffer) => (output += d));
  try {
    await waitUntil(() => /http:\/\/127\.0\.0\.1:\d+/.test(output) || child.exitCode !== null, { timeoutMs: 20_000, what: 'the relay to start' });
    const url = /http:\/\/127\.0\.0\.1:\d+/.exec(output)![0];
    const info = (await (await fetch(`${url}/v1/info`)).json()) as { limits: { maxMessageBytes: number } };
    const before = output;
    const room = `${'A'.repeat(43)}.0`;
    for (let i = 0; i < 5; i++) {
      const ws = new WebSocket(`${url.replace('http', 'ws')}/v1/sync/${room}`);
      ws.on('error', () => {});
      await once(ws, 'open');
      ws.send(new Uint8Array(info.limits.maxMessageBytes + 1));
      const [code] = (await once(ws, 'close')) as [number];
      assert.equal(code, 1009);
    }
    // The relay still answers, and said nothing about any of it.
    assert.equal((await fetch(`${url}/v1/info`)).status, 200);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(output, before, `the relay wrote: ${output.slice(before.length)}`);
  } finally {
    if (child.exitCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    }
  }
}, 60_000);
