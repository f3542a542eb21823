// The web client in the languages where layout breaks first: Persian and Arabic (right to
// left) and Russian and Burmese (left to right, not Latin). Each browser says its language
// only through its locale; the app must pick it, set lang and dir, show its words and its
// digits on the start, board (with its share dialog) and thread screens, and fit 360 and 1280
// px, light and dark.
// Screenshots (outside the work tree) are for a person to look at; Burmese needs a Myanmar
// font (Debian's fonts-noto-core) to show as text rather than boxes.
import { afterAll, beforeAll, test } from 'vitest';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { generateIdentity, initSodium } from '#shared';
import { BatonClient } from '#client-core/client.ts';
import { DEFAULT_NAME } from '#client-core/identity.ts';
import { MemoryStore } from '#client-core/store.ts';
import { createBoard, createThread, editSummary, post } from '#client-core/boards.ts';
import { NodeWS } from '../integration/client-fixtures.ts';
import { delivered, root, useRelayAndBrowser, watchErrors } from './harness.ts';

const env = useRelayAndBrowser();
const { missing } = env;
const SHOTS = join(tmpdir(), 'baton-locale-shots');

/** Each language as the browser names it, the locale the app should pick, and its direction. */
const CASES = [
  { browser: 'fa-IR', locale: 'fa', dir: 'rtl' },
  { browser: 'ar-EG', locale: 'ar', dir: 'rtl' },
  { browser: 'ru-RU', locale: 'ru', dir: 'ltr' },
  { browser: 'my-MM', locale: 'my', dir: 'ltr' },
] as const;

const catalog = (locale: string): Record<string, string> => JSON.parse(readFileSync(join(root, 'client/l10n/web', `${locale}.json`), 'utf8'));

let client: BatonClient;
let unnamed: BatonClient;
let write = '';

beforeAll(async () => {
  if (missing) return;
  await initSodium();
  mkdirSync(SHOTS, { recursive: true });
  client = new BatonClient({ store: new MemoryStore(), identity: generateIdentity(), name: 'ليلى', connection: { WebSocket: NodeWS } });
  const made = await createBoard(client, { title: 'مراقبة المرحّلات · Relay watch', relays: [env.relay.url] });
  const { thread } = await createThread(client, made.board, { title: 'کدام رله‌ها کار می‌کنند؟ Which relays work?', body: 'رلهٔ ب از اینجا کار می‌کند. #relays' });
  post(client, thread, { body: 'Реле Б работает и отсюда. Relay B works from here too.' });
  // Someone who never chose a name: the client's default travels in the post.
  unnamed = new BatonClient({ store: new MemoryStore(), identity: generateIdentity(), name: DEFAULT_NAME, connection: { WebSocket: NodeWS } });
  const theirs = await unnamed.open(thread.cap);
  post(unnamed, theirs, { body: 'Пост без имени. A post without a name.' });
  await delivered([theirs], 15_000);
  editSummary(thread, 'رلهٔ ب کار می‌کند؛ relay C is blocked since Monday.');
  await delivered([made.board, thread], 15_000);
  write = made.caps.write;
});

afterAll(async () => {
  await client?.close();
  await unnamed?.close();
});

const overflows = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth > innerWidth);

/** The page's language once its catalog has loaded: lang, dir, and the words of the start screen. */
async function inLanguage(page: Page, locale: string, dir: string, title: string): Promise<void> {
  await page.waitForFunction(([l, d]) => document.documentElement.lang === l && document.documentElement.dir === d, [locale, dir]);
  await page.getByRole('heading', { level: 1, name: title }).waitFor({ timeout: 15_000 });
}

for (const c of CASES) {
  test.skipIf(missing)(`${c.locale}: chosen from a ${c.browser} browser; start, board and thread in its words, digits and direction at 360 and 1280 px, light and dark`, { timeout: 240_000 }, async () => {
    const words = catalog(c.locale);
    const english = catalog('en');
    const problems: string[] = [];
    for (const width of [360, 1280]) {
      for (const scheme of ['light', 'dark'] as const) {
        const suffix = `${c.locale}-${width}-${scheme}`;
        const context = await env.browser.newContext({ viewport: { width, height: 800 }, colorScheme: scheme, locale: c.browser });
        const page = await context.newPage();
        const errors = watchErrors(page);
        // The page's own Intl: what its digits are in this language.
        const digits = (n: number) => page.evaluate(([l, x]) => new Intl.NumberFormat(l as string).format(x as number), [c.locale, n]);
        const look = async (name: string) => {
          if (await overflows(page)) problems.push(`${name} ${suffix}: wider than the screen`);
          await page.screenshot({ path: join(SHOTS, `${name}-${suffix}.png`), fullPage: true });
        };

        await page.goto(`${env.relay.url}/`);
        await inLanguage(page, c.locale, c.dir, words['start.title']!);
        assert.notEqual(words['start.title'], english['start.title']);
        // The app's header (the loading screen's, in the page itself, has no link home).
        const header = page.locator('baton-app header:has(a.home)');
        await header.getByText('Baton').waitFor();
        const posting = await header.innerText();
        for (const piece of words['app.postingAs']!.split('{name}').map((p) => p.trim()).filter(Boolean)) assert.ok(posting.includes(piece), `${posting} says ${piece}`);
        // A device whose person chose no name: "no name" in the page's words, not the client's English default.
        assert.ok(posting.includes(words['post.anonymous']!) && !/anonymous/.test(posting), `${posting} (${suffix})`);
        // The header mirrors: the way home sits at the start of the reading direction.
        const home = (await header.getByRole('link', { name: 'Baton' }).boundingBox())!;
        assert.equal(home.x + home.width / 2 > width / 2, c.dir === 'rtl', `the home link's side (${suffix})`);
        await look('start');

        await page.evaluate((hash) => (location.hash = hash), `#${write}`);
        await page.getByRole('heading', { name: /Relay watch/ }).waitFor({ timeout: 20_000 });
        const threads = page.getByRole('heading', { level: 2, name: new RegExp(`^${words['board.threads']}`) });
        await threads.waitFor();
        assert.equal(await threads.locator('span').textContent(), `(${await digits(1)})`, `the count in the page's digits (${suffix})`);
        // The thread's post count, once it has opened: its words around the page's digits.
        await page.getByText(words['board.posts']!.replace('{count}', await digits(3))).waitFor({ timeout: 15_000 });
        await look('board');
        // The share dialog: what a link gives, in the page's words, and the links left to right.
        await page.getByRole('button', { name: words['share.share'], exact: true }).click();
        const dialog = page.getByRole('dialog', { name: words['share.titleBoard'] });
        await dialog.waitFor();
        await dialog.getByText(words['share.readWarningBoard']!).waitFor();
        assert.equal(await dialog.getByRole('textbox', { name: words['share.readLink'] }).getAttribute('dir'), 'ltr');
        if (await overflows(page)) problems.push(`share ${suffix}: wider than the screen`);
        await page.screenshot({ path: join(SHOTS, `share-${suffix}.png`) });
        await dialog.getByRole('button', { name: words['share.close'], exact: true }).click();

        await page.getByRole('link', { name: /Which relays work/ }).click();
        await page.getByText(/Relay B works from here too/).waitFor({ timeout: 20_000 });
        const nameless = page.locator('baton-post', { hasText: 'A post without a name.' });
        await nameless.waitFor({ timeout: 20_000 });
        assert.equal(await nameless.locator('bdi.name').innerText(), words['post.anonymous'], `the unnamed author (${suffix})`);
        const posts = page.getByRole('heading', { level: 2, name: new RegExp(`^${words['thread.posts']}`) });
        await posts.waitFor();
        assert.equal(await posts.locator('span').textContent(), `(${await digits(3)})`);
        await page.getByRole('button', { name: words['compose.post'], exact: true }).waitFor();
        assert.equal(await page.getByRole('button', { name: english['compose.post'], exact: true }).count(), 0, 'no English left on the compose box');
        await look('thread');
        assert.deepEqual(errors, [], suffix);
        // The address bar shows a handle (`#@…`); the link it stands for names the thread.
        const shown = await page.evaluate(() => new Map(JSON.parse(localStorage.getItem('baton:handles') ?? '[]') as [string, string][]).get(location.hash.slice(2)) ?? location.hash);
        assert.equal(shown.includes('thread='), true, shown);
        await context.close();
      }
    }
    assert.deepEqual(problems, []);
  });
}

test.skipIf(missing)('a language chosen in the switcher is kept on this device over the browser’s', async () => {
  const context = await env.browser.newContext({ locale: 'fa-IR' });
  const page = await context.newPage();
  await page.goto(`${env.relay.url}/`);
  await inLanguage(page, 'fa', 'rtl', catalog('fa')['start.title']!);
  await page.getByRole('combobox', { name: catalog('fa')['language.label'] }).selectOption('uk');
  await inLanguage(page, 'uk', 'ltr', catalog('uk')['start.title']!);
  await page.reload();
  await inLanguage(page, 'uk', 'ltr', catalog('uk')['start.title']!);
  await page.getByRole('combobox', { name: catalog('uk')['language.label'] }).selectOption('en');
  await inLanguage(page, 'en', 'ltr', catalog('en')['start.title']!);
  await context.close();
});
