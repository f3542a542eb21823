// <baton-board> in Chromium on a real session: threads listed by last activity with their
// post counts, a thread started by keyboard, read and mirror access, hostile titles, and the
// board exported as a bundle of ciphertext.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { decodeBundle, initSodium } from '#shared';
import { componentPages, noChromium } from '#test/e2e/components.ts';
import type { Space } from '#client-core';

await initSodium();
const pages = componentPages(['./client/web/components/baton-board/baton-board.ts']);

/**
 * A board written elsewhere with these threads (the first given a later post), carried here
 * as a bundle and opened by this session at `level`, on no relay.
 */
const mountBoard = async ({ titles, level }: { titles: string[]; level: 'write' | 'read' | 'mirror' }) => {
  const { kit } = window;
  const { boards } = kit.core;
  const writer = kit.offlineClient('Amira');
  const { board, caps } = await boards.createBoard(writer, { title: 'Relay watch', relays: [] });
  const threads: Space[] = [];
  for (const title of titles) {
    threads.push((await boards.createThread(writer, board, { title, body: 'First post' })).thread);
    await new Promise((r) => setTimeout(r, 5));
  }
  if (threads[0]) boards.post(writer, threads[0], { body: 'A later post' });
  const session = await kit.session();
  await kit.core.importBundle(session.client.store, kit.core.exportBundle([board, ...threads]));
  const space = await session.client.open(caps[level]);
  kit.keep.board = space;
  kit.listen('baton-navigate', 'baton-notice');
  await kit.mount('baton-board', { session, space, capText: caps[level] });
  return { ids: threads.map((t) => t.spaceId), capText: caps[level] };
};

const rows = (page: Page) => page.locator('baton-board ol.threads a');

test.skipIf(noChromium)('threads are listed by last activity with their post counts and links', async () => {
  const { page, errors } = await pages.open();
  const { ids, capText } = await page.evaluate(mountBoard, { titles: ['Older but active', 'Newer and quiet'], level: 'write' as const });
  await page.waitForFunction(() => !window.kit.text(window.kit.el()).includes('opening…'));
  assert.equal(await page.locator('baton-board h1').textContent(), 'Relay watch');
  assert.match(await page.evaluate(() => window.kit.text(window.kit.el())), /You can read and write here\./);
  assert.deepEqual(await rows(page).locator('.t').allTextContents(), ['Older but active', 'Newer and quiet']);
  assert.deepEqual((await rows(page).locator('.meta').allTextContents()).map((t) => t.replace(/\s+/g, ' ').split(' · ')[0]), ['2 posts', '1 post']);
  assert.deepEqual(await rows(page).evaluateAll((a) => a.map((x) => x.getAttribute('href'))), [`#${capText}&thread=${ids[0]}`, `#${capText}&thread=${ids[1]}`]);
  assert.match(await page.evaluate(() => window.kit.text(window.kit.el())), /Threads \(2\)/);
  assert.deepEqual(errors, []);
});

test.skipIf(noChromium)('by keyboard: a new thread is started and the app is sent to it', async () => {
  const { page } = await pages.open();
  const { capText } = await page.evaluate(mountBoard, { titles: [], level: 'write' as const });
  assert.match(await page.evaluate(() => window.kit.text(window.kit.el())), /No threads yet\./);
  await page.locator('baton-board').getByRole('textbox', { name: 'Thread title' }).focus();
  await page.keyboard.type('  Mirrors for the spring campaign ');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => window.kit.focused()?.textContent?.trim()), 'New thread');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => window.kit.events.some((e) => e.type === 'baton-navigate'));
  const listed = await page.evaluate(() => window.kit.core.boards.listThreads(window.kit.keep.board as Space).map((t) => [t.id, t.title]));
  assert.deepEqual(listed.map((t) => t[1]), ['Mirrors for the spring campaign']);
  assert.deepEqual(await page.evaluate(() => window.kit.events.map((e) => [e.type, e.detail])), [['baton-navigate', { hash: `#${capText}&thread=${listed[0]![0]}` }]]);
  assert.equal(await page.locator('baton-board').getByRole('textbox', { name: 'Thread title' }).inputValue(), '');
});

test.skipIf(noChromium)('with read access there is no new-thread form; a mirror shows only its relays', async () => {
  const { page } = await pages.open();
  await page.evaluate(mountBoard, { titles: ['Only to read'], level: 'read' as const });
  const board = page.locator('baton-board');
  await rows(page).first().waitFor();
  assert.match(await page.evaluate(() => window.kit.text(window.kit.el())), /You can read this board but not write to it\./);
  assert.equal(await board.getByRole('textbox', { name: 'Thread title' }).count(), 0);
  assert.deepEqual(await rows(page).locator('.t').allTextContents(), ['Only to read']);

  await page.evaluate(mountBoard, { titles: ['Unreadable here'], level: 'mirror' as const });
  assert.equal(await board.getByRole('heading', { level: 1 }).textContent(), 'Mirrored board');
  assert.match(await page.evaluate(() => window.kit.text(window.kit.el())), /cannot read it/);
  assert.equal(await board.locator('baton-relays').count(), 1);
  assert.equal(await rows(page).count(), 0);
});

test.skipIf(noChromium)('hostile thread titles stay text, lose bidi overrides and wrap at 360 px', async () => {
  const { page } = await pages.open({ viewport: { width: 360, height: 640 } });
  const { markup, rtl, long } = await page.evaluate(() => window.kit.hostile);
  await page.evaluate(mountBoard, { titles: [markup, rtl, long], level: 'write' as const });
  await page.waitForFunction(() => !window.kit.text(window.kit.el()).includes('opening…'));
  const shown = await rows(page).locator('.t').allTextContents();
  assert.ok(shown.includes(markup) && shown.includes(rtl.replace(/[\u202a-\u202e]/g, '')), 'markup and right-to-left titles as text');
  assert.ok(shown.some((t) => /^W{100,}$/.test(t) && long.startsWith(t)), 'the long title, cut to the title limit');
  assert.deepEqual(await page.evaluate(() => window.kit.markupFound()), []);
  assert.equal(await page.evaluate(() => window.kit.overflows(document.documentElement)), false);
});

test.skipIf(noChromium)('Export bundle downloads the board and its threads as ciphertext', async () => {
  const { page } = await pages.open();
  await page.evaluate(mountBoard, { titles: ['Carried by hand'], level: 'write' as const });
  await rows(page).first().waitFor();
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('baton-board').getByRole('button', { name: 'Export bundle' }).click()]);
  assert.equal(download.suggestedFilename(), 'Relay-watch.baton');
  const text = await (await download.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks).toString('utf8'));
  assert.equal(decodeBundle(text).size, 2, 'the board and its thread');
  assert.ok(!text.includes('Carried by hand') && !text.includes('First post'), 'no plaintext');
  await page.waitForFunction(() => window.kit.events.some((e) => e.type === 'baton-notice'));
  assert.match(await page.evaluate(() => JSON.stringify(window.kit.events.find((e) => e.type === 'baton-notice')!.detail)), /Bundle saved: the board’s locked data, without its keys/);
});
