// <baton-thread> in Chromium on a real session: posts in order with replies, a post written
// in the compose box reaching a loopback relay (its delivery mark follows), replies by
// keyboard, hashtag filters (capped for a hostile post), read access, and hostile posts.
import { afterAll, beforeAll, test } from 'vitest';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { componentPages, noChromium } from '#test/e2e/components.ts';
import { startTestRelay, type TestRelay } from '#test/e2e/harness.ts';
import type { Space } from '#client-core';

const pages = componentPages(['./client/web/components/baton-thread/baton-thread.ts']);
let relay: TestRelay;
beforeAll(async () => {
  if (!noChromium) relay = await startTestRelay();
});
afterAll(async () => {
  await relay?.cleanup();
});

/**
 * A thread on `relays` with these posts (the second replying to the first), mounted at
 * `level`: with write access this session wrote it all; with read access another device did,
 * its data carried here as a bundle.
 */
const mountThread = async ({ relays, bodies, level }: { relays: string[]; bodies: string[]; level: 'write' | 'read' }) => {
  const { kit } = window;
  const { boards } = kit.core;
  const session = await kit.session();
  await session.setName('Amira');
  const author = level === 'write' ? session.client : kit.offlineClient('Bo');
  const { board } = await boards.createBoard(author, { title: 'Relay watch', relays });
  const { thread } = await boards.createThread(author, board, { title: 'Which relays work' });
  const ids: string[] = [];
  for (const [i, body] of bodies.entries()) {
    ids.push(boards.post(author, thread, { body, ...(i === 1 ? { replyTo: ids[0] } : {}) }).id);
    // Posts of one millisecond are listed by id (random): a later one must have a later time.
    await new Promise((r) => setTimeout(r, 2));
  }
  let space = thread;
  if (level === 'read') {
    await kit.core.importBundle(session.client.store, kit.core.exportBundle([board, thread]));
    space = await session.client.open(kit.shared.formatCapability(thread.cap, 'read'));
  }
  kit.keep.thread = space;
  kit.listen('baton-notice');
  await kit.mount('baton-thread', { session, space, boardHash: '#board', boardTitle: 'Relay watch', nameScope: board.spaceId });
  return ids;
};

const posts = (page: Page) => page.locator('baton-thread baton-post');
const thread = (page: Page) => page.locator('baton-thread');

test.skipIf(noChromium)('a post written in the box appears, signed as ours, and its mark goes from queued to reached', async () => {
  const { page, errors } = await pages.open();
  await page.evaluate(mountThread, { relays: [relay.url], bodies: ['Relay B is fine.'], level: 'write' as const });
  assert.equal(await thread(page).getByRole('heading', { level: 1 }).textContent(), 'Which relays work');
  const back = thread(page).getByRole('link', { name: '← Relay watch' });
  assert.equal(await back.getAttribute('href'), '#board');
  await thread(page).getByRole('textbox', { name: 'Message' }).fill('Relay C is blocked here. #RelayC');
  await thread(page).getByRole('button', { name: 'Post' }).click();
  await page.waitForFunction(() => window.kit.deepAll('baton-post').length === 2);
  const last = posts(page).nth(1);
  assert.equal(await last.locator('article').getAttribute('aria-label'), 'Post by Amira');
  assert.match((await last.locator('.badge').textContent())!, /· you/);
  await last.locator('[data-delivery]').filter({ hasText: 'reached 1 of 1 relays' }).waitFor({ timeout: 15_000 });
  assert.equal(await thread(page).getByRole('textbox', { name: 'Message' }).inputValue(), '', 'the box is emptied once saved');
  assert.match(await page.evaluate(() => window.kit.text(window.kit.el())), /Posts \(2\)/);
  assert.deepEqual(errors, []);
});

test.skipIf(noChromium)('by keyboard: Reply on a post starts a reply in the box, which is posted as a reply', async () => {
  const { page } = await pages.open();
  const [first] = await page.evaluate(mountThread, { relays: [], bodies: ['Which relay is up?'], level: 'write' as const });
  await posts(page).first().getByRole('button', { name: 'Reply', exact: true }).focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => window.kit.focused()?.id === 'message');
  assert.match(await thread(page).locator('baton-compose').evaluate((c) => c.shadowRoot!.textContent!), /Replying to Amira: “Which relay is up\?”/);
  await page.keyboard.type('Relay B.');
  await page.keyboard.press('Control+Enter');
  await page.waitForFunction(() => window.kit.deepAll('baton-post').length === 2);
  const reply = await page.evaluate(() => window.kit.core.boards.posts(window.kit.keep.thread as Space)[1]!);
  assert.deepEqual([reply.body, reply.replyTo], ['Relay B.', first]);
  assert.equal(await thread(page).locator('li').nth(1).getAttribute('class'), 'reply');
  assert.match((await posts(page).nth(1).locator('[data-delivery]').textContent())!, /^queued: no relay yet$/);
  // The quote of the post replied to takes the reader to it.
  await posts(page).nth(1).getByRole('button', { name: /in reply to Amira/ }).click();
  assert.equal(await page.evaluate(() => window.kit.deepAll('baton-post').indexOf(window.kit.el().shadowRoot!.activeElement!)), 0);
});

test.skipIf(noChromium)('hashtag chips filter the posts, and a post with hundreds of tags gets at most 40 chips', async () => {
  const { page } = await pages.open();
  const flood = Array.from({ length: 300 }, (_, i) => `#t${i}`).join(' ');
  await page.evaluate(mountThread, { relays: [], bodies: ['Mirrors up #RelayB', 'Still blocked #relayb #censorship', flood], level: 'write' as const });
  const chips = thread(page).getByRole('group', { name: 'Filter by hashtag' }).getByRole('button');
  assert.equal(await chips.count(), 40);
  assert.deepEqual((await chips.allTextContents()).slice(0, 2), ['#relayb', '#censorship']);
  await chips.first().click();
  assert.equal(await chips.first().getAttribute('aria-pressed'), 'true');
  assert.equal(await posts(page).count(), 2);
  await thread(page).getByRole('button', { name: 'Show all' }).click();
  assert.equal(await posts(page).count(), 3);
  // A tag inside a post filters too.
  await posts(page).nth(1).locator('baton-post-text').getByRole('button', { name: '#censorship' }).click();
  assert.equal(await posts(page).count(), 1);
});

test.skipIf(noChromium)('with read access the posts show without a compose box or reply buttons', async () => {
  const { page } = await pages.open();
  await page.evaluate(mountThread, { relays: [], bodies: ['Written elsewhere', 'And answered'], level: 'read' as const });
  await page.waitForFunction(() => window.kit.deepAll('baton-post').length === 2);
  assert.match(await page.evaluate(() => window.kit.text(window.kit.el())), /You have read access: you can read this thread but not post in it\./);
  assert.equal(await thread(page).locator('baton-compose').count(), 0);
  assert.equal(await thread(page).getByRole('button', { name: 'Reply', exact: true }).count(), 0);
  assert.equal(await posts(page).first().locator('article').getAttribute('aria-label'), 'Post by Bo');
  assert.equal(await thread(page).locator('baton-summary').getByRole('heading', { name: 'Story so far' }).count(), 1, 'the summary as text');
  assert.equal(await thread(page).locator('baton-summary textarea').count(), 0, 'no field a reader cannot edit');
});

test.skipIf(noChromium)('hostile posts stay text and inside the page at 360 px', async () => {
  const { page } = await pages.open({ viewport: { width: 360, height: 640 } });
  const { markup, rtl, long } = await page.evaluate(() => window.kit.hostile);
  await page.evaluate(mountThread, { relays: [], bodies: [markup, `${rtl} ${long}`], level: 'write' as const });
  const text = await page.evaluate(() => window.kit.text(window.kit.el()));
  assert.ok(text.includes(markup) && text.includes(long));
  assert.ok(!/[\u202a-\u202e]/.test(text), 'no bidi override reaches the page');
  assert.deepEqual(await page.evaluate(() => window.kit.markupFound()), []);
  assert.equal(await page.evaluate(() => window.kit.overflows(document.documentElement)), false);
});
