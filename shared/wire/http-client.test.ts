// The HTTP client against a real loopback server, run on two fetches: Node's own (a body
// with a reader) and a small one over node:http (a body that is an async iterable).
import { test, afterAll } from 'vitest';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import type { WireFetch, WireResponse } from './fetch.ts';
import { requestBytes, requestJson, type WireClient } from './http-client.ts';

/** What the server saw of each response: bytes written, and whether the client hung up first. */
interface Served {
  written: number;
  hungUp: boolean;
}
const served: Served[] = [];
const routes: Record<string, (req: IncomingMessage, res: ServerResponse, seen: Served) => void> = {
  '/small': (_req, res) => res.end('hello'),
  '/json': (_req, res) => res.setHeader('content-type', 'application/json').end('{"sv":"AA"}'),
  '/not-json': (_req, res) => res.end('<html>'),
  '/declared-huge': (_req, res, seen) => {
    res.writeHead(200, { 'content-length': String(1 << 30) });
    endless(res, seen);
  },
  '/endless': (_req, res, seen) => endless(res, seen),
  '/gzip-bomb': (_req, res, seen) => {
    res.writeHead(200, { 'content-encoding': 'gzip' });
    const zeros = new Readable({ read: () => void zeros.push(new Uint8Array(1 << 20)) });
    zeros.pipe(createGzip()).on('data', (c: Buffer) => (seen.written += c.length)).pipe(res);
    res.on('close', () => zeros.destroy());
  },
  '/refused': (_req, res) => res.writeHead(409, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'gap', message: 'missing \u001b[31mred\u001b[0m', sv: 'AA' })),
  '/refused-huge': (_req, res, seen) => {
    res.writeHead(500);
    endless(res, seen);
  },
  '/refused-text': (_req, res) => res.writeHead(503).end('busy'),
  '/silent': () => {},
  '/slow-body': (_req, res) => {
    res.writeHead(200);
    res.write('a'); // and then nothing
  },
  '/cut': (_req, res) => {
    res.writeHead(200, { 'content-length': '100' });
    res.write('only part');
    setTimeout(() => res.destroy(), 20);
  },
  '/redirect': (_req, res) => res.writeHead(302, { location: '/small' }).end(),
  '/echo': (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => res.end(JSON.stringify({ method: req.method, type: req.headers['content-type'], body: Buffer.concat(chunks).toString() })));
  },
};

/** Writes 64 KiB chunks for as long as the client reads (no Content-Length: chunked). */
function endless(res: ServerResponse, seen: Served): void {
  const chunk = new Uint8Array(64 * 1024).fill(7);
  const pump = () => {
    while (!res.destroyed && res.write(chunk)) seen.written += chunk.length;
  };
  res.on('drain', () => {
    seen.written += chunk.length;
    pump();
  });
  pump();
}

const server = createServer((req, res) => {
  const seen: Served = { written: 0, hungUp: false };
  served.push(seen);
  res.on('close', () => (seen.hungUp = !res.writableFinished));
  const route = routes[(req.url ?? '').split('?')[0]!];
  if (route) route(req, res, seen);
  else res.writeHead(404).end();
});
server.listen(0, '127.0.0.1');
await once(server, 'listening');
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

/** A fetch over node:http whose body is the response itself: an async iterable of chunks. */
const nodeHttpFetch: WireFetch = (url, init) =>
  new Promise<WireResponse>((resolve, reject) => {
    const req = httpRequest(url, { method: init.method, headers: init.headers, signal: init.signal as AbortSignal }, (res) => {
      if (init.redirect === 'error' && (res.statusCode ?? 0) >= 300 && (res.statusCode ?? 0) < 400) {
        res.destroy();
        return reject(new TypeError('redirect refused'));
      }
      resolve({ status: res.statusCode ?? 0, headers: { get: (name) => (res.headers[name.toLowerCase()] as string | undefined) ?? null }, body: res });
    });
    req.on('error', reject);
    req.end(init.body);
  });

const fetches: Array<[string, WireFetch]> = [
  ['Node fetch', (url, init) => fetch(url, init as RequestInit)],
  ['node:http', nodeHttpFetch],
];

const MiB = 1024 * 1024;

for (const [name, fetchImpl] of fetches) {
  const client: WireClient = { fetch: fetchImpl, timeoutMs: 2000, redirect: 'error' };

  test(`${name}: an answer under its cap comes back whole, with its headers`, async () => {
    const answer = await requestBytes(client, `${base}/small`, { maxBytes: 5 });
    assert.ok(answer.ok);
    assert.equal(new TextDecoder().decode(answer.body), 'hello');
    assert.equal(answer.headers.get('content-length'), '5');
    const json = await requestJson(client, `${base}/echo`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: new Uint8Array([104, 105]), maxBytes: 1024 });
    assert.ok(json.ok);
    assert.deepEqual(json.body, { method: 'POST', type: 'application/octet-stream', body: 'hi' });
  });

  test(`${name}: one byte over the cap is too large`, async () => {
    const answer = await requestBytes(client, `${base}/small`, { maxBytes: 4 });
    assert.ok(!answer.ok);
    assert.equal(answer.kind, 'too-large');
    assert.match(answer.detail, /too large/);
  });

  test(`${name}: a Content-Length over the cap is refused before reading, and the request aborted`, async () => {
    const answer = await requestBytes(client, `${base}/declared-huge`, { maxBytes: MiB });
    assert.ok(!answer.ok);
    assert.equal(answer.kind, 'too-large');
    assert.match(answer.detail, /1073741824 bytes/);
    await hungUp();
  });

  test(`${name}: an endless chunked body is cut off at the cap and the request aborted`, async () => {
    const answer = await requestBytes(client, `${base}/endless`, { maxBytes: 4 * MiB });
    assert.ok(!answer.ok);
    assert.equal(answer.kind, 'too-large');
    assert.equal(answer.status, 200);
    const seen = await hungUp();
    // What the server got out before the client hung up: the cap and what sockets buffer.
    assert.ok(seen.written < 4 * MiB + 16 * MiB, `server wrote ${seen.written} bytes`);
  });

  test(`${name}: a refusal's JSON error is read, its text made printable`, async () => {
    const answer = await requestJson(client, `${base}/refused`, { maxBytes: MiB });
    assert.ok(!answer.ok);
    assert.equal(answer.kind, 'refused');
    assert.equal(answer.status, 409);
    assert.equal(answer.refusal?.code, 'gap');
    assert.equal(answer.refusal?.message, 'missing  [31mred [0m');
    assert.deepEqual((answer.refusal?.json as { sv: string }).sv, 'AA');
    assert.equal(answer.detail, 'relay answered 409: missing  [31mred [0m');
    const text = await requestJson(client, `${base}/refused-text`, { maxBytes: MiB });
    assert.ok(!text.ok);
    assert.deepEqual([text.kind, text.status, text.detail, text.refusal?.json], ['refused', 503, 'relay answered 503', null]);
  });

  test(`${name}: an endless refusal is a refusal, read no further than the error cap`, async () => {
    const answer = await requestJson(client, `${base}/refused-huge`, { maxBytes: 64 * MiB });
    assert.ok(!answer.ok);
    assert.deepEqual([answer.kind, answer.status, answer.refusal?.code], ['refused', 500, null]);
    const seen = await hungUp();
    assert.ok(seen.written < 16 * MiB, `server wrote ${seen.written} bytes`);
  });

  test(`${name}: an answer that is not JSON is a bad answer`, async () => {
    const answer = await requestJson(client, `${base}/not-json`, { maxBytes: MiB });
    assert.ok(!answer.ok);
    assert.deepEqual([answer.kind, answer.status], ['bad-answer', 200]);
    const ok = await requestJson(client, `${base}/json`, { maxBytes: MiB });
    assert.ok(ok.ok);
    assert.deepEqual(ok.body, { sv: 'AA' });
  });

  test(`${name}: no answer, or an answer that stalls, times out`, async () => {
    const quick = { ...client, timeoutMs: 150 };
    const started = Date.now();
    const silent = await requestBytes(quick, `${base}/silent`, { maxBytes: MiB });
    assert.ok(!silent.ok);
    assert.deepEqual([silent.kind, silent.status], ['timeout', 0]);
    assert.match(silent.detail, /150 ms/);
    const stalled = await requestBytes(quick, `${base}/slow-body`, { maxBytes: MiB });
    assert.ok(!stalled.ok);
    assert.deepEqual([stalled.kind, stalled.status], ['timeout', 200]);
    assert.ok(Date.now() - started < 5000);
  });

  test(`${name}: the stop signal ends a request in flight, and refuses later ones`, async () => {
    const stop = new AbortController();
    const stoppable = { ...client, timeoutMs: 10_000, signal: stop.signal };
    const pending = requestBytes(stoppable, `${base}/silent`, { maxBytes: MiB });
    setTimeout(() => stop.abort(), 50);
    const answer = await pending;
    assert.ok(!answer.ok);
    assert.equal(answer.kind, 'stopped');
    const later = await requestBytes(stoppable, `${base}/small`, { maxBytes: MiB });
    assert.ok(!later.ok);
    assert.equal(later.kind, 'stopped');
  });

  test(`${name}: a closed port is unreachable; a body cut short is cut off; a redirect is refused`, async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as AddressInfo).port;
    closed.close();
    const unreachable = await requestBytes(client, `http://127.0.0.1:${port}/`, { maxBytes: MiB });
    assert.ok(!unreachable.ok);
    assert.deepEqual([unreachable.kind, unreachable.status], ['unreachable', 0]);
    const cut = await requestBytes(client, `${base}/cut`, { maxBytes: MiB });
    assert.ok(!cut.ok);
    assert.deepEqual([cut.kind, cut.status], ['cut-off', 200]);
    const redirect = await requestBytes(client, `${base}/redirect`, { maxBytes: MiB });
    assert.ok(!redirect.ok);
    assert.equal(redirect.kind, 'unreachable');
  });
}

test('Node fetch: a gzip bomb is capped on what it inflates to, not on what it sends', async () => {
  const client: WireClient = { fetch: (url, init) => fetch(url, init as RequestInit), timeoutMs: 10_000 };
  const answer = await requestBytes(client, `${base}/gzip-bomb`, { maxBytes: 8 * MiB });
  assert.ok(!answer.ok);
  assert.equal(answer.kind, 'too-large');
  const seen = await hungUp();
  assert.ok(seen.written < 2 * MiB, `server wrote ${seen.written} compressed bytes`);
});

/** Waits for the latest response to be closed by the client before it ended. */
async function hungUp(): Promise<Served> {
  const seen = served.at(-1)!;
  const deadline = Date.now() + 5000;
  while (!seen.hungUp && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  assert.ok(seen.hungUp, 'the client aborted the response');
  return seen;
}
