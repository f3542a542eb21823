// A long-lived thread: a thousand posts written by the client core open in the browser in
// reasonable time; a writer then compacts the thread into a new epoch, and one more post
// arriving live still shows, once, without stalling the page.
import { beforeAll, test } from 'vitest';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { generateIdentity, initSodium } from '#shared';
import { BatonClient, MemoryStore, boards } from '#client-core';
import { routeHash } from '#client-web/lib/route.ts';
import { delivered, seedLines, useRelayAndBrowser, watchErrors } from './harness.ts';
import { waitUntil } from '../support/wait.ts';

// Skipped, with one line from the global setup, where chromium is missing.
const env = useRelayAndBrowser();
const { missing } = env;

const POSTS = 1000;

beforeAll(async () => {
  await initSodium();
});

test.skipIf(missing)(`a thread of ${POSTS} posts opens; after a writer compacts it, a new post shows live`, { timeout: 90_000 }, async () => {
  const lines = seedLines(3);
  const client = new BatonClient({ store: new MemoryStore(), identity: generateIdentity(), name: 'Archivist', connection: { WebSocket: WebSocket as unknown as typeof globalThis.WebSocket } });
  try {
    const { board, caps } = await boards.createBoard(client, { title: 'Years of relaying', relays: [env.relay.url] });
    const { thread, id } = await boards.createThread(client, board, { title: 'The long thread' });
    for (let i = 0; i < POSTS; i++) boards.post(client, thread, { body: `${i + 1}. ${lines[i % lines.length]}` });
    await delivered([board, thread], 30_000);

    const page = await (await env.browser.newContext()).newPage();
    const errors = watchErrors(page);
    const started = Date.now();
    await page.goto(`${env.relay.url}/${routeHash(caps.read, id)}`);
    // Posts written in one loop share milliseconds: the newest page is not in writing order, so the count tells.
    const counted = async () => Number(((await page.locator('baton-thread #posts-title').textContent({ timeout: 60_000 })) ?? '').replace(/\D/g, ''));
    await waitUntil(async () => (await counted()) === POSTS, { timeoutMs: 60_000, intervalMs: 100, what: `all ${POSTS} posts` });
    const opened = Date.now() - started;
    // Every post counted; the newest page of them rendered (baton-thread pages long threads).
    assert.equal(await page.locator('baton-post').count(), 50);

    // The writer may have compacted on its own already (500 blobs); either way, one more epoch.
    const epoch = await thread.compact();
    assert.ok(epoch >= 1);
    const t0 = Date.now();
    boards.post(client, thread, { body: 'One more, live.' });
    await page.getByText('One more, live.').waitFor({ timeout: 15_000 });
    const live = Date.now() - t0;
    console.log(`# ${POSTS} posts opened in ${opened} ms; after compaction into epoch ${epoch}, a new post showed ${live} ms after it was written`);
    assert.ok(live < 5000, `a live post took ${live} ms`);
    assert.equal(await counted(), POSTS + 1, 'the new epoch\'s snapshot duplicates nothing');

    // Reloaded, the page shows the newest posts this browser saved (the sealed preview, written
    // a moment after the thread last changed) while the whole thread loads.
    // (A string, not a function: the test's compiled classes would need helpers the page lacks.)
    await page.addInitScript(`
      const define = customElements.define.bind(customElements);
      customElements.define = (name, ctor, options) => {
        if (name !== 'baton-preview') return define(name, ctor, options);
        return define(name, class extends ctor {
          firstUpdated() {
            super.firstUpdated?.();
            const posts = this.shadowRoot.querySelectorAll('baton-post');
            window.previewShown = { at: performance.now(), posts: posts.length, last: posts[posts.length - 1]?.post?.body ?? '' };
          }
        }, options);
      };
    `);
    await new Promise((r) => setTimeout(r, 5000)); // the preview is written within 2 s of the last change
    await page.reload();
    await page.getByText('One more, live.').waitFor({ timeout: 30_000 });
    await page.waitForFunction((n) => /\d/.test(document.querySelector('baton-app')?.shadowRoot?.querySelector('baton-thread')?.shadowRoot?.querySelector('#posts-title')?.textContent ?? '') && Number(document.querySelector('baton-app')!.shadowRoot!.querySelector('baton-thread')!.shadowRoot!.querySelector('#posts-title')!.textContent!.replace(/\D/g, '')) === n, POSTS + 1);
    const whole = await page.evaluate(() => performance.now());
    const shownFirst = (await page.evaluate(() => (window as unknown as { previewShown?: { at: number; posts: number; last: string } }).previewShown)) ?? null;
    assert.ok(shownFirst, 'the preview showed before the thread');
    assert.equal(shownFirst.posts, 50);
    assert.match(shownFirst.last, /One more, live\./, 'the preview ends with the newest post');
    console.log(`# reloaded: the newest 50 from the preview ${shownFirst.at.toFixed(0)} ms after navigation, the whole thread at ${whole.toFixed(0)} ms`);
    // The update-checking worker (a file from the relay, as its CSP allows, with its own
    // libsodium) starts a moment after the first screen, so that on a slow link it does not
    // compete with it; what arrives before is checked on the page in slices.
    await waitUntil(() => page.workers().length >= 1, { timeoutMs: 15_000, what: 'the update-checking worker to start' });
    assert.deepEqual(errors, []);
  } finally {
    await client.close();
  }
});
