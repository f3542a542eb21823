// <baton-summary> in Chromium: the thread's summary bound to a textarea both ways; an edit
// from elsewhere carries the caret along; with read access it is text, not a field; text stays text.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { componentPages, noChromium } from '#test/e2e/components.ts';

const pages = componentPages(['./client/web/components/baton-summary/baton-summary.ts']);

/** A new thread, opened at `level`; kept as kit.keep.thread (the writer's copy as kit.keep.own). */
const mountSummary = async (level: 'write' | 'read') => {
  const { kit } = window;
  const writer = kit.offlineClient('Amira');
  const { board } = await kit.core.boards.createBoard(writer, { title: 'Relay watch', relays: [] });
  const { thread } = await kit.core.boards.createThread(writer, board, { title: 'Which relays work' });
  kit.keep.own = thread;
  kit.keep.thread = level === 'write' ? thread : await kit.offlineClient('Bo').open(kit.shared.formatCapability(thread.cap, 'read'));
  await kit.mount('baton-summary', { space: kit.keep.thread });
};

const summary = () => window.kit.shared.summaryText((window.kit.keep.own as import('../../../core/index.ts').Space).plain!).toString();

test.skipIf(noChromium)('typing edits the thread’s summary; an edit from elsewhere shows and moves the caret with the text', async () => {
  const { page, errors } = await pages.open();
  await page.evaluate(mountSummary, 'write' as const);
  const area = page.locator('baton-summary').getByRole('textbox', { name: 'Story so far' });
  assert.match((await area.getAttribute('placeholder'))!, /written together/);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => window.kit.focused()?.id), 'summary', 'reached by keyboard');
  await page.keyboard.type('Relay B works.');
  assert.equal(await page.evaluate(summary), 'Relay B works.');
  // The caret sits after "B"; someone else puts a sentence before it.
  await area.evaluate((a: HTMLTextAreaElement) => a.setSelectionRange(7, 7));
  await page.evaluate(() => window.kit.core.boards.editSummary(window.kit.keep.own as import('../../../core/index.ts').Space, 'Checked at noon. Relay B works.'));
  assert.equal(await area.inputValue(), 'Checked at noon. Relay B works.');
  assert.deepEqual(await area.evaluate((a: HTMLTextAreaElement) => [a.selectionStart, a.selectionEnd]), [24, 24]);
  await page.keyboard.type('!');
  assert.equal(await page.evaluate(summary), 'Checked at noon. Relay B! works.', 'typing goes on where the caret was carried');
  assert.deepEqual(errors, []);
});

test.skipIf(noChromium)('with read access the summary is text under a heading, not a field, and follows edits', async () => {
  const { page } = await pages.open({ viewport: { width: 360, height: 640 } });
  await page.evaluate(mountSummary, 'read' as const);
  const summary = page.locator('baton-summary');
  const shown = () => page.evaluate(() => window.kit.text(window.kit.el()));
  assert.equal(await summary.getByRole('textbox').count(), 0, 'nothing that looks editable');
  assert.equal(await summary.getByRole('heading', { name: 'Story so far' }).count(), 1);
  assert.match(await shown(), /No summary yet\./);
  const { markup, rtl, long } = await page.evaluate(() => window.kit.hostile);
  const text = `${markup}\n${rtl}\n${long}`;
  // An edit reaching the reader's copy of the thread, as one from another device does.
  await page.evaluate((t) => window.kit.shared.summaryText((window.kit.keep.thread as import('../../../core/index.ts').Space).plain!).insert(0, t), text);
  await page.waitForFunction(() => window.kit.text(window.kit.el()).includes('<b>bold</b>'));
  assert.equal(await summary.locator('.story').textContent(), text.replace(/[\u202a-\u202e]/g, ''), 'the text, without its bidi override');
  assert.equal(await summary.locator('.story').evaluate((p) => getComputedStyle(p).whiteSpace), 'pre-wrap', 'its lines stay lines');
  assert.deepEqual(await page.evaluate(() => window.kit.markupFound()), []);
  assert.equal(await page.evaluate(() => window.kit.overflows(document.documentElement)), false, 'one long word wraps at 360 px');
});

test.skipIf(noChromium)('a summary of markup, right-to-left text and one long word stays text in the box', async () => {
  const { page } = await pages.open({ viewport: { width: 360, height: 640 } });
  await page.evaluate(mountSummary, 'write' as const);
  const { markup, rtl, long } = await page.evaluate(() => window.kit.hostile);
  const text = `${markup}\n${rtl}\n${long}`;
  await page.evaluate((t) => window.kit.core.boards.editSummary(window.kit.keep.own as import('../../../core/index.ts').Space, t), text);
  assert.equal(await page.locator('baton-summary textarea').inputValue(), text);
  assert.deepEqual(await page.evaluate(() => window.kit.markupFound()), []);
  assert.equal(await page.evaluate(() => window.kit.overflows(document.documentElement)), false);
});

test.skipIf(noChromium)('a space it cannot read shows nothing', async () => {
  const { page } = await pages.open();
  await page.evaluate(async () => {
    const { kit } = window;
    const writer = kit.offlineClient();
    const { board } = await kit.core.boards.createBoard(writer, { title: 'x', relays: [] });
    const mirror = await kit.offlineClient().open(kit.shared.formatCapability(board.cap, 'mirror'));
    await kit.mount('baton-summary', { space: mirror });
  });
  assert.equal(await page.evaluate(() => window.kit.el().shadowRoot!.childElementCount), 0);
});
