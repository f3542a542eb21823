// A page's CSP names its inline scripts by hash, read from the file the page was sent from
// (compressed or not), and follows the file when it is rebuilt; no other inline script passes.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync } from 'node:zlib';
import { afterAll, beforeAll, it } from 'vitest';
import { startRelay, type Relay } from '../index.ts';
import { inlineScriptHashes } from './inline-scripts.ts';

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
const page = (script: string) => `<!doctype html><p id="s">English</p><script>${script}</script><script type="module" src="./a.js"></script>`;
const BOOT = 'document.getElementById("s").textContent="فارسی"';

let dir: string;
let relay: Relay;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'baton-inline-'));
  writeFileSync(join(dir, 'index.html'), page(BOOT));
  writeFileSync(join(dir, 'index.html.br'), brotliCompressSync(Buffer.from(page(BOOT))));
  relay = await startRelay({ port: 0, host: '127.0.0.1', webRoot: dir, log: () => {} });
});
afterAll(async () => {
  await relay.close();
  rmSync(dir, { recursive: true, force: true });
});

it('hashes only attribute-less scripts, as UTF-8 text', () => {
  assert.deepEqual(inlineScriptHashes(page(BOOT)), [sha256(BOOT)]);
  assert.deepEqual(inlineScriptHashes('<script src="x.js"></script><p>no script</p>'), []);
});

it("the page's CSP allows its own inline script and nothing looser, whichever encoding is sent", async () => {
  for (const encoding of ['br', 'identity']) {
    const res = await fetch(`${relay.url}/`, { headers: { 'Accept-Encoding': encoding } });
    assert.equal(res.status, 200);
    const csp = res.headers.get('content-security-policy')!;
    assert.match(csp, new RegExp(`script-src 'self' 'wasm-unsafe-eval' ${sha256(BOOT).replace(/[+/]/g, '\\$&')};`), encoding);
    assert.doesNotMatch(csp, /unsafe-inline/);
    assert.match(csp, /frame-ancestors 'none'/);
  }
  const api = await fetch(`${relay.url}/v1/info`);
  assert.doesNotMatch(api.headers.get('content-security-policy')!, /sha256/);
});

it('a rebuilt page gets the hash of its new script', async () => {
  const changed = page(`${BOOT};1`);
  writeFileSync(join(dir, 'index.html'), changed);
  rmSync(join(dir, 'index.html.br'));
  const later = new Date(Date.now() + 5000);
  utimesSync(join(dir, 'index.html'), later, later);
  const csp = (await fetch(`${relay.url}/`)).headers.get('content-security-policy')!;
  assert.ok(csp.includes(sha256(`${BOOT};1`)) && !csp.includes(sha256(BOOT)), csp);
});
