// <baton-app> in Chromium: it starts a session and follows the #fragment (start, a board
// from a loopback relay, a link that does not open), moves the reader to the top of each new
// screen, shows the notices its screens send (never over the compose box, never on the next
// screen), says when a link's key does not open its board, and says when the device is offline.
import { afterAll, beforeAll, test } from 'vitest';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { componentPages, noChromium } from '#test/e2e/components.ts';
import { startTestRelay, type TestRelay } from '#test/e2e/harness.ts';

const pages = componentPages(['./client/web/components/baton-app/baton-app.ts']);
let relay: TestRelay;
beforeAll(async () => {
  if (!noChromium) relay = await startTestRelay();
});
afterAll(async () => {
  await relay?.cleanup();
});

const app = (page: Page) => page.locator('baton-app');

/** Mounts the app and waits for its start screen. */
async function started(page: Page): Promise<void> {
  await page.evaluate(() => window.kit.mount('baton-app'));
  await app(page).locator('baton-start').waitFor();
}

test.skipIf(noChromium)('it starts on the start screen, then opens a board a link names, from its relay', async () => {
  const { page, errors } = await pages.open();
  await started(page);
  assert.match((await app(page).locator('header').textContent())!, /Posting as anonymous/);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => window.kit.focused()?.textContent), 'Baton', 'the way home comes first by keyboard');
  const write = await page.evaluate(async (url) => {
    const { kit } = window;
    const elsewhere = new kit.core.BatonClient({ store: new kit.core.MemoryStore(), identity: kit.shared.generateIdentity(), name: 'Amira' });
    const { board, caps } = await kit.core.boards.createBoard(elsewhere, { title: 'Relay watch', relays: [url] });
    const until = Date.now() + 20_000;
    while (board.outbox().length > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    return caps.write;
  }, relay.url);
  await page.evaluate((hash) => (location.hash = hash), `#${write}`);
  await app(page).locator('baton-board').getByRole('heading', { name: 'Relay watch' }).waitFor({ timeout: 15_000 });
  assert.equal(await page.evaluate(() => window.kit.focused()?.tagName), 'MAIN', 'the reader starts at the top of the new screen');
  assert.equal(await app(page).locator('.banner').count(), 0, 'a synced board shows no offline banner');
  await page.evaluate(() => (location.hash = ''));
  await app(page).locator('baton-start').waitFor();
  assert.match(await app(page).locator('baton-start').evaluate((s) => s.shadowRoot!.textContent!), /Relay watch/, 'the board is remembered on this device');
  assert.deepEqual(errors, []);
});

test.skipIf(noChromium)('a link that does not open says why and leads back to the start', async () => {
  const { page } = await pages.open();
  await started(page);
  await page.evaluate(() => (location.hash = '#baton:board:<img src=x onerror=alert(1)>'));
  const alert = app(page).getByRole('alert');
  await alert.waitFor();
  assert.match((await alert.textContent())!, /This link is damaged: the part that names the board is cut short or changed\./);
  assert.doesNotMatch((await alert.textContent())!, /capabilit|base64|space id/i);
  assert.deepEqual(await page.evaluate(() => window.kit.markupFound()), []);
  await alert.getByRole('link', { name: 'Back to the start' }).click();
  await app(page).locator('baton-start').waitFor();
});

test.skipIf(noChromium)('notices from its screens show (errors as alerts), at most three at once, and can be dismissed', async () => {
  const { page } = await pages.open();
  await started(page);
  await page.evaluate(() => {
    const from = window.kit.el().shadowRoot!.querySelector('baton-start')!;
    for (const message of ['one', 'two', 'three <b>four</b>']) from.dispatchEvent(new CustomEvent('baton-notice', { detail: { message }, bubbles: true, composed: true }));
    from.dispatchEvent(new CustomEvent('baton-notice', { detail: { message: 'it failed', kind: 'error' }, bubbles: true, composed: true }));
  });
  const notices = app(page).locator('.notices .notice');
  await page.waitForFunction(() => window.kit.deepAll('.notices .notice').length === 3);
  assert.deepEqual((await notices.locator('span').allTextContents()), ['two', 'three <b>four</b>', 'it failed']);
  assert.equal(await notices.nth(2).getAttribute('role'), 'alert');
  assert.equal(await notices.nth(0).getAttribute('role'), 'status');
  assert.deepEqual(await page.evaluate(() => window.kit.markupFound()), []);
  await notices.nth(0).getByRole('button', { name: 'Dismiss' }).click();
  assert.deepEqual(await notices.locator('span').allTextContents(), ['three <b>four</b>', 'it failed']);
});

test.skipIf(noChromium)('a screen’s baton-navigate moves the app; going offline shows the banner', async () => {
  const { page } = await pages.open();
  await started(page);
  await page.evaluate(() => window.kit.el().shadowRoot!.querySelector('baton-start')!.dispatchEvent(new CustomEvent('baton-navigate', { detail: { hash: 'baton:nothing' }, bubbles: true, composed: true })));
  await page.waitForFunction(() => location.hash === '#baton:nothing');
  await app(page).getByRole('alert').waitFor();
  await page.context().setOffline(true);
  await app(page).getByRole('status').filter({ hasText: 'Offline: what you write is kept on this device' }).waitFor();
  await page.context().setOffline(false);
  await page.waitForFunction(() => !window.kit.text(window.kit.el()).includes('Offline:'));
});


/** A board with a thread, written from another device to the test relay: their links once sent. */
const boardOnRelay = async (url: string) => {
  const { kit } = window;
  const elsewhere = new kit.core.BatonClient({ store: new kit.core.MemoryStore(), identity: kit.shared.generateIdentity(), name: 'Amira' });
  const { board, caps } = await kit.core.boards.createBoard(elsewhere, { title: 'Relay watch', relays: [url] });
  const { thread } = await kit.core.boards.createThread(elsewhere, board, { title: 'Mirrors', body: 'hello' });
  const until = Date.now() + 20_000;
  while ((board.outbox().length > 0 || thread.outbox().length > 0) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  return { caps, boardId: board.spaceId as string, threadId: thread.spaceId as string };
};

/** The read link with one letter of its key changed, as a person may mistype it. */
function mistyped(read: string): string {
  const key = read.split(':')[3]!;
  const typo = key.slice(0, 10) + (key[10] === 'A' ? 'B' : 'A') + key.slice(11);
  return read.replace(key, typo);
}

test.skipIf(noChromium)('a mistyped key says so in place of the board, with no alarm, and is gone once the reader leaves', async () => {
  const { page, errors } = await pages.open();
  const { caps, boardId } = await page.evaluate(boardOnRelay, relay.url);
  // This device already knows the board by its right link: a wrong one must not replace it.
  await page.evaluate(([id, cap]) => window.kit.local().remember({ spaceId: id!, kind: 'board', cap: cap!, level: 'read', title: 'Relay watch', openedAt: 1 }), [boardId, caps.read]);
  await started(page);
  await page.evaluate((hash) => (location.hash = hash), `#${mistyped(caps.read)}`);
  const alert = app(page).getByRole('alert');
  await alert.waitFor({ timeout: 15_000 });
  assert.match((await alert.textContent())!, /This link’s key does not open this board/);
  assert.match((await alert.textContent())!, /Ask for the link again\./);
  assert.equal(await app(page).locator('.notice').count(), 0, 'no toast about forged data');
  assert.match((await app(page).locator('header').textContent())!, /Read only: you cannot post here/);
  assert.doesNotMatch((await app(page).locator('header').textContent())!, /Posting as/);
  await new Promise((r) => setTimeout(r, 500)); // more of the board's data may still arrive
  assert.equal(await app(page).locator('.notice').count(), 0, 'still no toast');
  assert.deepEqual(await page.evaluate(() => window.kit.local().knownSpaces().map((k) => k.cap)), [caps.read], 'the link that works is kept');
  await alert.getByRole('link', { name: 'Back to the start' }).click();
  await app(page).locator('baton-start').waitFor();
  assert.equal(await app(page).getByRole('alert').count(), 0);
  assert.equal(await app(page).locator('.notice').count(), 0);
  assert.deepEqual(errors, []);
});

test.skipIf(noChromium)('notices stay on the screen they were raised on, and never cover the compose box', async () => {
  const { page } = await pages.open({ viewport: { width: 360, height: 640 } });
  const { caps, threadId } = await page.evaluate(boardOnRelay, relay.url);
  await started(page);
  const notice = (message: string) =>
    page.evaluate((m) => window.kit.el().shadowRoot!.querySelector('main')!.dispatchEvent(new CustomEvent('baton-notice', { detail: { message: m }, bubbles: true, composed: true })), message);
  await notice('raised on the start screen');
  await app(page).locator('.notice').waitFor();
  await page.evaluate((hash) => (location.hash = hash), `#${caps.write}?thread=${threadId}`);
  const compose = app(page).locator('baton-compose');
  await compose.waitFor({ timeout: 15_000 });
  assert.equal(await app(page).locator('.notice').count(), 0, 'the start screen’s notice did not follow');
  for (const where of ['end', 'start'] as const) {
    await compose.evaluate((el, w) => el.scrollIntoView({ block: w }), where);
    await compose.locator('textarea').focus();
    for (const dismiss of await app(page).getByRole('button', { name: 'Dismiss' }).all()) await dismiss.click(); // the round before's
    await notice(`a long notice ${'W'.repeat(80)}`);
    await page.waitForFunction(() => window.kit.deepAll('.notice').length > 0);
    await page.waitForTimeout(100); // one frame for the notices to find their place
    const [box, note] = await Promise.all([compose.boundingBox(), app(page).locator('.notices').boundingBox()]);
    const overlap = box!.y < note!.y + note!.height && note!.y < box!.y + box!.height;
    assert.equal(overlap, false, `compose ${JSON.stringify(box)} and notices ${JSON.stringify(note)} (compose at the ${where})`);
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth), true, 'a long notice wraps at 360 px');
  }
});

test.skipIf(noChromium)('the guide shows by itself on the first start only, is skipped for good, and opens again from the header', async () => {
  const { page } = await pages.open();
  await page.evaluate(() => localStorage.removeItem('baton:guide-seen'));
  await started(page);
  const guide = app(page).locator('baton-guide');
  await guide.getByRole('heading', { name: 'The link is the key' }).waitFor();
  await guide.getByRole('button', { name: 'Skip' }).click();
  assert.equal(await guide.count(), 0);
  assert.equal(await page.evaluate(() => localStorage.getItem('baton:guide-seen')), '1');
  await page.reload();
  await page.waitForFunction(() => document.documentElement.dataset.ready === 'yes');
  await started(page);
  assert.equal(await app(page).locator('baton-guide').count(), 0, 'not again once skipped');
  await app(page).getByRole('button', { name: 'How Baton works' }).click();
  await guide.getByRole('heading', { name: 'The link is the key' }).waitFor();
  assert.equal(await page.evaluate(() => window.kit.focused()?.textContent), 'The link is the key', 'the reader is put at its heading');
});
