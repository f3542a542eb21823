// A long thread read over several visits: it opens at its newest posts with one page rendered,
// "Show older posts" adds the page before without moving what is on screen, "Jump to latest"
// shows while the end is out of sight and brings back the compose box, and posts that arrived
// since the last visit are marked (and counted on the board page); at 360 and 1280 px, light
// and dark.
import { afterAll, beforeAll, test } from 'vitest';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { generateIdentity, initSodium } from '#shared';
import { BatonClient, MemoryStore, boards, type Space } from '#client-core';
import { routeHash } from '#client-web/lib/route.ts';
import { axeViolations, delivered, shot, useRelayAndBrowser, watchErrors } from './harness.ts';
import { waitUntil } from '../support/wait.ts';

const env = useRelayAndBrowser();
const { missing } = env;
const POSTS = 300;
let client: BatonClient;
let thread: Space;
let writeLink = '';
let boardLink = '';

beforeAll(async () => {
  if (missing) return;
  await initSodium();
  client = new BatonClient({ store: new MemoryStore(), identity: generateIdentity(), name: 'Archivist', connection: { WebSocket: WebSocket as unknown as typeof globalThis.WebSocket } });
  const { board, caps: boardCaps } = await boards.createBoard(client, { title: 'Keep the lights on', relays: [env.relay.url] });
  boardLink = `${env.relay.url}/${routeHash(boardCaps.read)}`;
  const made = await boards.createThread(client, board, { title: 'The long thread' });
  thread = made.thread;
  for (let i = 1; i <= POSTS; i++) {
    boards.post(client, thread, { body: `Post ${i} of ${POSTS}: relays answer from here.` });
    if (i % 3 === 0) thread.flush();
    await new Promise((r) => setTimeout(r, 2)); // each its own millisecond: the order is known
  }
  await delivered([board, thread], 60_000);
  writeLink = `${env.relay.url}/${routeHash(made.caps.write)}`;
}, 120_000);

afterAll(async () => {
  await client?.close();
});

const inView = async (page: import('playwright-core').Page, selector: string) =>
  page.evaluate(`(() => {
    const t = document.querySelector('baton-app').shadowRoot.querySelector('baton-thread').shadowRoot;
    const el = t.querySelector(${JSON.stringify(selector)});
    if (!el) return false;
    const r = el.getBoundingClientRect();
    return r.bottom > 0 && r.top < innerHeight;
  })()`) as Promise<boolean>;

let round = 0;
for (const width of [360, 1280]) {
  for (const scheme of ['light', 'dark'] as const) {
    test.skipIf(missing)(`at ${width} px, ${scheme}: newest first, older by page, jump to latest, new since the last visit`, { timeout: 120_000 }, async () => {
      // bypassCSP: axe-core is injected as a script tag, which the app's policy refuses.
      const context = await env.browser.newContext({ viewport: { width, height: 740 }, colorScheme: scheme, bypassCSP: true });
      try {
        const page = await context.newPage();
        const errors = watchErrors(page);
        await page.goto(writeLink);
        const posts = page.locator('baton-thread baton-post');
        await page.locator('baton-thread baton-post', { hasText: `Post ${POSTS} of ${POSTS}:` }).waitFor({ timeout: 60_000 });
        await waitUntil(() => inView(page, 'section.compose'), { timeoutMs: 10_000, what: 'the thread to open at its end' });
        assert.equal(await posts.count(), 50, 'one page rendered');
        await shot(page, `long-thread-end-${width}-${scheme}`, false);

        // Older posts, a page at a time, without moving the post that was at the top.
        const older = page.getByRole('button', { name: /Show older posts/ });
        await older.scrollIntoViewIfNeeded();
        const topBefore = await posts.first().textContent();
        const yBefore = (await posts.first().boundingBox())!.y;
        await older.click();
        await waitUntil(async () => (await posts.count()) === 100, { timeoutMs: 10_000, what: 'the page before' });
        const same = page.locator('baton-thread baton-post', { hasText: topBefore!.trim().slice(0, 40) }).first();
        assert.ok(Math.abs((await same.boundingBox())!.y - yBefore) < 4, 'the post stays where it was on screen');

        // Far from the end: "Jump to latest" shows and brings back the compose box.
        await page.evaluate('scrollTo(0, 0)');
        const jump = page.getByRole('button', { name: /Jump to latest/ });
        await jump.waitFor({ timeout: 10_000 });
        await shot(page, `long-thread-jump-${width}-${scheme}`, false);
        await jump.click();
        await waitUntil(() => inView(page, 'section.compose'), { timeoutMs: 10_000, what: 'the compose box after the jump' });
        await jump.waitFor({ state: 'detached', timeout: 10_000 });

        // Two posts arrive while away; the next visit opens at the first of them, marked.
        await page.goto('about:blank');
        round++;
        boards.post(client, thread, { body: `Arrived while away ${round}a` });
        await new Promise((r) => setTimeout(r, 5));
        boards.post(client, thread, { body: `Arrived while away ${round}b` });
        await delivered([thread], 30_000);
        // The board counts them on the thread's row.
        await page.goto(boardLink);
        await page.getByText('new: 2').waitFor({ timeout: 60_000 });
        await shot(page, `long-thread-board-unread-${width}-${scheme}`, false);
        await page.goto(writeLink);
        await page.getByText(`Arrived while away ${round}b`).waitFor({ timeout: 60_000 });
        const mark = page.getByRole('separator', { name: /New since your last visit/ });
        await waitUntil(async () => (await mark.count()) === 1, { timeoutMs: 10_000, what: 'the new-since mark' });
        await waitUntil(() => inView(page, 'li.new-since'), { timeoutMs: 10_000, what: 'the mark on screen' });
        const order = await page.evaluate(`(() => {
          const t = document.querySelector('baton-app').shadowRoot.querySelector('baton-thread').shadowRoot;
          return [...t.querySelectorAll('ol.posts > li')].slice(-3).map((li) => li.classList.contains('new-since') ? 'mark' : li.querySelector('baton-post')?.post?.body.startsWith('Arrived while away') ? 'new' : 'old');
        })()`);
        assert.deepEqual(order, ['mark', 'new', 'new']);
        // The mark keeps the list a list: a screen reader counts posts, and hears the mark.
        const found = await axeViolations(page, { rules: ['list', 'listitem', 'aria-allowed-role'] });
        assert.deepEqual(found.map((v) => `${v.id}: ${v.nodes.map((n) => n.summary).join(' | ')}`), []);
        await shot(page, `long-thread-new-since-${width}-${scheme}`, false);
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    });
  }
}
