// A PDF attached in the browser: its first page is drawn on the sender's device (pdf.js, loaded
// only then, a chunk of its own the service worker does not keep) into the same padded JPEG
// thumbnail pictures carry, and its page count goes with the post. A reader's page shows the
// thumbnail and the count and never loads pdf.js: a received PDF is only downloaded. A PDF
// from the CLI (no thumbnail) shows as a card. Screenshots at 360 and 1280 px, light and dark,
// and in Arabic (right to left).
import { afterAll, beforeAll, test } from 'vitest';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { PDFDocument, rgb } from 'pdf-lib';
import type { Page } from 'playwright-core';
import { generateIdentity, initSodium, unpadThumb, type ShownPost } from '#shared';
import { BatonClient, MemoryStore, boards, fetchFile, sealFiles, type Space } from '#client-core';
import { NodeWS, until } from '../integration/client-fixtures.ts';
import { delivered, shot, useRelayAndBrowser, watchErrors } from './harness.ts';

const env = useRelayAndBrowser();
const { missing } = env;
const THREAD = 'Leaked orders';
const CARD_POST = 'The order, as the CLI sends it.';

let alice: BatonClient;
let boardWrite = '';
let boardRead = '';

/** Two pages: the first filled red, the second blue, so a thumbnail says which page it shows. */
async function twoPagePdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setAuthor('Someone who should stay unknown');
  for (const colour of [rgb(0.85, 0.1, 0.1), rgb(0.1, 0.1, 0.85)]) {
    const page = doc.addPage([300, 420]);
    page.drawRectangle({ x: 0, y: 0, width: 300, height: 420, color: colour });
    page.drawText('ORDER 17', { x: 40, y: 200, size: 36, color: rgb(1, 1, 1) });
  }
  return doc.save();
}

beforeAll(async () => {
  if (missing) return;
  await initSodium();
  alice = new BatonClient({ store: new MemoryStore(), identity: generateIdentity(), name: 'Alice', connection: { WebSocket: NodeWS } });
  const { board, caps } = await boards.createBoard(alice, { title: 'Evidence', relays: [env.relay.url] });
  const { thread } = await boards.createThread(alice, board, { title: THREAD, body: 'Attach what you have.' });
  // A PDF as the CLI sends it: its page count, no thumbnail.
  const doc = await PDFDocument.create();
  for (let i = 0; i < 3; i++) doc.addPage([200, 200]).drawText(`Page ${i + 1}`, { x: 20, y: 100 });
  const sealed = await sealFiles(alice, thread, [{ bytes: await doc.save(), name: 'order-17.pdf', mime: 'application/pdf', pages: 3, removed: [] }]);
  boards.post(alice, thread, { body: CARD_POST, attachments: sealed.attachments });
  await delivered([board, thread, ...sealed.spaces], 15_000);
  boardWrite = caps.write;
  boardRead = caps.read;
});

afterAll(async () => {
  await alice?.close();
});

/** Requests for pdf.js (its chunk or its worker) the page made. */
function pdfjsRequests(page: Page): string[] {
  const seen: string[] = [];
  page.on('request', (r) => {
    if (/\/assets\/(pdf-page|pdf\.worker)/.test(r.url())) seen.push(r.url());
  });
  return seen;
}

async function openThread(page: Page, cap: string): Promise<void> {
  await page.goto(`${env.relay.url}/#${cap}`);
  await page.getByRole('link', { name: new RegExp(THREAD) }).click({ timeout: 20_000 });
  await page.locator('baton-post', { hasText: CARD_POST }).waitFor({ timeout: 20_000 });
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

test.skipIf(missing)('a PDF attached in the browser gets a thumbnail of its first page and its page count; readers never load pdf.js', { timeout: 180_000 }, async () => {
  const precache = (await (await fetch(`${env.relay.url}/precache.json`)).json()) as string[];
  assert.ok(precache.length > 0 && !precache.some((f) => /pdf-page|pdf\.worker/.test(f)), 'the service worker does not keep pdf.js');

  const context = await env.browser.newContext({ viewport: { width: 1280, height: 1000 } });
  const page = await context.newPage();
  const errors = watchErrors(page);
  const loaded = pdfjsRequests(page);
  await openThread(page, boardWrite);
  // The CLI's PDF: a card with its page count, and nothing of pdf.js loaded to show it.
  const card = page.locator('baton-post', { hasText: CARD_POST }).locator('baton-attachments li');
  await card.getByText(/PDF · .* · 3 pages/).waitFor({ timeout: 20_000 });
  assert.equal(await card.locator('.icon').innerText(), 'PDF');
  assert.equal(loaded.length, 0, `nothing of pdf.js before a PDF is attached: ${loaded.join(', ')}`);

  const pdf = await twoPagePdf();
  await page.locator('baton-attach input[type=file]').setInputFiles({ name: 'order-18.pdf', mimeType: 'application/pdf', buffer: Buffer.from(pdf) });
  const item = page.locator('baton-attach li', { hasText: 'order-18.pdf' });
  await item.getByText(/2 pages/).waitFor({ timeout: 30_000 });
  await item.locator('img.page').waitFor({ timeout: 30_000 });
  assert.ok(loaded.some((u) => u.includes('pdf.worker')), 'pdf.js drew the page in its worker');
  await item.getByRole('checkbox').check();
  await page.locator('baton-compose textarea').fill('Order 18, both pages.');
  await page.getByRole('button', { name: 'Post', exact: true }).click();
  const posted = page.locator('baton-post', { hasText: 'Order 18, both pages.' }).locator('baton-attachments li');
  await posted.locator('.thumb.page img').waitFor({ timeout: 30_000 });
  assert.match(await posted.innerText(), /PDF · .* · 2 pages/);
  // Delivered before another device looks; the sender's tab stays open until the file is
  // fetched, since closing it would cut any of the file's pieces still on their way.
  await page.locator('baton-post', { hasText: 'Order 18, both pages.' }).locator('[data-delivery]').getByText(/reached 1 of 1/).waitFor({ timeout: 30_000 });
  assert.deepEqual(errors, []);

  // Another device: the thumbnail is a JPEG of page 1 (red), the count is 2, the file whole.
  const bob = new BatonClient({ store: new MemoryStore(), identity: generateIdentity(), name: 'Bob', connection: { WebSocket: NodeWS } });
  try {
    const board = await bob.open(boardRead);
    await board.whenSynced({ timeoutMs: 15_000 });
    const thread: Space = await boards.openThread(bob, board, boards.listThreads(board)[0]!.id);
    let post: ShownPost | undefined;
    assert.ok(await until(() => (post = boards.posts(thread).find((p) => p.body === 'Order 18, both pages.')) !== undefined, 20_000));
    const [a] = post!.attachments;
    assert.equal(a!.pages, 2);
    const jpeg = unpadThumb(a!.thumb!)!;
    const { data, info } = await sharp(jpeg).raw().toBuffer({ resolveWithObject: true });
    assert.equal((await sharp(jpeg).metadata()).format, 'jpeg');
    assert.ok(Math.max(info.width, info.height) <= 240 && info.height > info.width, `a portrait page, ${info.width} × ${info.height}`);
    const middle = (Math.floor(info.height / 2) * info.width + Math.floor(info.width / 4)) * info.channels;
    const [r, g, b] = [data[middle]!, data[middle + 1]!, data[middle + 2]!];
    assert.ok(r > 150 && g < 90 && b < 90, `the first page's red, not the second's blue: ${r},${g},${b}`);
    const bytes = await fetchFile(bob, thread, a!, { timeoutMs: 20_000 });
    assert.equal(sha256(bytes), a!.sha256);
  } finally {
    await bob.close();
    await context.close();
  }

  // A reader's page shows the thumbnail, downloads the PDF as bytes, and loads nothing of pdf.js.
  const reader = await env.browser.newContext({ viewport: { width: 1280, height: 1000 }, acceptDownloads: true });
  const readerPage = await reader.newPage();
  const readerLoaded = pdfjsRequests(readerPage);
  await openThread(readerPage, boardRead);
  const shown = readerPage.locator('baton-post', { hasText: 'Order 18, both pages.' }).locator('baton-attachments li');
  await shown.locator('.thumb.page img').waitFor({ timeout: 20_000 });
  const download = readerPage.waitForEvent('download');
  await shown.getByRole('button', { name: 'Download order-18.pdf' }).click();
  assert.equal((await download).suggestedFilename(), 'order-18.pdf');
  assert.deepEqual(readerLoaded, [], 'a received PDF is never opened in the page');
  await reader.close();
});

test.skipIf(missing)('PDF cards and thumbnails at 360 and 1280 px, light and dark, and in Arabic', { timeout: 180_000 }, async () => {
  const pdf = await twoPagePdf();
  const cases = [
    ...[360, 1280].flatMap((width) => (['light', 'dark'] as const).map((scheme) => ({ width, scheme, locale: 'en-GB' }))),
    { width: 360, scheme: 'light' as const, locale: 'ar-EG' },
    { width: 1280, scheme: 'dark' as const, locale: 'ar-EG' },
  ];
  for (const c of cases) {
    const context = await env.browser.newContext({ viewport: { width: c.width, height: 900 }, colorScheme: c.scheme, locale: c.locale });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(`${env.relay.url}/#${boardWrite}`);
    const arabic = c.locale.startsWith('ar');
    if (arabic) await page.waitForFunction(() => document.documentElement.dir === 'rtl');
    await page.locator('baton-board li a').first().click({ timeout: 20_000 });
    await page.locator('baton-post', { hasText: CARD_POST }).waitFor({ timeout: 20_000 });
    await page.locator('baton-attach input[type=file]').setInputFiles({ name: 'order-19.pdf', mimeType: 'application/pdf', buffer: Buffer.from(pdf) });
    await page.locator('baton-attach img.page').waitFor({ timeout: 30_000 });
    if (arabic) assert.match(await page.locator('baton-attach li').innerText(), /الصفحات: ٢|الصفحات: 2/);
    await shot(page, `pdf-thumb-${c.locale}-${c.width}-${c.scheme}`);
    assert.deepEqual(errors, []);
    await context.close();
  }
});
