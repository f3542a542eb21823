// A thread link's first visit: the page's first script fetches the thread whole over HTTP while
// the app is arriving (client/web/first-screen/thread-fetch.ts), and the app stores it before
// the thread opens, so the thread's bytes cross the link once, not again over the WebSocket. A
// device that holds the thread already fetches nothing whole; a relay's damaged answer is
// dropped, and the thread still arrives by its sync.
import { afterAll, beforeAll, test } from 'vitest';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import type { Page } from 'playwright-core';
import { generateIdentity, initSodium } from '#shared';
import { BatonClient, MemoryStore, boards } from '#client-core';
import { routeHash } from '#client-web/lib/route.ts';
import { delivered, seedLines, useRelayAndBrowser, watchErrors } from './harness.ts';
import { waitUntil } from '../support/wait.ts';

const env = useRelayAndBrowser();
const { missing } = env;
const POSTS = 60;
let client: BatonClient;
let link = '';
let threadId = '';

beforeAll(async () => {
  if (missing) return;
  await initSodium();
  client = new BatonClient({ store: new MemoryStore(), identity: generateIdentity(), name: 'Archivist', connection: { WebSocket: WebSocket as unknown as typeof globalThis.WebSocket } });
  const lines = seedLines(3);
  const { board } = await boards.createBoard(client, { title: 'Keep the lights on', relays: [env.relay.url] });
  const { thread, caps } = await boards.createThread(client, board, { title: 'Which mirrors still answer?' });
  for (let i = 1; i <= POSTS; i++) {
    boards.post(client, thread, { body: `Post ${i} of ${POSTS}. ${lines[i % lines.length]}` });
    if (i % 3 === 0) thread.flush();
    await new Promise((r) => setTimeout(r, 2));
  }
  await delivered([board, thread], 60_000);
  threadId = thread.spaceId;
  link = `${env.relay.url}/${routeHash(caps.read)}`;
}, 120_000);

afterAll(async () => {
  await client?.close();
});

/** Counts the thread's whole-room HTTP reads and the bytes its WebSocket brings. */
function watchThread(page: Page) {
  const seen = { roomReads: 0, socketBytes: 0 };
  page.on('request', (r) => {
    if (new URL(r.url()).pathname.startsWith(`/v1/rooms/${threadId}.`)) seen.roomReads++;
  });
  page.on('websocket', (ws) => {
    if (!ws.url().includes(`/v1/sync/${threadId}.`)) return;
    ws.on('framereceived', (f) => (seen.socketBytes += typeof f.payload === 'string' ? f.payload.length : f.payload.length));
  });
  return seen;
}

async function wholeThread(page: Page): Promise<void> {
  await page.locator('baton-thread baton-post', { hasText: `Post ${POSTS} of ${POSTS}.` }).waitFor({ timeout: 60_000 });
  await waitUntil(async () => (await page.locator('baton-thread baton-post').count()) === Math.min(POSTS, 50), { timeoutMs: 30_000, what: 'the thread’s posts' });
}

test.skipIf(missing)('a first visit fetches the thread once, over HTTP, and its WebSocket brings only what is newer; a second visit fetches nothing whole', { timeout: 120_000 }, async () => {
  const context = await env.browser.newContext();
  try {
    const page = await context.newPage();
    const errors = watchErrors(page);
    const first = watchThread(page);
    await page.goto(link);
    await wholeThread(page);
    // Synced: its sync step 2 has come, with nothing the page lacked.
    await waitUntil(() => first.socketBytes > 0, { timeoutMs: 30_000, what: 'the thread’s sync' });
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(first.roomReads, 1, 'one whole read of the thread');
    assert.ok(first.socketBytes < 1024, `the WebSocket brought ${first.socketBytes} bytes: the thread again`);

    const again = await context.newPage();
    const second = watchThread(again);
    await again.goto(link);
    await wholeThread(again);
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(second.roomReads, 0, 'a device that holds the thread fetches it whole no more');
    await again.close();
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test.skipIf(missing)('a damaged answer to the whole-thread read is dropped: the thread arrives by its sync', { timeout: 120_000 }, async () => {
  const context = await env.browser.newContext();
  try {
    const page = await context.newPage();
    const errors = watchErrors(page);
    const seen = watchThread(page);
    const garbage = Buffer.alloc(4096, 0x5a);
    await page.route((url) => url.pathname.startsWith(`/v1/rooms/${threadId}.`), (route) =>
      route.fulfill({ status: 200, contentType: 'application/octet-stream', body: garbage }),
    );
    await page.goto(link);
    await wholeThread(page);
    assert.equal(seen.roomReads, 1);
    assert.ok(seen.socketBytes > 4096, 'the thread came over its WebSocket');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
