// Large HTTP writes from Chromium over its keep-alive connections to a relay: the fallback a
// censored browser relies on when WebSockets are blocked must get an answer for every write,
// never a dropped connection. The relay once answered a refusal before reading the body and
// closed the socket under a browser still uploading (test/integration/relay-keepalive-post.test.ts
// covers Node's fetch); here the same writes, refusals between them, come from a page.
import { afterAll, beforeAll, describe, it } from 'vitest';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startRelay, type Relay } from '#server/index.ts';
import { writer } from '../attack/support/harness.ts';
import { launchBrowser } from './harness.ts';
import { hasSystemPackage } from '../support/system.ts';

const missing = !hasSystemPackage('chromium');

/** POSTs `body` to the room from the page; the status, or 0 when the browser saw a network error. */
async function postFromPage(page: Page, room: string, body: Uint8Array): Promise<number> {
  return page.evaluate(
    async ([path, base64]) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      try {
        const res = await fetch(path, { method: 'POST', body: bytes });
        await res.arrayBuffer();
        return res.status;
      } catch {
        return 0;
      }
    },
    [`/v1/rooms/${room}`, Buffer.from(body).toString('base64')] as const,
  );
}

describe.skipIf(missing)('large HTTP writes from Chromium over keep-alive', () => {
  let browser: Browser;
  const relays: Array<{ relay: Relay; dir: string }> = [];
  async function relayWith(limits: Record<string, number> = {}): Promise<Relay> {
    const dir = mkdtempSync(join(tmpdir(), 'baton-keepalive-'));
    const relay = await startRelay({ port: 0, host: '127.0.0.1', dataDir: dir, log: () => {}, limits });
    relays.push({ relay, dir });
    return relay;
  }
  async function pageOn(relay: Relay): Promise<Page> {
    const page = await browser.newPage();
    // An empty page of the relay's own origin (handed over by the browser harness, not the
    // relay): its fetches are same-origin, as the web client's are, and no app runs beside them.
    await page.route(`${relay.url}/blank`, (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>blank</title>' }));
    await page.goto(`${relay.url}/blank`);
    return page;
  }

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    for (const { relay, dir } of relays) {
      await relay.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('sequential 750 KB writes all land, with refusals between them', async () => {
    const relay = await relayWith();
    const page = await pageOn(relay);
    const w = await writer();
    const gap = await writer(w.room);
    gap.next(1000);
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push(await postFromPage(page, w.name, w.next(i % 2 === 0 ? 750_000 : 300_000)));
    statuses.push(await postFromPage(page, w.name, gap.next(750_000))); // builds on a blob the relay lacks
    statuses.push(await postFromPage(page, w.name, new Uint8Array(750_000).fill(7))); // not an update
    statuses.push(await postFromPage(page, w.name, w.next(750_000)));
    assert.deepEqual(statuses, [...Array(8).fill(200), 409, 400, 200]);
  }, 120_000);

  it('writes refused for the rate are answered 429, never with a dropped connection', async () => {
    const relay = await relayWith({ httpWritesPerSecond: 0.5, httpWriteBurst: 2 });
    const page = await pageOn(relay);
    const w = await writer();
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push(await postFromPage(page, w.name, w.next(750_000)));
    assert.deepEqual(statuses.slice(0, 2), [200, 200]);
    assert.ok(statuses.includes(429), `statuses ${statuses.join(',')}`);
    // Once one write is refused, a later one that the bucket lets through (2 s apart on a slow
    // machine) lacks what it builds on and is answered 409: an answer too, not a drop.
    assert.ok(statuses.every((s) => s === 200 || s === 429 || (s === 409 && statuses.indexOf(429) < statuses.indexOf(409))), `statuses ${statuses.join(',')} (0: the connection was dropped under the write)`);
  }, 120_000);
});
