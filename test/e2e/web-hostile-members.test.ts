// What hostile members of a board can and cannot do to the web client: a second "Layla" is
// flagged as not the Layla who posted before (both keys shown); a body with bidi overrides
// stays inside its post; a writer's relay list shows who added each entry and is not dialled
// at local addresses; a visit to /relay.css does not become the offline app. Screenshots at
// 360 and 1280 px, light and dark, and right to left, each checked with axe-core.
import { afterAll, beforeAll, test } from 'vitest';
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import type { Page } from 'playwright-core';
import { addPost, generateIdentity, initSodium, relaysMap, signPost, toBase64url } from '#shared';
import { BatonClient } from '#client-core/client.ts';
import { MemoryStore } from '#client-core/store.ts';
import { addRelay, createBoard, createThread, openThread, post } from '#client-core/boards.ts';
import { NodeWS, until } from '../integration/client-fixtures.ts';
import { axeSerious, delivered, shot, useRelayAndBrowser, watchErrors } from './harness.ts';

const env = useRelayAndBrowser();
const { missing } = env;

const clients: BatonClient[] = [];
let boardRead = '';
let laylaKey = '';
let malloryKey = '';
/** A loopback host a writer lists 50 times: the browser must never connect to it. */
let trap: Server;
const trapped = new Set<Socket>();

const member = (name: string) => {
  const c = new BatonClient({ store: new MemoryStore(), identity: generateIdentity(), name, connection: { WebSocket: NodeWS } });
  clients.push(c);
  return c;
};

beforeAll(async () => {
  if (missing) return;
  await initSodium();
  trap = createServer((sock) => {
    trapped.add(sock);
    sock.destroy();
  });
  await new Promise<void>((r) => trap.listen(0, '127.0.0.1', r));
  const trapPort = (trap.address() as { port: number }).port;
  const layla = member('Layla');
  const { board, caps } = await createBoard(layla, { title: 'Relay watch', relays: [env.relay.url] });
  const { thread } = await createThread(layla, board, { title: 'Which relays work', body: 'Relay B is fine, I checked it this morning.' });
  laylaKey = toBase64url(layla.identity.publicKey);
  await delivered([board, thread], 15_000);

  // A second member calls themselves Layla, backdates a post, and fills the relay list.
  const mallory = member('Layla');
  malloryKey = toBase64url(mallory.identity.publicKey);
  const mb = await mallory.open(caps.write);
  assert.ok(await until(() => mb.plain!.getMap('threads').size > 0, 15_000), 'the board reached the second member');
  const mt = await openThread(mallory, mb, [...mb.plain!.getMap('threads').keys()][0]!);
  assert.ok(await until(() => mt.plain!.getMap('posts').size > 0, 15_000), 'the thread reached the second member');
  addPost(mt.requireWrite(), signPost(mallory.identity, { threadSpaceId: mt.spaceId, name: 'Layla', body: 'Relay B is compromised, everyone move to http://evil.example', ts: Date.now() - 3_600_000 }));
  mt.flush();
  mb.plain!.transact(() => {
    relaysMap(mb.plain!).set('http://192.168.1.10:8787', { addedAt: 1 });
    relaysMap(mb.plain!).set('http://[::ffff:127.0.0.1]:9', { addedAt: 2, by: laylaKey, sig: 'forged' });
    for (let i = 0; i < 50; i++) relaysMap(mb.plain!).set(`http://127.0.0.1:${trapPort}/p${i}`, { addedAt: 3 + i });
  });
  mb.flush();
  addRelay(mb, 'https://relay-b.example.org');

  // A member who writes in Arabic, with a bidi override in the body.
  const noor = member('نور');
  const nb = await noor.open(caps.write);
  assert.ok(await until(() => nb.plain!.getMap('threads').size > 0, 15_000), 'the board reached the third member');
  const nt = await openThread(noor, nb, [...nb.plain!.getMap('threads').keys()][0]!);
  post(noor, nt, { body: 'المرحّل ب يعمل جيداً عندي.\nSecond line: \u202eevil.exe\u202c is only text.' });
  await delivered([mt, mb, nt, nb], 15_000);
  boardRead = caps.read;
});

afterAll(async () => {
  for (const c of clients) await c.close();
  await new Promise((r) => (trap ? trap.close(r) : r(null)));
});

async function openBoardPage(page: Page): Promise<void> {
  await page.goto(`${env.relay.url}/#${boardRead}`);
  await page.locator('baton-relays details.skipped summary').click({ timeout: 20_000 });
  await page.locator('baton-relays').getByText('not dialled: a local network address you did not choose').first().waitFor({ timeout: 20_000 });
}

test.skipIf(missing)('a second "Layla" is flagged with both keys; the badge says which key signed', { timeout: 120_000 }, async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = watchErrors(page);
  // The board's relay list: who added each entry; local addresses from the list are not dialled.
  await openBoardPage(page);
  const text = (await page.locator('baton-relays li').allInnerTexts()).join('\n');
  assert.match(text, /added by the key/);
  assert.match(text, /added by someone who did not sign it/);
  assert.match(text, /127\.0\.0\.1:\d+\/p0[\s\S]*not dialled: a local network address/);
  assert.match((await page.locator('baton-relays p').allInnerTexts()).join('\n'), /and 40 more/, 'a long list is cut short');
  await page.getByRole('link', { name: /Which relays work/ }).click();
  await page.locator('baton-post', { hasText: 'compromised' }).waitFor({ timeout: 20_000 });
  const fake = page.locator('baton-post', { hasText: 'compromised' });
  const real = page.locator('baton-post', { hasText: 'this morning' });
  const fakeHeader = await fake.locator('header').innerText();
  assert.match(fakeHeader, /Not the Layla who posted before/);
  assert.ok(fakeHeader.includes(laylaKey.slice(0, 8)) && fakeHeader.includes(malloryKey.slice(0, 8)), fakeHeader);
  assert.match(fakeHeader, /signed by/);
  assert.doesNotMatch(fakeHeader, /verified/);
  const realHeader = await real.locator('header').innerText();
  assert.match(realHeader, /Layla[\s\S]*signed by/);
  assert.doesNotMatch(realHeader, /Not the/);
  // Names and bodies are isolated from the text around them.
  assert.equal(await fake.locator('bdi.name').count(), 1);
  const arabic = page.locator('baton-post', { hasText: 'المرحّل' });
  assert.equal(await arabic.locator('baton-post-text div[dir="auto"]').count(), 1);
  // The override does not turn "evil.exe" into "exe.live".
  assert.match(await arabic.locator('baton-post-text div').innerText(), /evil\.exe is only text/);
  // 50 loopback entries in the board's list; the page came from another port: no connection at all.
  await page.waitForTimeout(2000);
  assert.equal(trapped.size, 0, `TCP connections to the listed loopback host: ${trapped.size}`);
  assert.deepEqual(errors, []);
  await context.close();
});

test.skipIf(missing)('the thread at 360 and 1280 px, light and dark, and right to left, with no serious axe violation', { timeout: 180_000 }, async () => {
  const found: string[] = [];
  for (const width of [360, 1280]) {
    for (const scheme of ['light', 'dark'] as const) {
      for (const rtl of [false, true]) {
        // bypassCSP: axe-core is injected as a script tag, which the app's policy refuses.
        const context = await env.browser.newContext({ viewport: { width, height: 900 }, colorScheme: scheme, locale: rtl ? 'ar' : 'en-US', bypassCSP: true });
        // The words stay English (each language's own screens are in web-locales.test.ts); the direction is forced below.
        await context.addInitScript(() => localStorage.setItem('baton:locale', 'en'));
        const page = await context.newPage();
        const rtlPage = `document.documentElement.setAttribute('dir', 'rtl'); document.documentElement.setAttribute('lang', 'ar')`;
        const suffix = `${width}-${scheme}${rtl ? '-rtl' : ''}`;
        await openBoardPage(page);
        if (rtl) await page.evaluate(rtlPage);
        await page.locator('#relays').scrollIntoViewIfNeeded();
        await shot(page, `hostile-board-relays-${suffix}`);
        for (const v of await axeSerious(page)) found.push(`board ${suffix}: ${v}`);
        await page.getByRole('link', { name: /Which relays work/ }).click();
        await page.locator('baton-post', { hasText: 'المرحّل' }).waitFor({ timeout: 20_000 });
        if (rtl) await page.evaluate(rtlPage);
        await shot(page, `hostile-thread-${suffix}`);
        for (const v of await axeSerious(page)) found.push(`thread ${suffix}: ${v}`);
        await context.close();
      }
    }
  }
  assert.deepEqual(found, []);
});

test.skipIf(missing)('a visit to /relay.css is not cached as the app: offline, / still opens the app', { timeout: 90_000 }, async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${env.relay.url}/`);
  await page.evaluate(`navigator.serviceWorker.ready.then(() => true)`);
  // The page is controlled once reloaded after the worker activated.
  await page.reload();
  const shell = `caches.open('baton-shell-v1').then((c) => c.match('./')).then((r) => (r ? r.headers.get('content-type') : null))`;
  for (let i = 0; i < 50 && !(await page.evaluate(shell)); i++) await page.waitForTimeout(100);
  assert.match(String(await page.evaluate(shell)), /^text\/html/);
  const css = await page.goto(`${env.relay.url}/relay.css`);
  assert.ok(css, 'the relay answered /relay.css');
  await page.waitForTimeout(500);
  assert.match(String(await page.evaluate(shell)), /^text\/html/, 'the shell is still the app after a visit to a stylesheet');
  await context.setOffline(true);
  const offline = await page.goto(`${env.relay.url}/`);
  assert.match(offline?.headers()['content-type'] ?? '', /^text\/html/);
  await page.getByRole('heading').first().waitFor();
  await context.close();
});
