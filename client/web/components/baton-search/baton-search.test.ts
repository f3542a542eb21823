// <baton-search> in Chromium on a real session: a board's posts searched on this device
// (any script, case and accents ignored), results linking to their thread and post, by keyboard,
// with nothing sent to any relay.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { componentPages, noChromium } from '#test/e2e/components.ts';
import type { Space } from '#client-core';

const pages = componentPages(['./client/web/components/baton-search/baton-search.ts']);

const mountSearch = async () => {
  const { kit } = window;
  const { boards } = kit.core;
  const writer = kit.offlineClient('ليلى');
  const { board, caps } = await boards.createBoard(writer, { title: 'Relay watch', relays: [] });
  const one = await boards.createThread(writer, board, { title: 'Which relays work?', body: 'Relay B works from here, **rélay C** does not.' });
  const two = await boards.createThread(writer, board, { title: 'المرحّلات', body: 'المُرَحِّل ب يعمل جيداً عندي' });
  const later = boards.post(writer, one.thread, { body: 'RELAY b is back' });
  const session = await kit.session();
  await kit.core.importBundle(session.client.store, kit.core.exportBundle([board, one.thread, two.thread]));
  const space = await session.client.open(caps.read);
  kit.keep.board = space;
  await kit.mount('baton-search', { session, space, capText: caps.read });
  return { capText: caps.read, one: one.id, two: two.id, first: one.postId, later: later.id, arabic: two.postId };
};

test.skipIf(noChromium)('a query by keyboard finds posts in any script, newest first, linking to thread and post', async () => {
  const { page, errors } = await pages.open({ viewport: { width: 360, height: 700 } });
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  const made = await page.evaluate(mountSearch);
  const before = requests.length;
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => window.kit.focused()?.id), 'search-posts');
  await page.keyboard.type('relay b');
  await page.keyboard.press('Enter');
  const search = page.locator('baton-search');
  await search.getByRole('heading', { name: /2 posts with/ }).waitFor();
  const links = await search.locator('ol.hits a').evaluateAll((as) => as.map((a) => ({ href: a.getAttribute('href'), mark: a.querySelector('mark')!.textContent })));
  const join = made.capText.includes('?') ? '&' : '?';
  assert.deepEqual(links, [
    { href: `#${made.capText}${join}thread=${made.one}&post=${made.later}`, mark: 'RELAY' },
    { href: `#${made.capText}${join}thread=${made.one}&post=${made.first}`, mark: 'Relay' },
  ]);
  const quotes = await search.locator('h3').evaluate((h) => {
    const walker = document.createTreeWalker(h, NodeFilter.SHOW_TEXT);
    const at: Record<string, number> = {};
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      for (const q of ['“', '”']) {
        const i = n.textContent!.indexOf(q);
        if (i < 0) continue;
        const r = document.createRange();
        r.setStart(n, i);
        r.setEnd(n, i + 1);
        at[q] = r.getBoundingClientRect().left;
      }
    }
    return { text: h.textContent!.replace(/\s+/g, ' ').trim(), opening: at['“']!, closing: at['”']! };
  });
  assert.ok(quotes.opening < quotes.closing, `the query's quotes are drawn in order: ${JSON.stringify(quotes)}`);
  // Arabic without its vowel marks finds the word written with them.
  await search.getByRole('searchbox').fill('المرحل');
  await search.getByRole('button', { name: 'Search', exact: true }).click();
  await search.getByRole('heading', { name: /1 post with/ }).waitFor();
  assert.equal(await search.locator('ol.hits mark').textContent(), 'المُرَحِّل');
  assert.equal(await search.locator('.snippet').getAttribute('dir'), 'auto');
  // Nothing found says so; clearing empties the results.
  await search.getByRole('searchbox').fill('mirror');
  await search.getByRole('searchbox').press('Enter');
  await search.getByRole('heading', { name: /No post on this device has/ }).waitFor();
  await search.getByRole('button', { name: 'Clear search' }).click();
  assert.equal(await search.locator('h3').count(), 0);
  assert.deepEqual(requests.slice(before), [], 'nothing was sent anywhere');
  assert.equal(await page.evaluate(() => window.kit.overflows(document.documentElement)), false);
  assert.deepEqual(errors, []);
});

test.skipIf(noChromium)('hostile text in posts and titles stays text in results', async () => {
  const { page } = await pages.open();
  await page.evaluate(async () => {
    const { kit } = window;
    const { boards } = kit.core;
    const writer = kit.offlineClient('x');
    const { board, caps } = await boards.createBoard(writer, { title: 'T', relays: [] });
    const t = await boards.createThread(writer, board, { title: kit.hostile.markup, body: `needle ${kit.hostile.markup} ${kit.hostile.rtl}` });
    const session = await kit.session();
    await kit.core.importBundle(session.client.store, kit.core.exportBundle([board, t.thread]));
    const space = (await session.client.open(caps.read)) as Space;
    await kit.mount('baton-search', { session, space, capText: caps.read });
  });
  await page.locator('baton-search').getByRole('searchbox').fill('needle');
  await page.locator('baton-search').getByRole('searchbox').press('Enter');
  await page.locator('baton-search').getByRole('heading', { name: /1 post with/ }).waitFor();
  const text = await page.evaluate(() => window.kit.text(window.kit.el()));
  assert.ok(text.includes('<script>'), 'the markup shows as text');
  assert.ok(!/[\u202a-\u202e]/.test(text));
  assert.deepEqual(await page.evaluate(() => window.kit.markupFound()), []);
});
