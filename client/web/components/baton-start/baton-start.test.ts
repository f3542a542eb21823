// <baton-start> in Chromium on a real session: a board created on a loopback relay, links
// opened or refused, bundles imported or refused, and the spaces this device remembers.
import { afterAll, beforeAll, test } from 'vitest';
import assert from 'node:assert/strict';
import { accessLevel, initSodium, parseCapabilityOrLink } from '#shared';
import { componentPages, noChromium } from '#test/e2e/components.ts';
import { startTestRelay, type TestRelay } from '#test/e2e/harness.ts';
import type { Session } from '../../lib/session.ts';

await initSodium();
const pages = componentPages(['./client/web/components/baton-start/baton-start.ts']);
let relay: TestRelay;
beforeAll(async () => {
  if (!noChromium) relay = await startTestRelay();
});
afterAll(async () => {
  await relay?.cleanup();
});

const mountStart = async () => {
  const session = await window.kit.session();
  window.kit.keep.session = session;
  window.kit.listen('baton-navigate');
  await window.kit.mount('baton-start', { session });
};
const navigated = (page: import('playwright-core').Page) => page.evaluate(() => window.kit.events.map((e) => (e.detail as { hash: string }).hash));

test.skipIf(noChromium)('by keyboard: a board is created on the relay given and the app is sent to it', async () => {
  const { page, errors } = await pages.open();
  await page.evaluate(mountStart);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => window.kit.focused()?.id), 'board-title');
  await page.keyboard.type('Keeping the relays up');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => window.kit.focused()?.id), 'relays');
  await page.keyboard.press('Control+A');
  await page.keyboard.type(relay.url);
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => window.kit.events.length > 0);
  const [hash] = await navigated(page);
  const cap = parseCapabilityOrLink(hash!.slice(1));
  assert.equal(cap.kind, 'board');
  assert.equal(accessLevel(cap), 'write');
  const open = await page.evaluate(async (id) => {
    const board = (window.kit.keep.session as Session).client.get(id as never)!;
    const until = Date.now() + 20_000;
    while (board.outbox().length > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    return { title: window.kit.core.boards.boardTitle(board), relays: board.relays(), queued: board.outbox().length };
  }, cap.spaceId);
  assert.deepEqual(open, { title: 'Keeping the relays up', relays: [relay.url], queued: 0 });
  assert.deepEqual(errors, []);
});

test.skipIf(noChromium)('a link opens as pasted from a chat; anything else is refused in plain words', async () => {
  const { page } = await pages.open();
  await page.evaluate(mountStart);
  const start = page.locator('baton-start');
  const field = start.getByRole('textbox', { name: 'Link', exact: true });
  const { caps } = await page.evaluate(() => window.kit.core.boards.createBoard(window.kit.offlineClient(), { title: 'Elsewhere', relays: [] }));
  await field.fill('<b>not</b> a link');
  await start.getByRole('button', { name: 'Open' }).click();
  assert.match((await start.getByRole('alert').textContent())!, /^This is not a Baton link\. A Baton link looks like/);
  assert.deepEqual(await page.evaluate(() => window.kit.markupFound()), []);
  // The key cut short (the link's owner and relays follow it, after `?`).
  const [bare, query] = caps.read.split('?');
  await field.fill(`https://relay.example.org/#${bare!.slice(0, -4)}?${query}`);
  await start.getByRole('button', { name: 'Open' }).click();
  const damaged = (await start.getByRole('alert').textContent())!;
  assert.match(damaged, /^This link is damaged: its key is cut short or changed\./);
  assert.doesNotMatch(damaged, /capabilit|base64|space id/i);
  // The owner's part cut short: said as that.
  await field.fill(`https://relay.example.org/#${caps.read.slice(0, -4)}`);
  await start.getByRole('button', { name: 'Open' }).click();
  const badOwner = (await start.getByRole('alert').textContent())!;
  assert.match(badOwner, /^This link is damaged: the part that names the board's owner is cut short or changed\./);
  assert.doesNotMatch(badOwner, /capabilit|base64|space id/i);
  assert.equal(await page.evaluate(() => window.kit.events.length), 0, 'nothing opened');
  // As a chat app wraps it: a space inside, angle brackets and a full stop around.
  const link = `https://relay.example.org/#${caps.read}`;
  await field.fill(`  <${link.slice(0, 60)} ${link.slice(60, 90)}\n${link.slice(90)}>.  `);
  await field.press('Enter');
  const [hash] = await navigated(page);
  const cap = parseCapabilityOrLink(hash!.slice(1));
  assert.deepEqual([cap.spaceId, accessLevel(cap), cap.relays], [parseCapabilityOrLink(caps.read).spaceId, 'read', ['https://relay.example.org']]);
  assert.equal(await start.getByRole('alert').count(), 0, 'the error is gone');
});

test.skipIf(noChromium)('a bundle is imported into the store; a damaged one is refused with a reason', async () => {
  const { page } = await pages.open();
  await page.evaluate(mountStart);
  const bundle = await page.evaluate(async () => {
    const { kit } = window;
    const client = kit.offlineClient();
    const { board } = await kit.core.boards.createBoard(client, { title: 'Carried by hand', relays: [] });
    const { thread } = await kit.core.boards.createThread(client, board, { title: 'A thread', body: 'hello' });
    return kit.core.exportBundle([board, thread]);
  });
  const input = page.locator('baton-start input[type=file]');
  await input.setInputFiles({ name: 'board.baton', mimeType: 'application/json', buffer: Buffer.from(bundle) });
  const status = page.locator('baton-start').getByRole('status');
  await status.waitFor();
  assert.match((await status.textContent())!, /^Imported [1-9]\d* new posts and changes\. Open the board with its link to read it\.$/);
  await input.setInputFiles({ name: 'board.baton', mimeType: 'application/json', buffer: Buffer.from(bundle) });
  await page.waitForFunction(() => window.kit.deepAll('[role=status]').some((s) => /^Nothing new/.test(s.textContent ?? '')));
  assert.match((await status.textContent())!, /^Nothing new: this device already had everything in this file\./);
  assert.doesNotMatch((await status.textContent())!, /blob|room/);
  await input.setInputFiles({ name: 'bad.baton', mimeType: 'application/json', buffer: Buffer.from('{"baton-bundle": <img src=x>') });
  const alert = page.locator('baton-start').getByRole('alert');
  await alert.waitFor();
  assert.match((await alert.textContent())!, /^Bundle not imported: /);
  assert.deepEqual(await page.evaluate(() => window.kit.markupFound()), []);
});

test.skipIf(noChromium)('spaces opened on this device are listed, hostile titles as text, and can be forgotten', async () => {
  const { page } = await pages.open({ viewport: { width: 360, height: 640 } });
  const { markup, long: longWord, rtl } = await page.evaluate(() => window.kit.hostile);
  const long = `${rtl} ${longWord}`;
  await page.evaluate(async ([a, b]) => {
    const local = window.kit.local();
    const cap = (n: string) => `baton:board:${n.repeat(43)}`;
    local.remember({ spaceId: 'A'.repeat(43), kind: 'board', cap: cap('A'), level: 'write', title: a!, openedAt: 1 });
    local.remember({ spaceId: 'B'.repeat(43), kind: 'thread', cap: cap('B'), level: 'read', title: b!, openedAt: 2 });
  }, [markup, long]);
  await page.evaluate(mountStart);
  const start = page.locator('baton-start');
  const links = start.locator('section[aria-labelledby=known-title] a');
  assert.equal(await links.count(), 2);
  assert.deepEqual(await page.evaluate(() => window.kit.markupFound()), []);
  assert.ok((await links.allTextContents()).includes(markup));
  assert.equal(await page.evaluate(() => window.kit.overflows(document.documentElement)), false, 'a long title wraps at 360 px');
  await start.getByRole('button', { name: `Forget ${markup}` }).click();
  assert.deepEqual(await links.allTextContents(), [long.replace(/[\u202a-\u202e]/g, '')], 'without its bidi override');
  assert.deepEqual(await page.evaluate(() => window.kit.local().knownSpaces().map((k) => k.spaceId)), ['B'.repeat(43)]);
});

test.skipIf(noChromium)('where the browser refuses IndexedDB it says nothing is kept, and still creates boards', async () => {
  const { page } = await pages.open();
  await page.evaluate(() => Object.defineProperty(window, 'indexedDB', { value: undefined, configurable: true }));
  await page.evaluate(mountStart);
  assert.match(await page.evaluate(() => window.kit.text(window.kit.el())), /This browser refuses local storage here: nothing is kept after you close this page\./);
  const start = page.locator('baton-start');
  await start.getByRole('textbox', { name: 'Board title' }).fill('In memory only');
  await start.getByRole('textbox', { name: /^Relays/ }).fill(relay.url);
  await start.getByRole('button', { name: 'Create board' }).click();
  await page.waitForFunction(() => window.kit.events.length > 0);
  assert.equal(accessLevel(parseCapabilityOrLink((await navigated(page))[0]!.slice(1))), 'write');
});
