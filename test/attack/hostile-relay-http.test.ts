// A hostile relay answers the client's HTTP fallback with a body that never ends (chunked,
// no Content-Length). The client must read no more than its cap, hang up, and say why.
import { test, afterAll } from 'vitest';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { HttpCap } from '#shared/wire/index.ts';

const MiB = 1024 * 1024;

/** Bytes written per room answer, and whether the client hung up on it. */
const answers: Array<{ written: number; hungUp: boolean }> = [];

const relay = createServer((req, res) => {
  if (req.method !== 'GET' || !req.url?.startsWith('/v1/rooms/')) return void res.writeHead(404).end();
  const answer = { written: 0, hungUp: false };
  answers.push(answer);
  res.on('close', () => (answer.hungUp = !res.writableFinished));
  res.writeHead(200, { 'content-type': 'application/octet-stream' });
  endless(res, answer);
});
relay.listen(0, '127.0.0.1');
await once(relay, 'listening');
const url = `http://127.0.0.1:${(relay.address() as AddressInfo).port}`;
afterAll(() => {
  relay.closeAllConnections();
  relay.close();
});

function endless(res: ServerResponse, answer: { written: number }): void {
  const chunk = new Uint8Array(64 * 1024).fill(0x5a);
  const pump = () => {
    while (!res.destroyed && res.write(chunk)) answer.written += chunk.length;
  };
  res.on('drain', () => {
    answer.written += chunk.length;
    pump();
  });
  pump();
}

test('an endless chunked room answer: the client stops at its cap, hangs up, and says it is too large', async () => {
  const child = fileURLToPath(new URL('./pull-room-child.ts', import.meta.url));
  const out = await new Promise<string>((resolve, reject) =>
    execFile(process.execPath, ['--import', 'tsx', child, url], { timeout: 90_000 }, (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout))),
  );
  const result = JSON.parse(out.trim().split('\n').at(-1)!) as { rssBefore: number; peakRss: number; ms: number; error: { code: string; status: number; message: string } | null };
  const growth = result.peakRss - result.rssBefore;
  console.log(`pull of an endless answer: failed after ${result.ms} ms, peak RSS ${(growth / MiB).toFixed(1)} MiB over the start, relay wrote ${(answers[0]!.written / MiB).toFixed(1)} MiB`);
  assert.ok(result.error, 'the pull failed');
  assert.equal(result.error.code, 'too-large');
  assert.equal(result.error.status, 200);
  assert.match(result.error.message, /too large/);
  assert.ok(growth < HttpCap.room + 64 * MiB, `the client grew by ${(growth / MiB).toFixed(1)} MiB`);
  assert.equal(answers.length, 1);
  assert.ok(answers[0]!.hungUp, 'the client hung up on the answer');
});
