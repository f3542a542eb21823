// The relay that served the page is always synced with, however a board was reached: a board
// imported from a bundle on the start page of a relay that is not on the board's list, and
// opened from inside the app while the board's own relay is down, syncs through the page's
// relay and is never called offline meanwhile.
import { afterAll, beforeAll, test } from 'vitest';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import type { Browser } from 'playwright-core';
import { generateIdentity, initSodium } from '#shared';
import { BatonClient, MemoryStore, boards, exportBundle } from '#client-core';
import { delivered, ensureWebBuilt, launchBrowser, shot, startTestRelay, watchErrors, type TestRelay } from './harness.ts';
import { hasSystemPackage } from '../support/system.ts';
import { holdsWithin, waitUntil } from '../support/wait.ts';

const missing = !hasSystemPackage('chromium');
let home: TestRelay;
let web: TestRelay;
let browser: Browser;

beforeAll(async () => {
  if (missing) return;
  await initSodium();
  ensureWebBuilt();
  home = await startTestRelay();
  web = await startTestRelay();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await home?.cleanup();
  await web?.cleanup();
});

const pageText = `(() => {
  const out = [];
  const walk = (n) => { if (n.nodeType === 3) out.push(n.data); if (n.shadowRoot) walk(n.shadowRoot); for (const c of n.childNodes) walk(c); };
  walk(document.body);
  return out.join(' ');
})()`;

test.skipIf(missing)('a board from a bundle, opened inside the app on another relay while its own is down, syncs there and is not called offline', { timeout: 120_000 }, async () => {
  const client = new BatonClient({ store: new MemoryStore(), identity: generateIdentity(), name: 'Archivist', connection: { WebSocket: WebSocket as unknown as typeof globalThis.WebSocket } });
  let bundle: string;
  let readCap: string;
  try {
    const { board, caps } = await boards.createBoard(client, { title: 'Carried by hand', relays: [home.url] });
    const { thread } = await boards.createThread(client, board, { title: 'Which mirrors still answer?' });
    boards.post(client, thread, { body: 'The home relay is blocked from here.' });
    await delivered([board, thread], 30_000);
    bundle = exportBundle([board, thread]);
    readCap = caps.read;
  } finally {
    await client.close();
  }
  await home.stop();

  const context = await browser.newContext({ viewport: { width: 1000, height: 800 } });
  try {
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(`${web.url}/`);
    await page.locator('baton-start input[type=file]').setInputFiles({ name: 'board.baton', mimeType: 'application/octet-stream', buffer: Buffer.from(bundle) });
    await page.getByText(/Open the board with its link/).waitFor({ timeout: 30_000 });
    // Opened from inside the app (a fragment change, not a page load): the link names only the home relay.
    await page.evaluate(`location.hash = ${JSON.stringify(`#${readCap}`)}`);
    await page.getByRole('heading', { name: 'Carried by hand' }).waitFor({ timeout: 30_000 });
    // The page's relay gets the board from this device and counts as synced.
    await waitUntil(async () => {
      const res = await fetch(`${web.url}/v1/rooms`);
      const { rooms } = (await res.json()) as { rooms: string[] };
      return rooms.some((r) => readCap.includes(r.split('.')[0]!));
    }, { timeoutMs: 30_000, intervalMs: 250, what: 'the page’s relay to hold the board' });
    // Long enough for the home relay to fail over and over: "Offline" never shows.
    const offline = await holdsWithin(async () => /Offline/.test((await page.evaluate(pageText)) as string), { timeoutMs: 10_000, intervalMs: 250 });
    await shot(page, 'serving-relay-bundle-board', false);
    assert.equal(offline, false, 'the page said Offline while the relay that served it answered');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
