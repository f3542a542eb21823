// The single-file build, opened from disk (file://), reads a board that the client core
// wrote to a loopback relay: everything it needs is inlined, and relays answer cross-origin.
import { afterAll, beforeAll, test } from 'vitest';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import WebSocket from 'ws';
import type { Browser } from 'playwright-core';
import { exportIdentity, generateIdentity, initSodium } from '#shared';
import { BatonClient, MemoryStore, boards } from '#client-core';
import { buildSingleFile, delivered, launchBrowser, seedLines, shot, startTestRelay, watchErrors, type TestRelay } from './harness.ts';
import { hasSystemPackage } from '../support/system.ts';

// Skipped, with one line from the global setup, where chromium is missing.
const missing = !hasSystemPackage('chromium');

let relay: TestRelay;
let browser: Browser;
let file: string;

beforeAll(async () => {
  await initSodium();
  file = buildSingleFile();
  relay = await startTestRelay();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await relay?.cleanup();
});


test.skipIf(missing)('the single HTML file inlines everything', () => {
  const html = readFileSync(file, 'utf8');
  assert.doesNotMatch(html, /<script[^>]+src=/, 'no external scripts');
  assert.doesNotMatch(html, /<link[^>]+rel="stylesheet"/, 'no external styles');
  // The loading screen's languages (client/web/l10n/boot.ts) travel with it, and its noscript line.
  assert.match(html, /<script>\(function\(/, 'the boot script');
  assert.match(html, /<noscript><p lang="en" dir="ltr">/);
  assert.doesNotMatch(html, /https?:\/\/(?!www\.w3\.org)[a-z0-9.-]+\.(?:com|net|org|io)\/[^"'\s]*\.(?:js|css|wasm|woff2?)/i, 'nothing fetched from a CDN');
});

/** The Node device that writes the boards the page then opens. */
const writerDevice = () =>
  new BatonClient({
    store: new MemoryStore(),
    identity: generateIdentity(),
    name: 'Samir',
    connection: { WebSocket: WebSocket as unknown as typeof globalThis.WebSocket },
  });

test.skipIf(missing)('opened from file://, it reads a board from a relay and asks for a relay to create one', { timeout: 60_000 }, async () => {
  const [line] = seedLines(1);
  const client = writerDevice();
  try {
    const { board, caps } = await boards.createBoard(client, { title: 'Offline reading room', relays: [relay.url] });
    const { thread } = await boards.createThread(client, board, { title: 'Carried on a USB stick', body: line! });
    await delivered([board, thread], 15_000);

    const page = await (await browser.newContext({ viewport: { width: 900, height: 700 } })).newPage();
    const errors = watchErrors(page);
    const url = pathToFileURL(file).href;
    await page.goto(`${url}#${caps.read}`);
    await page.getByRole('heading', { name: 'Offline reading room' }).waitFor({ timeout: 20_000 });
    await page.getByRole('link', { name: /Carried on a USB stick/ }).click();
    const post = page.locator('baton-post', { hasText: line!.slice(0, 40) });
    await post.waitFor({ timeout: 15_000 });
    assert.match(await post.locator('header').innerText(), /Samir[\s\S]*signed by [A-Za-z0-9_-]{8}/);
    assert.equal(await page.getByRole('textbox', { name: 'Message' }).count(), 0, 'a read link cannot post');
    await shot(page, 'single-file-thread');

    await page.goto(`${url}#`);
    await page.getByRole('textbox', { name: 'Board title' }).waitFor();
    await page.getByText('Opened from a file').waitFor();
    assert.equal(await page.getByRole('textbox', { name: /Relays/ }).inputValue(), '');
    await shot(page, 'single-file-start');

    // Identity: export shows this browser's key; importing another replaces it; junk is refused.
    await page.getByText('Identity key', { exact: true }).click();
    await page.getByRole('button', { name: 'Show my identity key' }).click();
    const own = await page.getByRole('textbox', { name: 'Your identity key' }).inputValue();
    assert.match(own, /^baton-identity:v1:/);
    await page.getByRole('textbox', { name: 'Identity key to import' }).fill('baton-identity:v1:not-a-key');
    await page.getByRole('button', { name: 'Import identity' }).click();
    await page.getByRole('alert').filter({ hasText: 'This is not a Baton identity key' }).waitFor();
    const moved = exportIdentity(generateIdentity());
    await page.getByRole('textbox', { name: 'Identity key to import' }).fill(moved);
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Import identity' }).click()]);
    await page.getByText('Identity key', { exact: true }).click();
    await page.getByRole('button', { name: 'Show my identity key' }).click();
    assert.equal(await page.getByRole('textbox', { name: 'Your identity key' }).inputValue(), moved);
    assert.deepEqual(errors, []);
  } finally {
    await client.close();
  }
});

test.skipIf(missing)('opened from file://, a thread too large to check at once is checked by its inline worker', { timeout: 60_000 }, async () => {
  const client = writerDevice();
  try {
    const { board, caps } = await boards.createBoard(client, { title: 'A long discussion', relays: [relay.url] });
    const { thread } = await boards.createThread(client, board, { title: 'Many replies', body: 'first' });
    // Well over the 16 KiB a client checks at once: the page hands the room's sync to a worker.
    for (let i = 0; i < 40; i++) boards.post(client, thread, { body: `reply ${i} `.padEnd(600, '.') });
    await delivered([board, thread], 15_000);

    const page = await (await browser.newContext()).newPage();
    const errors = watchErrors(page);
    await page.goto(`${pathToFileURL(file).href}#${caps.read}`);
    await page.getByRole('link', { name: /Many replies/ }).click({ timeout: 20_000 });
    await page.locator('baton-post', { hasText: 'reply 39 ' }).waitFor({ timeout: 15_000 });
    assert.ok(page.workers().length >= 1, 'a worker ran in the page');
    assert.deepEqual(errors, []);
  } finally {
    await client.close();
  }
});
