// The screens a person under filtering reads first, as they see them: the start page with a
// 100-character name, a link whose key was mistyped, the share dialog (read link first, the
// write link after a deliberate step) and a reader's thread. At 360 and 1280 px, light and dark,
// left to right and right to left: nothing wider than the screen, no serious axe violation,
// and screenshots (outside the work tree) for a person to look at.
import { afterAll, beforeAll, test } from 'vitest';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { generateIdentity, initSodium } from '#shared';
import { BatonClient } from '#client-core/client.ts';
import { MemoryStore } from '#client-core/store.ts';
import { createBoard, createThread, editSummary, post } from '#client-core/boards.ts';
import { NodeWS } from '../integration/client-fixtures.ts';
import { axeSerious, delivered, startTestRelay, type TestRelay, useRelayAndBrowser, watchErrors } from './harness.ts';

const env = useRelayAndBrowser();
const { missing } = env;
const SHOTS = join(tmpdir(), 'baton-words-shots');
const LONG_NAME = 'N'.repeat(100);

let second: TestRelay;
let client: BatonClient;
let caps: { write: string; read: string };
let threadId = '';

beforeAll(async () => {
  if (missing) return;
  await initSodium();
  second = await startTestRelay();
  mkdirSync(SHOTS, { recursive: true });
  client = new BatonClient({ store: new MemoryStore(), identity: generateIdentity(), name: 'ليلى', connection: { WebSocket: NodeWS } });
  const made = await createBoard(client, { title: 'مراقبة المرحّلات · Relay watch', relays: [env.relay.url, second.url] });
  const { thread } = await createThread(client, made.board, { title: 'أي المرحّلات تعمل؟ Which relays work?', body: 'المرحّل ب يعمل جيداً عندي هذا الصباح.' });
  post(client, thread, { body: `Relay B works from here too. ${'W'.repeat(120)}` });
  editSummary(thread, 'المرحّل ب يعمل. Relay B works; relay C is blocked since Monday.');
  await delivered([made.board, thread], 15_000);
  caps = made.caps;
  threadId = thread.spaceId;
});

afterAll(async () => {
  await client?.close();
  await second?.cleanup();
});

const wide = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth > innerWidth);

/** The read link with one letter of its key changed. */
function mistyped(read: string): string {
  const key = read.split(':')[3]!;
  return read.replace(key, key.slice(0, 12) + (key[12] === 'A' ? 'B' : 'A') + key.slice(13));
}

test.skipIf(missing)('start, mistyped key, share dialog and a reader’s thread at 360 and 1280 px, light and dark, both directions', { timeout: 300_000 }, async () => {
  const problems: string[] = [];
  const shots: string[] = [];
  for (const width of [360, 1280]) {
    for (const scheme of ['light', 'dark'] as const) {
      for (const rtl of [false, true]) {
        const suffix = `${width}-${scheme}${rtl ? '-rtl' : ''}`;
        // bypassCSP: axe-core is injected as a script tag, which the app's policy refuses.
        const context = await env.browser.newContext({ viewport: { width, height: 800 }, colorScheme: scheme, locale: rtl ? 'ar' : 'en-US', bypassCSP: true });
        // The words stay English (each language's own screens are in web-locales.test.ts); the direction is forced below.
        await context.addInitScript(() => localStorage.setItem('baton:locale', 'en'));
        const page = await context.newPage();
        const errors = watchErrors(page);
        const look = async (name: string, check: 'axe' | 'no-axe' = 'no-axe', fullPage = true) => {
          if (rtl) await page.evaluate(() => (document.documentElement.setAttribute('dir', 'rtl'), document.documentElement.setAttribute('lang', 'ar')));
          if (await wide(page)) problems.push(`${name} ${suffix}: wider than the screen`);
          const path = join(SHOTS, `${name}-${suffix}.png`);
          await page.screenshot({ path, fullPage });
          shots.push(path);
          if (check === 'axe') for (const v of await axeSerious(page)) problems.push(`${name} ${suffix}: ${v}`);
        };

        await page.goto(`${env.relay.url}/`);
        await page.getByRole('textbox', { name: 'Display name' }).fill(LONG_NAME);
        await page.getByRole('button', { name: 'Save name' }).click();
        await page.locator('baton-app header:has(a.home)').getByText(/Posting as/).waitFor();
        await look('start', 'axe');

        await page.evaluate((hash) => (location.hash = hash), `#${mistyped(caps.read)}`);
        await page.getByRole('heading', { name: 'This link’s key does not open this board' }).waitFor({ timeout: 15_000 });
        await page.waitForTimeout(300);
        assert.equal(await page.locator('baton-app .notice').count(), 0, `no forged-data toast (${suffix})`);
        await look('wrong-key', 'axe');

        // The same board with the right key: the app opens it on a fresh page by itself.
        await page.goto(`${env.relay.url}/#${caps.read}?thread=${threadId}`);
        await page.getByRole('heading', { name: /Which relays work/ }).waitFor({ timeout: 20_000 });
        await page.getByText(/Relay B works;/).waitFor({ timeout: 15_000 });
        assert.match((await page.locator('baton-app header:has(a.home)').innerText()), /Read only/, `a reader's header (${suffix})`);
        assert.equal(await page.locator('baton-summary textarea').count(), 0, `a reader's summary is no field (${suffix})`);
        await look('reader-thread', 'axe');

        await page.goto(`${env.relay.url}/#${caps.read}`);
        await page.getByRole('heading', { name: /Relay watch/ }).waitFor({ timeout: 20_000 });
        await page.getByRole('button', { name: 'Share' }).click();
        await page.getByRole('textbox', { name: 'Read link' }).waitFor();
        await look('share-reader', 'axe', false);

        await page.goto(`${env.relay.url}/#${caps.write}`);
        await page.getByRole('heading', { name: /Relay watch/ }).waitFor({ timeout: 20_000 });
        await page.getByRole('button', { name: 'Share' }).click();
        await look('share-writer', 'axe', false);
        await page.getByRole('button', { name: 'Show the write link' }).click();
        const text = await page.getByRole('textbox', { name: 'Write link' }).inputValue();
        assert.equal(text.split('\n').filter((l) => l.includes('#baton:board:')).length, 2, 'the write link on both relays of the board');
        await look('share-write-shown', 'axe', false);
        assert.deepEqual(errors.filter((e) => !/refused|forged|decrypt/.test(e)), [], suffix);
        await context.close();
      }
    }
  }
  console.log(`screenshots: ${shots.length} in ${SHOTS}`);
  assert.deepEqual(problems, []);
});
