// In Chromium, a hostile relay sends one 8 MiB sync step 2 of thousands of blobs signed for
// the room at their own ids, the last one broken. The page checks it in a Web Worker started
// from a blob URL (as the built client's inline worker is): its longest main-thread task is
// no more than a little over Chromium's own delivery of a message that size to a page that
// does nothing with it (measured in the same run), far from the time the check takes inline;
// typing into a text box goes on meanwhile, the update is refused whole, and the honest update
// after it is applied.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { WebSocketServer } from 'ws';
import { formatCapability, initSodium, writeSyncStep2, writeSyncUpdate } from '#shared';
import { hostileUpdate, honestUpdate } from '../support/hostile-update.ts';
import { launchBrowser } from './harness.ts';
import { hasSystemPackage } from '../support/system.ts';

const missing = !hasSystemPackage('chromium');
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/**
 * What the page may add to Chromium's own cost of an 8 MiB message. That cost alone is 60 to
 * 130 ms of the main thread on a quiet 2-core machine and 250 to 500 ms on a loaded one, so it
 * is measured beside the test, not assumed.
 */
const PAGE_MARGIN_MS = 150;

// Runs in the page: a space on the hostile relay, checked through the Web Worker.
const ENTRY = `
import { clockOfDoc, createEnvelopeDoc, envelopeLog, generateIdentity, initSodium, parseCapability, validateEnvelopeUpdate } from './shared/index.ts';
import { MemoryStore, Space } from './client/core/index.ts';
import { setOffThreadCheck } from './client/core/update-check.ts';
import { webWorkerCheck } from './client/browser/worker-check.ts';

const longTasks = [];
const handOffs = [];
let lastLarge = 0;
// Listens before the client's own handler: the time a large message reached the page.
const PageWebSocket = window.WebSocket;
window.WebSocket = class extends PageWebSocket {
  constructor(...args) {
    super(...args);
    this.addEventListener('message', (e) => { if (e.data.byteLength > 1024 * 1024) lastLarge = performance.now(); });
  }
};
new PerformanceObserver((list) => { for (const e of list.getEntries()) longTasks.push(e.duration); }).observe({ type: 'longtask', buffered: false });

// Chromium's own cost: a bare socket gets a message of the same size and ignores it. The
// longest task from its opening until half a second after the message (the collection of the
// buffer included).
window.bare = (relay) => new Promise((resolve) => {
  longTasks.length = 0;
  const socket = new PageWebSocket(relay.replace('http', 'ws') + '/bare');
  socket.binaryType = 'arraybuffer';
  socket.onmessage = () => setTimeout(() => { socket.close(); resolve(Math.max(0, ...longTasks)); }, 500);
});

window.connect = async (relay, capText) => {
  await initSodium();
  const code = await (await fetch('/worker.js')).text();
  const url = URL.createObjectURL(new Blob([code], { type: 'text/javascript' }));
  const worker = webWorkerCheck(() => new Worker(url, { type: 'module' }));
  // The page's own work for a message: from its arrival to the hand-off to the worker.
  setOffThreadCheck((request) => {
    const verdict = worker(request);
    if (request.update.length > 1024 * 1024) handOffs.push(performance.now() - lastLarge);
    return verdict;
  });
  const space = await Space.open(parseCapability(capText), { store: new MemoryStore(), identity: generateIdentity(), connection: { maxBackoffMs: 200 } });
  longTasks.length = 0;
  space.connect([relay]);
  window.space = space;
};

window.outcome = async () => {
  const end = Date.now() + 60000;
  const status = () => window.space.statuses()[0];
  while ((status().rejected < 1 || envelopeLog(window.space.envelope).length < 1) && Date.now() < end) await new Promise((r) => setTimeout(r, 25));
  const s = status();
  const blobs = envelopeLog(window.space.envelope).length;
  await window.space.close();
  return { rejected: s.rejected, lastError: s.lastError, blobs, longTasks: [...longTasks], handOffs };
};

// The same check inline, for comparison: how long the main thread would have been held.
window.inline = async (capText) => {
  const update = new Uint8Array(await (await fetch('/hostile.bin')).arrayBuffer());
  const cap = parseCapability(capText);
  const t = performance.now();
  const v = validateEnvelopeUpdate(update, { writePub: cap.writePub, epoch: 0 }, { clockOf: clockOfDoc(createEnvelopeDoc()), maxUpdateBytes: 64 * 1024 * 1024 });
  return { ok: v.ok, ms: performance.now() - t };
};
`;

test.skipIf(missing)('Chromium: an 8 MiB hostile update is checked in a Web Worker; the page stays responsive', async () => {
  await initSodium();
  const bundle = (entry: { contents?: string; file?: string }) =>
    build({
      ...(entry.file ? { entryPoints: [entry.file] } : { stdin: { contents: entry.contents!, resolveDir: ROOT, loader: 'ts' as const } }),
      bundle: true,
      format: 'esm',
      platform: 'browser',
      write: false,
      logLevel: 'silent',
    }).then((b) => b.outputFiles[0]!.text);
  const [script, worker] = await Promise.all([bundle({ contents: ENTRY }), bundle({ file: `${ROOT}client/browser/check-worker.ts` })]);
  const hostile = hostileUpdate(8 * 1024 * 1024, 1024);
  const good = honestUpdate(hostile, 'after the flood');
  const server = createServer((req, res) => {
    if (req.url === '/app.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    else if (req.url === '/worker.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(worker);
    else if (req.url === '/hostile.bin') res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(hostile.update);
    else res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><textarea id="compose"></textarea><script type="module" src="/app.js"></script>');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const relay = new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload: 1024 * 1024 });
  await once(relay, 'listening');
  relay.on('connection', (socket, req) => {
    socket.on('error', () => {});
    if (req.url === '/bare') return socket.send(hostile.update);
    socket.send(writeSyncStep2(hostile.update));
    socket.send(writeSyncUpdate(good));
  });
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`http://127.0.0.1:${(server.address() as { port: number }).port}/`);
    await page.waitForFunction(() => typeof (window as unknown as { connect?: unknown }).connect === 'function');
    const capText = formatCapability(hostile.cap);
    const relayUrl = `http://127.0.0.1:${(relay.address() as { port: number }).port}`;
    const bare = (r: string) => page.evaluate((url) => (window as unknown as { bare(url: string): Promise<number> }).bare(url), r);
    // Twice: the larger of two is a steadier baseline on a busy machine.
    const chromiumOwn = Math.max(await bare(relayUrl), await bare(relayUrl));
    await page.evaluate(([r, c]) => (window as unknown as { connect(r: string, c: string): Promise<void> }).connect(r, c), [relayUrl, capText]);
    // A person types while the update is checked.
    const typed = 'typing while the relay floods';
    await page.click('#compose');
    const started = Date.now();
    await page.keyboard.type(typed, { delay: 15 });
    const typingMs = Date.now() - started;
    const outcome = await page.evaluate(() => (window as unknown as { outcome(): Promise<{ rejected: number; lastError: string | null; blobs: number; longTasks: number[]; handOffs: number[] }> }).outcome());
    assert.equal(await page.inputValue('#compose'), typed);
    const inline = await page.evaluate((c) => (window as unknown as { inline(c: string): Promise<{ ok: boolean; ms: number }> }).inline(c), capText);
    const maxTask = Math.max(0, ...outcome.longTasks);
    const maxHandOff = Math.max(0, ...outcome.handOffs);
    console.log(
      `Chromium, hostile update of ${(hostile.update.length / 1048576).toFixed(1)} MiB, ${hostile.blobs} blobs: ${outcome.longTasks.length} long tasks, longest ${maxTask.toFixed(0)} ms, a bare page's longest ${chromiumOwn.toFixed(0)} ms; the page's work from its arrival to the worker ${maxHandOff.toFixed(1)} ms; typing ${typed.length} keys took ${typingMs} ms; the same check inline ${inline.ms.toFixed(0)} ms`,
    );
    assert.deepEqual(errors, []);
    assert.ok(outcome.rejected >= 1, 'the hostile update was refused');
    assert.match(outcome.lastError ?? '', /bad-signature/);
    assert.equal(outcome.blobs, 1, 'only the honest update was applied');
    assert.equal(inline.ok, false);
    assert.ok(inline.ms > PAGE_MARGIN_MS * 2, `an inline check (${inline.ms.toFixed(0)} ms) would fail the bound`);
    assert.ok(outcome.handOffs.length >= 1, 'the worker checked the update');
    // Far below an inline check (asserted above); 52-59 ms were seen on a machine twice as slow as usual.
    assert.ok(maxHandOff < 100, `the page's own work for the message: ${maxHandOff.toFixed(1)} ms`);
    assert.ok(maxTask < chromiumOwn + PAGE_MARGIN_MS, `longest main-thread task ${maxTask.toFixed(0)} ms, Chromium's own ${chromiumOwn.toFixed(0)} ms`);
  } finally {
    await browser.close();
    for (const s of relay.clients) s.terminate();
    relay.close();
    server.close();
  }
});
