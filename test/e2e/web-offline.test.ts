// Delivery through an outage: with the relay down a post shows as queued (and survives a
// reload, as does a half-typed draft); when the relay comes back on the same port and
// data, the post is delivered and confirmed by the relay's receipt.
import { afterAll, beforeAll, test } from 'vitest';
import assert from 'node:assert/strict';
import type { BrowserContext } from 'playwright-core';
import { seedLines, shot, startTestRelay, type TestRelay, useRelayAndBrowser, watchErrors } from './harness.ts';

// Skipped, with one line from the global setup, where chromium is missing.
const env = useRelayAndBrowser();
const { missing } = env;

/** Serves the page and stays up, so the page can be reloaded while the board's relay is down. */
let web: TestRelay;

beforeAll(async () => {
  web = await startTestRelay();
});

afterAll(async () => {
  await web?.cleanup();
});

/**
 * The app always syncs with the relay that served the page too, once it answers as a relay;
 * here its API is blocked (as a censor may block one path and not another), so the board's own
 * relay is the only one that can answer and its outage is one.
 */
async function blockPageRelaySync(context: BrowserContext): Promise<void> {
  const sync = (url: URL) => url.host === new URL(web.url).host && url.pathname.startsWith('/v1/');
  await context.route(sync, (route) => route.abort());
  await context.routeWebSocket(sync, (ws) => ws.close({ code: 1011 }));
}

test.skipIf(missing)('a post written while the relay is down is queued, kept, and delivered when it returns', { timeout: 90_000 }, async () => {
  const [first, queued, draft] = seedLines(3);
  const context = await env.browser.newContext({ viewport: { width: 1000, height: 800 } });
  await blockPageRelaySync(context);
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${web.url}/`);
  await page.getByRole('textbox', { name: 'Board title' }).fill('Relay watch');
  await page.getByRole('textbox', { name: /Relays/ }).fill(env.relay.url);
  await page.getByRole('button', { name: 'Create board' }).click();
  await page.getByRole('textbox', { name: 'Thread title' }).fill('Outage log');
  await page.getByRole('button', { name: 'New thread' }).click();
  await page.getByRole('heading', { name: 'Outage log' }).waitFor();
  await page.getByRole('textbox', { name: 'Message' }).fill(first!);
  await page.getByRole('button', { name: 'Post' }).click();
  await page.getByText('reached 1 of 1 relays').waitFor({ timeout: 15_000 });

  await env.relay.stop();
  await page.getByText(/Offline: no relay is reachable/).waitFor({ timeout: 20_000 });
  await page.getByRole('textbox', { name: 'Message' }).fill(queued!);
  await page.getByRole('button', { name: 'Post' }).click();
  const queuedPost = page.locator('baton-post', { hasText: queued!.slice(0, 40) });
  await queuedPost.waitFor();
  assert.equal(await queuedPost.locator('[data-delivery]').innerText(), 'queued');
  await shot(page, 'offline-queued');

  // A reload loses nothing: the queued post comes back from IndexedDB, the draft from local storage.
  await page.getByRole('textbox', { name: 'Message' }).fill(draft!);
  await page.reload();
  await page.getByRole('heading', { name: 'Outage log' }).waitFor();
  assert.equal(await page.getByRole('textbox', { name: 'Message' }).inputValue(), draft);
  assert.equal(await page.locator('baton-post', { hasText: queued!.slice(0, 40) }).locator('[data-delivery]').innerText(), 'queued');

  const outage = Date.now();
  await env.relay.restart();
  await page.locator('baton-post', { hasText: queued!.slice(0, 40) }).getByText('reached 1 of 1 relays').waitFor({ timeout: 30_000 });
  console.log(`# delivered ${Date.now() - outage} ms after the relay came back`);
  assert.equal(await page.getByText('reached 1 of 1 relays').count(), 2);

  // The relay really holds it: a fresh profile reads it from there.
  // The address bar shows a handle only this device knows: the link it stands for is kept with it.
  const shown = await page.evaluate(() => new Map(JSON.parse(localStorage.getItem('baton:handles') ?? '[]') as [string, string][]).get(location.hash.slice(2)));
  assert.ok(shown?.startsWith('baton:'), 'the handle stands for the thread’s link');
  const link = `${web.url}/#${shown}`;
  const other = await (await env.browser.newContext()).newPage();
  await other.goto(link);
  await other.getByText(queued!.slice(0, 40)).waitFor({ timeout: 15_000 });

  // The relay that served the page is blocked now: the service worker still opens the app,
  // which reads from this device and syncs through the board's own relay.
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 10_000 });
  await web.stop();
  await page.reload();
  await page.getByRole('heading', { name: 'Outage log' }).waitFor({ timeout: 15_000 });
  await page.getByText(queued!.slice(0, 40)).waitFor();
  await page.getByText('Relays (1 of 1 up to date)').waitFor({ timeout: 15_000 });
  await web.restart();
  assert.deepEqual(errors, []);
});

test.skipIf(missing)('a board carried as a bundle file opens while its relay is down', { timeout: 60_000 }, async () => {
  const [line] = seedLines(1);
  const writerContext = await env.browser.newContext();
  await blockPageRelaySync(writerContext);
  const writer = await writerContext.newPage();
  const errors = watchErrors(writer);
  await writer.goto(`${web.url}/`);
  await writer.getByRole('textbox', { name: 'Board title' }).fill('Hand to hand');
  await writer.getByRole('textbox', { name: /Relays/ }).fill(env.relay.url);
  await writer.getByRole('button', { name: 'Create board' }).click();
  await writer.getByRole('textbox', { name: 'Thread title' }).fill('What the stick carries');
  await writer.getByRole('button', { name: 'New thread' }).click();
  await writer.getByRole('textbox', { name: 'Message' }).fill(line!);
  await writer.getByRole('button', { name: 'Post' }).click();
  await writer.getByText('reached 1 of 1 relays').waitFor({ timeout: 15_000 });
  await writer.getByRole('link', { name: /Hand to hand/ }).click();
  await writer.getByText('1 post').waitFor();
  const saving = writer.waitForEvent('download');
  await writer.getByRole('button', { name: 'Export bundle' }).click();
  const download = await saving;
  assert.equal(download.suggestedFilename(), 'Hand-to-hand.baton');
  const bundlePath = await download.path();
  await writer.getByRole('button', { name: 'Share' }).click();
  // The share text's first line is the read link; without its relay hints, the reader has no relay at all.
  const bare = (await writer.getByRole('textbox', { name: 'Read link' }).inputValue()).split('\n')[0]!.replace(/^.*#/, '').replace(/\?.*$/, '');
  // The board's only relay goes down: the reader has nothing but the file.
  await env.relay.stop();

  const readerContext = await env.browser.newContext();
  await blockPageRelaySync(readerContext);
  const reader = await readerContext.newPage();
  await reader.goto(`${web.url}/`);
  await reader.getByLabel('Bundle file (.baton)').setInputFiles(bundlePath);
  await reader.getByText(/^Imported [1-9]\d* new posts and changes\./).waitFor();
  await reader.getByRole('textbox', { name: 'Link', exact: true }).fill(bare);
  await reader.getByRole('button', { name: 'Open' }).click();
  await reader.getByRole('heading', { name: 'Hand to hand' }).waitFor();
  await reader.getByRole('link', { name: /What the stick carries/ }).click();
  await reader.getByText(line!.slice(0, 40)).waitFor();
  // The board's own relay is in its list only, at a loopback address this reader did not
  // choose: not dialled (docs/THREAT_MODEL.md, relay lists); it is down anyway. The page's
  // relay does not answer as a relay here, so it is not dialled either.
  await reader.getByText(/Relays \(0 of 0 up to date\)/).waitFor();
  await shot(reader, 'bundle-no-relay');
  assert.deepEqual(errors, []);
});
