// A first visit to a long thread: the page shows the thread's published first screen (its title
// and newest posts, from its own small space) while the thread itself has not synced yet, at
// 360 and 1280 px, light and dark; the thread then replaces it, opened at its newest posts.
// The thread's room is held back on purpose (its WebSocket and HTTP traffic stalled) so that
// "before the thread" is a fact of the test, not of the machine's speed.
import { afterAll, beforeAll, test } from 'vitest';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import type { Route, WebSocketRoute } from 'playwright-core';
import { generateIdentity, initSodium } from '#shared';
import { BatonClient, MemoryStore, boards, firstScreenCapability, readFirstScreen } from '#client-core';
import { routeHash } from '#client-web/lib/route.ts';
import { delivered, seedLines, shot, useRelayAndBrowser, watchErrors } from './harness.ts';
import { waitUntil } from '../support/wait.ts';

const env = useRelayAndBrowser();
const { missing } = env;
const POSTS = 300;
const TITLE = 'Which mirrors still answer?';
let client: BatonClient;
let link = '';
let threadId = '';

beforeAll(async () => {
  if (missing) return;
  await initSodium();
  client = new BatonClient({ store: new MemoryStore(), identity: generateIdentity(), name: 'Archivist', connection: { WebSocket: WebSocket as unknown as typeof globalThis.WebSocket } });
  const lines = seedLines(3);
  const { board } = await boards.createBoard(client, { title: 'Keep the lights on', relays: [env.relay.url] });
  const { thread, caps, id } = await boards.createThread(client, board, { title: TITLE });
  for (let i = 1; i <= POSTS; i++) {
    boards.post(client, thread, { body: `Post ${i} of ${POSTS}. ${lines[i % lines.length]}` });
    if (i % 3 === 0) thread.flush();
    // Posts are ordered by time, then id: each its own millisecond, so the newest is the last.
    await new Promise((r) => setTimeout(r, 2));
  }
  await delivered([board, thread], 60_000);
  // The writer publishes the first screen a moment after its last post.
  const fs = firstScreenCapability(thread.cap)!;
  await waitUntil(() => {
    const space = client.get(fs.spaceId);
    return !!space?.plain && readFirstScreen(thread.cap, space.plain)?.posts.at(-1)?.body.startsWith(`Post ${POSTS} `) === true && space.outbox().length === 0;
  }, { timeoutMs: 30_000, intervalMs: 100, what: 'the first screen to be published' });
  threadId = id;
  link = `${env.relay.url}/${routeHash(caps.read)}`;
}, 120_000);

afterAll(async () => {
  await client?.close();
});

/** Stalls every request and WebSocket of the thread's own rooms until `release()`. */
async function holdThread(page: import('playwright-core').Page) {
  let released = false;
  const held: Route[] = [];
  const sockets: WebSocketRoute[] = [];
  const mine = (url: string) => url.includes(`/v1/rooms/${threadId}.`) || url.includes(`/v1/sync/${threadId}.`);
  await page.route((url) => mine(url.href), (route) => (released ? route.continue() : held.push(route)));
  await page.routeWebSocket((url) => mine(url.href), (ws) => {
    if (released) ws.connectToServer();
    else sockets.push(ws);
  });
  return {
    async release() {
      released = true;
      for (const r of held.splice(0)) await r.continue().catch(() => {});
      // A stalled socket is closed: the client reconnects, now to the relay.
      for (const ws of sockets.splice(0)) await ws.close({ code: 1001 }).catch(() => {});
    },
  };
}

/** Text of the page, shadow roots included. */
const pageText = `(() => {
  const out = [];
  const walk = (n) => { if (n.nodeType === 3) out.push(n.data); if (n.shadowRoot) walk(n.shadowRoot); for (const c of n.childNodes) walk(c); };
  walk(document.body);
  return out.join(' ');
})()`;

for (const width of [360, 1280]) {
  for (const scheme of ['light', 'dark'] as const) {
    test.skipIf(missing)(`at ${width} px, ${scheme}: the newest posts show before the thread has synced, then the thread replaces them`, { timeout: 120_000 }, async () => {
      const context = await env.browser.newContext({ viewport: { width, height: 800 }, colorScheme: scheme });
      try {
        const page = await context.newPage();
        const errors = watchErrors(page);
        const hold = await holdThread(page);
        await page.goto(link);
        await page.getByRole('heading', { name: TITLE }).first().waitFor({ timeout: 30_000 });
        await page.getByText(`Post ${POSTS} of ${POSTS}.`).first().waitFor({ timeout: 30_000 });
        const before = (await page.evaluate(pageText)) as string;
        assert.match(before, /its newest posts as its writers published them/);
        assert.ok(!before.includes(`Post ${POSTS - 20} of`), 'only the newest 20 posts');
        assert.equal(await page.locator('baton-thread').count(), 0, 'the thread itself has not opened: its room is held back');
        await shot(page, `first-screen-${width}-${scheme}`, false);

        await hold.release();
        await page.locator('baton-thread').waitFor({ timeout: 60_000 });
        await waitUntil(async () => /\(\s*300\s*\)/.test((await page.evaluate(pageText)) as string), { timeoutMs: 60_000, intervalMs: 200, what: 'the whole thread' });
        // Opened at its newest posts, one page of them rendered.
        const newest = page.locator('baton-thread baton-post', { hasText: `Post ${POSTS} of ${POSTS}.` });
        await newest.waitFor({ timeout: 30_000 });
        await waitUntil(() => newest.isVisible().then(async (v) => v && (await newest.boundingBox())!.y < 800), { timeoutMs: 10_000, what: 'the newest post on screen' });
        assert.equal(await page.locator('baton-thread baton-post').count(), 50);
        await shot(page, `first-screen-then-thread-${width}-${scheme}`, false);
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    });
  }
}

test.skipIf(missing)('the page’s first script alone shows the title and newest posts, before the app has arrived', { timeout: 120_000 }, async () => {
  for (const scheme of ['light', 'dark'] as const) {
    const context = await env.browser.newContext({ viewport: { width: 360, height: 740 }, colorScheme: scheme });
    try {
      const page = await context.newPage();
      const errors = watchErrors(page);
      // The app's chunk is held back: only index.html, the first script and its stylesheet run.
      const held: Route[] = [];
      await page.route(/\/assets\/baton-app-[^/]+\.js$/, (route) => held.push(route));
      await page.goto(link);
      await page.getByRole('heading', { name: TITLE }).waitFor({ timeout: 30_000 });
      await page.getByText(`Post ${POSTS} of ${POSTS}.`).waitFor({ timeout: 30_000 });
      assert.equal(await page.evaluate(`customElements.get('baton-app') === undefined`), true, 'the app has not loaded');
      assert.equal(await page.locator('.first-look-posts li').count(), 20);
      assert.equal(await page.getByText(`Post ${POSTS - 20} of`).count(), 0, 'only the newest 20 posts');
      await shot(page, `first-look-before-app-360-${scheme}`);
      // Once the app arrives it takes the page over.
      for (const r of held.splice(0)) await r.continue();
      await page.locator('baton-app baton-preview, baton-app baton-thread').first().waitFor({ timeout: 60_000 });
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  }
});
