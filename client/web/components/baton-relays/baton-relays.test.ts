// <baton-relays> in Chromium on a real session: each relay's live state against loopback
// relays, a relay added by keyboard (signed into the board's list), a bad address refused,
// and another member's local-address entry shown as not dialled, with who added it.
import { afterAll, beforeAll, test } from 'vitest';
import assert from 'node:assert/strict';
import { componentPages, noChromium } from '#test/e2e/components.ts';
import { startTestRelay, type TestRelay } from '#test/e2e/harness.ts';
import type { Session } from '../../lib/session.ts';

const pages = componentPages(['./client/web/components/baton-relays/baton-relays.ts']);
let first: TestRelay;
let second: TestRelay;
beforeAll(async () => {
  if (noChromium) return;
  [first, second] = await Promise.all([startTestRelay(), startTestRelay()]);
});
afterAll(async () => {
  await Promise.all([first?.cleanup(), second?.cleanup()]);
});

/** A board this session writes, on these relays, in the panel. */
const mountRelays = async (relays: string[]) => {
  const { kit } = window;
  const session = await kit.session();
  kit.keep.session = session;
  kit.listen('baton-notice');
  const { board } = await kit.core.boards.createBoard(session.client, { title: 'Relay watch', relays });
  kit.keep.board = board;
  await kit.mount('baton-relays', { session, space: board });
};

test.skipIf(noChromium)('a board on no relay says so; a relay added by keyboard joins the list, signed, and syncs', async () => {
  const { page, errors } = await pages.open();
  await page.evaluate(mountRelays, []);
  const panel = page.locator('baton-relays');
  assert.match(await page.evaluate(() => window.kit.text(window.kit.el())), /No relay yet: everything stays on this device/);
  assert.match(await page.evaluate(() => window.kit.text(window.kit.el())), /added to the board's list, signed by you/);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => window.kit.focused()?.id), 'relay-url');
  await page.keyboard.type(`${first.url}/`);
  await page.keyboard.press('Enter');
  await panel.locator(`[data-state=synced]`).waitFor({ timeout: 15_000 });
  assert.deepEqual(await panel.locator('.url').allTextContents(), [first.url]);
  assert.match(await page.evaluate(() => window.kit.text(window.kit.el())), /added by you/);
  assert.deepEqual(await page.evaluate(() => window.kit.events.map((e) => e.detail)), [{ message: `Added relay ${first.url}` }]);
  assert.equal(await panel.getByRole('textbox', { name: 'Relay URL' }).inputValue(), '', 'the field is emptied');
  const listed = await page.evaluate(() => window.kit.shared.listBoardRelayEntries((window.kit.keep.board as import('../../../core/index.ts').Space).plain!, (window.kit.keep.board as import('../../../core/index.ts').Space).spaceId).map((e) => e.url));
  assert.deepEqual(listed, [first.url], 'written to the board’s list');
  assert.deepEqual(errors, []);
});

test.skipIf(noChromium)('each relay shows its own state; one that stops shows it is no longer synced', async () => {
  const { page } = await pages.open();
  await page.evaluate(mountRelays, [first.url, second.url]);
  const panel = page.locator('baton-relays');
  await page.waitForFunction(() => window.kit.deepAll('[data-state=synced]').length === 2, undefined, { timeout: 15_000 });
  assert.deepEqual(await panel.locator('.url').allTextContents(), [first.url, second.url].sort());
  await second.stop();
  try {
    await page.waitForFunction((url) => window.kit.deepAll('li').some((li) => li.textContent!.includes(url) && li.querySelector('[data-state]')!.getAttribute('data-state') !== 'synced'), second.url, { timeout: 15_000 });
    assert.equal(await panel.locator('li', { hasText: first.url }).locator('[data-state]').getAttribute('data-state'), 'synced');
  } finally {
    await second.restart();
  }
});

test.skipIf(noChromium)('an address that is not a relay is refused with a reason', async () => {
  const { page } = await pages.open();
  await page.evaluate(mountRelays, []);
  const panel = page.locator('baton-relays');
  await panel.getByRole('textbox', { name: 'Relay URL' }).fill('ftp://relay.example.org');
  await panel.getByRole('button', { name: 'Add relay' }).click();
  assert.ok((await panel.getByRole('alert').textContent())!.length > 0);
  assert.equal(await page.evaluate(() => (window.kit.keep.board as import('../../../core/index.ts').Space).relays().length), 0);
  assert.deepEqual(await page.evaluate(() => window.kit.events), []);
});

test.skipIf(noChromium)('another member’s local-address entry is listed as not dialled, with the key that added it', async () => {
  const { page } = await pages.open();
  const other = await page.evaluate(async () => {
    const { kit } = window;
    const writer = kit.offlineClient('Mallory');
    const { board, caps } = await kit.core.boards.createBoard(writer, { title: 'Relay watch', relays: [] });
    kit.core.boards.addRelay(board, 'http://10.1.2.3:9');
    const session = await kit.session();
    kit.keep.session = session;
    await kit.core.importBundle(session.client.store, kit.core.exportBundle([board]));
    const space = await session.client.open(caps.write);
    await kit.mount('baton-relays', { session, space });
    return kit.shared.toBase64url(writer.identity.publicKey);
  });
  const panel = page.locator('baton-relays');
  await panel.locator('summary').click();
  const text = await page.evaluate(() => window.kit.text(window.kit.el()));
  assert.match(text, /In the board's list, not dialled \(1\)/);
  assert.match(text, /http:\/\/10\.1\.2\.3:9\s*not dialled: a local network address you did not choose/);
  assert.match(text, new RegExp(`added by the key ${other.slice(0, 8)}`));
  assert.equal(await page.evaluate(() => (window.kit.keep.session as Session).client.openSpaces()[0]!.relays().length), 0, 'never dialled');
});

test.skipIf(noChromium)('a hostile writer’s unsigned entries show as text, within the page, twelve at most, none dialled', async () => {
  const { page } = await pages.open({ viewport: { width: 360, height: 640 } });
  const { markup } = await page.evaluate(() => window.kit.hostile);
  // Local addresses besides the malformed ones (nothing here may be dialled from a test), listed after them.
  const hostile = [`https://${markup}`, `https://${'a'.repeat(3000)}.example.org`, ...Array.from({ length: 18 }, (_, i) => `wss://10.0.${i}.1:9`)];
  await page.evaluate(async (urls) => {
    const { kit } = window;
    const writer = kit.offlineClient('Mallory');
    const { board, caps } = await kit.core.boards.createBoard(writer, { title: 'Relay watch', relays: [] });
    // Written straight into the map, as a modified client would: unsigned, unchecked.
    const doc = board.requireWrite();
    doc.transact(() => {
      for (const url of urls) kit.shared.relaysMap(doc).set(url, true);
    });
    board.flush();
    const session = await kit.session();
    await kit.core.importBundle(session.client.store, kit.core.exportBundle([board]));
    const space = await session.client.open(caps.read);
    window.kit.keep.board = space;
    await kit.mount('baton-relays', { session, space });
  }, hostile);
  const panel = page.locator('baton-relays');
  await panel.locator('summary').click();
  assert.equal(await page.evaluate(() => (window.kit.keep.board as import('../../../core/index.ts').Space).relays().length), 0, 'none dialled');
  const text = await page.evaluate(() => window.kit.text(window.kit.el()));
  assert.match(text, /In the board's list, not dialled \(20\)/);
  assert.equal(await panel.locator('.skipped li').count(), 12);
  assert.match(text, /and 8 more/);
  assert.match(text, /added by someone who did not sign it/);
  assert.ok(text.includes(`https://${markup}`) && text.includes('a'.repeat(3000)), 'the malformed entries are among those shown, as text');
  assert.deepEqual(await page.evaluate(() => window.kit.markupFound()), []);
  assert.equal(await page.evaluate(() => window.kit.overflows(document.documentElement)), false, 'a long address wraps at 360 px');
});

test.skipIf(noChromium)('a writer removes a relay by keyboard: signed, no longer dialled, listed as removed by you, and added again', async () => {
  const { page, errors } = await pages.open();
  await page.evaluate(mountRelays, [first.url, second.url]);
  const panel = page.locator('baton-relays');
  await page.waitForFunction(() => window.kit.deepAll('[data-state=synced]').length === 2, undefined, { timeout: 15_000 });
  const remove = panel.getByRole('button', { name: `Remove ${second.url}` });
  await remove.focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => (window.kit.keep.board as import('../../../core/index.ts').Space).relays().length === 1);
  assert.deepEqual(await page.evaluate(() => (window.kit.keep.board as import('../../../core/index.ts').Space).relays()), [first.url]);
  const removal = await page.evaluate((url) => {
    const board = window.kit.keep.board as import('../../../core/index.ts').Space;
    const me = window.kit.shared.toBase64url((window.kit.keep.session as Session).client.identity.publicKey);
    const entry = window.kit.shared.listBoardRelayEntries(board.plain!, board.spaceId).find((e) => e.url === url)!;
    return { signedByMe: entry.removed?.by === me, addedByMe: entry.addedBy === me };
  }, second.url);
  assert.deepEqual(removal, { signedByMe: true, addedByMe: true }, 'the removal is signed by this member, and keeps who added it');
  await panel.getByText("Removed from the board's list (1)").click();
  const text = await page.evaluate(() => window.kit.text(window.kit.el()));
  assert.match(text, /removed by you/);
  assert.deepEqual(await panel.locator('ul[aria-labelledby=relays-title] .url').allTextContents(), [first.url]);
  assert.deepEqual(await page.evaluate(() => window.kit.events.map((e) => e.detail)), [{ message: `Removed relay ${second.url} from the board’s list` }]);
  await panel.getByRole('button', { name: `Add ${second.url} again` }).click();
  await page.waitForFunction(() => window.kit.deepAll('[data-state=synced]').length === 2, undefined, { timeout: 15_000 });
  assert.equal(await panel.getByText(/Removed from the board's list/).count(), 0);
  assert.deepEqual(errors, []);
});

test.skipIf(noChromium)('a reader’s own relay is kept on this device until removed, whatever the board’s list says', async () => {
  const { page } = await pages.open();
  await page.evaluate(async (relay) => {
    const { kit } = window;
    const writer = kit.offlineClient('Amira');
    const { board, caps } = await kit.core.boards.createBoard(writer, { title: 'Relay watch', relays: [] });
    const session = await kit.session();
    kit.keep.session = session;
    kit.listen('baton-notice');
    await kit.core.importBundle(session.client.store, kit.core.exportBundle([board]));
    const space = await session.client.open(caps.read);
    kit.keep.board = space;
    await kit.mount('baton-relays', { session, space });
    return relay;
  }, first.url);
  const panel = page.locator('baton-relays');
  assert.match(await page.evaluate(() => window.kit.text(window.kit.el())), /Only this device syncs with it, until you remove it/);
  await panel.getByRole('textbox', { name: 'Relay URL' }).fill(first.url);
  await panel.getByRole('button', { name: 'Add relay' }).click();
  await panel.locator('[data-state=synced]').waitFor({ timeout: 15_000 });
  assert.match(await page.evaluate(() => window.kit.text(window.kit.el())), /kept on this device until you remove it/);
  const stored = () => (window.kit.keep.session as Session).local.ownRelays((window.kit.keep.board as import('../../../core/index.ts').Space).spaceId);
  assert.deepEqual(await page.evaluate(stored), [first.url]);
  // The board's list removing it (a writer's signed removal, here unsigned) does not drop it.
  await page.evaluate(() => (window.kit.keep.board as import('../../../core/index.ts').Space).setRemoved([(window.kit.keep.board as import('../../../core/index.ts').Space).relays()[0]!]));
  assert.equal(await page.evaluate(() => (window.kit.keep.board as import('../../../core/index.ts').Space).relays().length), 1);
  await panel.getByRole('button', { name: `Remove ${first.url}` }).click();
  await page.waitForFunction(() => (window.kit.keep.board as import('../../../core/index.ts').Space).relays().length === 0);
  assert.deepEqual(await page.evaluate(stored), []);
});
