// The web client as members under filtering use it, on real relays in Chromium: a writer
// removes a dead relay (signed) and posts stop counting it; relay states in plain words; a
// reader's own relay kept across a reload; Markdown in posts; search within a board; every
// control of a post reached by Tab; and axe-core on the start, board, thread, share and relays
// views at 360 and 1280 px, light and dark, and right to left, with screenshots to look at.
import { afterAll, beforeAll, test } from 'vitest';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { generateIdentity, initSodium } from '#shared';
import { BatonClient } from '#client-core/client.ts';
import { MemoryStore } from '#client-core/store.ts';
import { createBoard, createThread, post } from '#client-core/boards.ts';
import { NodeWS } from '../integration/client-fixtures.ts';
import { artifacts, axeSerious, delivered, ensureWebBuilt, launchBrowser, startTestRelay, watchErrors, type TestRelay } from './harness.ts';
import { hasSystemPackage } from '../support/system.ts';

const missing = !hasSystemPackage('chromium');
const SHOTS = join(artifacts, 'ux');
/** Nothing listens on the discard port: a relay that does not answer. */
const DEAD = 'http://127.0.0.1:9';
const ARABIC = 'المرحّل ب يعمل جيداً عندي هذا الصباح، والمرحّل ج لا يجيب منذ يوم الاثنين ولا نعرف السبب حتى الآن';

let a: TestRelay;
let b: TestRelay;
let browser: Browser;
let client: BatonClient;
let caps: { write: string; read: string };
let threadId = '';

beforeAll(async () => {
  if (missing) return;
  await initSodium();
  ensureWebBuilt();
  [a, b] = await Promise.all([startTestRelay(), startTestRelay()]);
  browser = await launchBrowser();
  mkdirSync(SHOTS, { recursive: true });
  client = new BatonClient({ store: new MemoryStore(), identity: generateIdentity(), name: 'ليلى', connection: { WebSocket: NodeWS } });
  const made = await createBoard(client, { title: 'Relay watch · مراقبة', relays: [a.url, b.url] });
  const { thread, postId } = await createThread(client, made.board, { title: 'Which relays work?', body: ARABIC });
  post(client, thread, { body: '**Relay B** works, *mostly*. Run `npx baton relay` and see [the list](https://example.org/relays).\n\n> quoted from the operators\n\n- one\n- two #RelayB', replyTo: postId! });
  await delivered([made.board, thread], 15_000);
  caps = made.caps;
  threadId = thread.spaceId;
});

afterAll(async () => {
  await client?.close();
  await browser?.close();
  await a?.cleanup();
  await b?.cleanup();
});

/** The focused element, through shadow roots: what it is, its name, and whether it is inside a post. */
function focused(page: Page) {
  return page.evaluate(() => {
    let el: Element | null = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    if (!el) return null;
    let inPost = false;
    for (let n: Node | null = el; n; n = (n.getRootNode() as ShadowRoot).host ?? null) if ((n as Element).tagName === 'BATON-POST') inPost = true;
    return { tag: el.tagName.toLowerCase(), name: (el.getAttribute('aria-label') ?? el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 60), inPost };
  });
}

const thread = (page: Page) => page.locator('baton-thread');

test.skipIf(missing)('a writer removes a dead relay and posts stop counting it; states in plain words; a reader keeps a relay of their own', { timeout: 180_000 }, async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${a.url}/#${caps.write}`);
  await page.getByRole('heading', { name: /Relay watch/ }).waitFor({ timeout: 20_000 });
  const relays = page.locator('baton-board #relays');
  await relays.getByRole('textbox', { name: 'Relay URL' }).fill(DEAD);
  await relays.getByRole('button', { name: 'Add relay' }).click();
  const deadRow = relays.locator('li', { hasText: DEAD });
  await deadRow.locator('[data-state=unreachable]').waitFor({ timeout: 30_000 });
  assert.match((await deadRow.locator('[data-state]').textContent())!, /^not answering since \S/);
  assert.equal(await relays.getByText(/blocked/i).count(), 0, 'nothing is called blocked');
  await page.screenshot({ path: join(SHOTS, 'relays-dead-1280.png'), fullPage: true });

  await page.getByRole('link', { name: 'Which relays work?' }).click();
  await thread(page).getByRole('textbox', { name: 'Message' }).fill('Checking in from the **west** side.');
  await thread(page).getByRole('button', { name: 'Post' }).click();
  await thread(page).getByText('reached 2 of 3 relays').waitFor({ timeout: 20_000 });
  assert.equal(await thread(page).locator('baton-post strong', { hasText: 'west' }).count(), 1, 'Markdown in our own post');

  // Removed from the board's list, by this writer: the post now counts two relays of two.
  await page.goBack();
  await page.getByRole('heading', { name: /Relay watch/ }).waitFor();
  await relays.getByRole('button', { name: `Remove ${DEAD}` }).click();
  await relays.getByText("Removed from the board's list (1)").waitFor();
  await relays.getByText("Removed from the board's list (1)").click();
  assert.match((await relays.locator('details.removed').innerText()), /removed by you/);
  assert.equal(await relays.locator('ul[aria-labelledby=relays-title] li', { hasText: DEAD }).count(), 0);
  await page.screenshot({ path: join(SHOTS, 'relays-removed-1280.png'), fullPage: true });
  await page.getByRole('link', { name: 'Which relays work?' }).click();
  await thread(page).getByText('reached 2 of 2 relays').waitFor({ timeout: 20_000 });
  // Share links no longer carry it.
  await thread(page).getByRole('button', { name: 'Share' }).click();
  const readLink = await page.getByRole('textbox', { name: 'Read link' }).inputValue();
  assert.ok(!readLink.includes('127.0.0.1%3A9') && !readLink.includes('127.0.0.1:9/'), readLink);
  await page.keyboard.press('Escape');

  // Another member's device, from the start: the removal reached it, and it never dials the relay.
  const other = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const reader = await other.newPage();
  const readerErrors = watchErrors(reader);
  await reader.goto(`${a.url}/#${caps.read}`);
  await reader.getByRole('heading', { name: /Relay watch/ }).waitFor({ timeout: 20_000 });
  const panel = reader.locator('baton-board #relays');
  await panel.getByText("Removed from the board's list (1)").waitFor({ timeout: 20_000 });
  assert.equal(await panel.locator('ul[aria-labelledby=relays-title] li', { hasText: DEAD }).count(), 0);
  // A relay of the reader's own: kept on this device across a reload, until removed.
  const extra = await startTestRelay();
  try {
    await panel.getByRole('textbox', { name: 'Relay URL' }).fill(extra.url);
    await panel.getByRole('button', { name: 'Add relay' }).click();
    await panel.locator('li', { hasText: extra.url }).locator('[data-state=synced]').waitFor({ timeout: 20_000 });
    await reader.reload();
    await reader.getByRole('heading', { name: /Relay watch/ }).waitFor({ timeout: 20_000 });
    const row = panel.locator('li', { hasText: extra.url });
    await row.getByText('kept on this device until you remove it').waitFor({ timeout: 20_000 });
    await row.locator('[data-state=synced]').waitFor({ timeout: 20_000 });
    assert.match(await row.locator('[data-state]').textContent() ?? '', /^up to date/);
    await reader.screenshot({ path: join(SHOTS, 'relays-reader-own-360.png'), fullPage: true });
    await row.getByRole('button', { name: `Remove ${extra.url}` }).click();
    await panel.locator('li', { hasText: extra.url }).waitFor({ state: 'detached', timeout: 10_000 });
    await reader.reload();
    await reader.getByRole('heading', { name: /Relay watch/ }).waitFor({ timeout: 20_000 });
    await panel.locator('li', { hasText: a.url }).waitFor();
    assert.equal(await panel.locator('li', { hasText: extra.url }).count(), 0, 'gone after removal, also after a reload');
  } finally {
    await extra.cleanup();
  }
  assert.deepEqual(errors, []);
  assert.deepEqual(readerErrors, []);
  await other.close();
  await context.close();
});

test.skipIf(missing)('search within a board finds posts in any script and opens the thread at the post', { timeout: 120_000 }, async () => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  const errors = watchErrors(page);
  const requests: string[] = [];
  await page.goto(`${a.url}/#${caps.read}`);
  await page.getByRole('heading', { name: /Relay watch/ }).waitFor({ timeout: 20_000 });
  await page.locator('baton-board ol.threads').getByText(/[2-9] posts/).waitFor({ timeout: 20_000 });
  page.on('request', (r) => requests.push(r.url()));
  const search = page.locator('baton-search');
  await search.getByRole('searchbox', { name: 'Search this board' }).fill('المرحل ج');
  await search.getByRole('searchbox').press('Enter');
  await search.getByRole('heading', { name: /1 post with/ }).waitFor({ timeout: 20_000 });
  assert.ok(requests.every((u) => !u.includes(encodeURIComponent('المرحل')) && !u.includes('search')), 'the query is sent nowhere');
  await page.screenshot({ path: join(SHOTS, 'search-360.png'), fullPage: true });
  await search.locator('ol.hits a').first().click();
  await thread(page).getByRole('heading', { name: 'Which relays work?' }).waitFor({ timeout: 20_000 });
  await page.waitForFunction(() => {
    let el: Element | null = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    return el?.tagName === 'ARTICLE';
  }, undefined, { timeout: 10_000 });
  const shown = await focused(page);
  assert.ok(shown?.inPost, 'the post found has focus');
  assert.deepEqual(errors, []);
  await context.close();
});

test.skipIf(missing)('axe on the start, board, thread, share and relays views at 360 and 1280 px, light and dark, and right to left; keyboard and layout', { timeout: 400_000 }, async () => {
  const problems: string[] = [];
  const runs = [
    ...[360, 1280].flatMap((width) => (['light', 'dark'] as const).map((scheme) => ({ width, scheme, rtl: false }))),
    { width: 360, scheme: 'light' as const, rtl: true },
  ];
  for (const { width, scheme, rtl } of runs) {
    const suffix = `${width}-${scheme}${rtl ? '-rtl' : ''}`;
    // bypassCSP: axe-core is injected as a script tag, which the app's policy refuses.
    const context = await browser.newContext({ viewport: { width, height: 800 }, colorScheme: scheme, locale: rtl ? 'ar' : 'en-US', bypassCSP: true });
    // English words with the page forced right to left (the Arabic interface has its own test).
    if (rtl) await context.addInitScript(() => localStorage.setItem('baton:locale', 'en'));
    const page = await context.newPage();
    const errors = watchErrors(page);
    const look = async (name: string, fullPage = true) => {
      if (rtl) await page.evaluate(() => (document.documentElement.setAttribute('dir', 'rtl'), document.documentElement.setAttribute('lang', 'ar')));
      if (await page.evaluate(() => document.documentElement.scrollWidth > innerWidth)) problems.push(`${name} ${suffix}: wider than the screen`);
      await page.screenshot({ path: join(SHOTS, `${name}-${suffix}.png`), fullPage });
      for (const v of await axeSerious(page)) problems.push(`${name} ${suffix}: ${v}`);
    };

    // Start, after a direct load: main has focus for screen readers, and no ring around the page.
    await page.goto(`${a.url}/`);
    await page.getByRole('textbox', { name: 'Display name' }).fill('N'.repeat(100));
    await page.getByRole('button', { name: 'Save name' }).click();
    await page.locator('baton-app header').getByText(/Posting as/).waitFor();
    await page.getByText('Identity key', { exact: true }).click();
    await page.getByRole('button', { name: 'Show my identity key' }).click();
    const keyBox = await page.evaluate(() => {
      const start = document.querySelector('baton-app')!.shadowRoot!.querySelector('baton-start')!;
      const identity = start.shadowRoot!.querySelector('baton-identity')!;
      const card = (identity.closest('.card') ?? identity.parentElement!) as HTMLElement;
      const box = identity.shadowRoot!.querySelector('textarea')!.getBoundingClientRect();
      const within = card.getBoundingClientRect();
      return { box: [box.left, box.right], card: [within.left, within.right] };
    });
    if (keyBox.box[0]! < keyBox.card[0]! - 0.5 || keyBox.box[1]! > keyBox.card[1]! + 0.5) problems.push(`identity key box ${suffix}: ${JSON.stringify(keyBox)} overflows its card`);
    await look('start');

    // Board, with search results on screen.
    await page.goto(`${a.url}/#${caps.write}`);
    await page.getByRole('heading', { name: /Relay watch/ }).waitFor({ timeout: 20_000 });
    const ring = await page.evaluate(() => {
      const main = document.querySelector('baton-app')!.shadowRoot!.querySelector('main')!;
      return { focused: document.querySelector('baton-app')!.shadowRoot!.activeElement === main, outline: getComputedStyle(main).outlineStyle };
    });
    if (ring.focused && ring.outline !== 'none') problems.push(`board ${suffix}: a focus ring around the whole page after a direct load`);
    // The thread's posts are on this device once the board counts them.
    await page.locator('baton-board ol.threads').getByText(/[2-9] posts/).waitFor({ timeout: 20_000 });
    await page.locator('baton-search').getByRole('searchbox').fill('relay');
    await page.locator('baton-search').getByRole('searchbox').press('Enter');
    await page.locator('baton-search').getByRole('heading', { name: /posts? with/ }).waitFor({ timeout: 20_000 });
    await look('board');
    if (rtl) {
      // An English sentence on a right-to-left page keeps its full stop at its end (its right).
      const order = await page.locator('baton-board').getByText('You can read and write here.').evaluate((p) => {
        const node = [...p.childNodes].find((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.includes('You can'))!;
        const text = node.textContent!;
        const rect = (i: number) => {
          const r = document.createRange();
          r.setStart(node, i);
          r.setEnd(node, i + 1);
          return r.getBoundingClientRect();
        };
        return { first: rect(text.indexOf('Y')).left, stop: rect(text.lastIndexOf('.')).left };
      });
      if (!(order.stop > order.first)) problems.push(`board ${suffix}: the full stop of an English sentence shows before it (${JSON.stringify(order)})`);
    }

    // Thread: every control of a post in the Tab order, each with a name.
    await page.goto(`${a.url}/#${caps.write}?thread=${threadId}`);
    await thread(page).getByRole('heading', { name: 'Which relays work?' }).waitFor({ timeout: 20_000 });
    await thread(page).locator('baton-post strong', { hasText: 'Relay B' }).waitFor({ timeout: 20_000 });
    await thread(page).getByRole('button', { name: '#relayb' }).first().focus();
    const reached: NonNullable<Awaited<ReturnType<typeof focused>>>[] = [];
    for (let i = 0; i < 20; i++) {
      await page.keyboard.press('Tab');
      const f = await focused(page);
      if (!f || f.name === 'Message' || f.tag === 'textarea') break;
      reached.push(f);
    }
    const inPosts = reached.filter((f) => f.inPost);
    for (const want of [/^↩ in reply to/, /^the list/, /^#RelayB$/, /^Reply$/]) if (!inPosts.some((f) => want.test(f.name))) problems.push(`thread ${suffix}: Tab never reached ${want} in a post (reached ${JSON.stringify(reached.map((f) => f.name))})`);
    if (inPosts.some((f) => f.name === '')) problems.push(`thread ${suffix}: a control in a post without a name`);
    // The reply's quote of the Arabic post keeps its start and is cut at its logical end.
    const quote = await thread(page).locator('baton-post button.quote').first().evaluate((el) => ({ text: el.textContent!.replace(/\s+/g, ' ').trim(), over: el.scrollWidth > el.clientWidth + 1 }));
    if (!quote.text.includes(ARABIC.slice(0, 20)) || !quote.text.endsWith('…') || quote.over) problems.push(`thread ${suffix}: reply quote ${JSON.stringify(quote)}`);
    await look('thread');

    // The relays view of the thread.
    await thread(page).locator('details.relays summary').click();
    await thread(page).locator('baton-relays [data-state=synced]').first().waitFor({ timeout: 20_000 });
    await look('relays');

    // Share.
    await thread(page).getByRole('button', { name: 'Share' }).click();
    await page.getByRole('textbox', { name: 'Read link' }).waitFor();
    await look('share', false);
    assert.deepEqual(errors, [], suffix);
    await context.close();
  }
  console.log(`screenshots in ${SHOTS}`);
  assert.deepEqual(problems, []);
});
