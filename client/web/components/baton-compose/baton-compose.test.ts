// <baton-compose> in Chromium: the draft kept at every keystroke, Post and Ctrl+Enter firing
// baton-compose once, replies, the characters-left count, and the box emptied only once sent.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { componentPages, noChromium } from '#test/e2e/components.ts';
import { MAX_POST_BODY_CHARS } from '#shared/limits.ts';
import type { BatonCompose } from './baton-compose.ts';

const pages = componentPages(['./client/web/components/baton-compose/baton-compose.ts']);

const mountCompose = () =>
  window.kit.mount('baton-compose', {
    threadId: 'thread-1',
    local: window.kit.local(),
    placeholder: 'Say something',
    describe: (id: string) => `author of ${id}: <b>quoted</b>`,
  });

test.skipIf(noChromium)('a draft is kept at every keystroke and comes back in a new box', async () => {
  const { page, errors } = await pages.open();
  await page.evaluate(mountCompose);
  const box = page.locator('baton-compose').getByRole('textbox', { name: 'Message' });
  assert.equal(await box.getAttribute('placeholder'), 'Say something');
  await box.pressSequentially('Half a thought');
  await page.evaluate(() => window.kit.el<BatonCompose>().reply('p7'));
  await page.evaluate(mountCompose);
  assert.equal(await box.inputValue(), 'Half a thought');
  assert.match(await page.evaluate(() => window.kit.text(window.kit.el())), /Replying to author of p7: <b>quoted<\/b>/);
  assert.deepEqual(await page.evaluate(() => window.kit.markupFound()), [], 'a described post stays text');
  assert.deepEqual(errors, []);
});

test.skipIf(noChromium)('Post fires baton-compose once with the trimmed text; sent() empties box and draft, failed() keeps them', async () => {
  const { page } = await pages.open();
  await page.evaluate(() => window.kit.listen('baton-compose'));
  await page.evaluate(mountCompose);
  const compose = page.locator('baton-compose');
  const post = compose.getByRole('button', { name: 'Post' });
  assert.equal(await post.isDisabled(), true, 'nothing to post yet');
  await compose.getByRole('textbox', { name: 'Message' }).fill('   ');
  assert.equal(await post.isDisabled(), true, 'blank is nothing to post');
  await compose.getByRole('textbox', { name: 'Message' }).fill('  Relay B is up again.  ');
  await post.click();
  assert.equal(await post.isDisabled(), true, 'no second post while the first is on its way');
  await compose.getByRole('textbox', { name: 'Message' }).press('Control+Enter');
  assert.deepEqual(await page.evaluate(() => window.kit.events.map((e) => [e.detail, e.bubbles, e.composed])), [[{ body: 'Relay B is up again.', replyTo: null, files: [] }, true, true]]);

  await page.evaluate(() => window.kit.el<BatonCompose>().failed());
  assert.equal(await post.isDisabled(), false, 'a failed post can be sent again');
  assert.equal(await compose.getByRole('textbox', { name: 'Message' }).inputValue(), '  Relay B is up again.  ');

  await page.evaluate(() => window.kit.el<BatonCompose>().sent());
  assert.equal(await compose.getByRole('textbox', { name: 'Message' }).inputValue(), '');
  assert.equal(await page.evaluate(() => localStorage.getItem('baton:draft:thread-1')), null, 'the draft is gone');
});

test.skipIf(noChromium)('a reply: the box gets the caret, Ctrl+Enter sends it with its target, Cancel reply drops it', async () => {
  const { page } = await pages.open();
  await page.evaluate(() => window.kit.listen('baton-compose'));
  await page.evaluate(mountCompose);
  await page.evaluate(() => window.kit.el<BatonCompose>().reply('p3'));
  await page.waitForFunction(() => window.kit.focused()?.tagName === 'TEXTAREA');
  await page.keyboard.type('Agreed.');
  await page.keyboard.press('Control+Enter');
  assert.deepEqual(await page.evaluate(() => window.kit.events.map((e) => e.detail)), [{ body: 'Agreed.', replyTo: 'p3', files: [] }]);
  await page.evaluate(() => window.kit.el<BatonCompose>().reply('p4'));
  await page.locator('baton-compose').getByRole('button', { name: 'Cancel reply' }).click();
  assert.doesNotMatch(await page.evaluate(() => window.kit.text(window.kit.el())), /Replying to/);
  assert.deepEqual(JSON.parse((await page.evaluate(() => localStorage.getItem('baton:draft:thread-1')))!), { body: 'Agreed.', replyTo: null });
});

test.skipIf(noChromium)('near the limit the box counts down, and takes no more than the limit', async () => {
  const { page } = await pages.open();
  await page.evaluate(mountCompose);
  const box = page.locator('baton-compose').getByRole('textbox', { name: 'Message' });
  assert.equal(await box.getAttribute('maxlength'), String(MAX_POST_BODY_CHARS));
  assert.match(await page.evaluate(() => window.kit.text(window.kit.el())), /Ctrl\+Enter posts/);
  await box.fill('x'.repeat(MAX_POST_BODY_CHARS - 120));
  assert.match(await page.evaluate(() => window.kit.text(window.kit.el())), /120 characters left/);
  await box.press('End');
  await page.keyboard.insertText('y'.repeat(500));
  assert.equal((await box.inputValue()).length, MAX_POST_BODY_CHARS);
});

test.skipIf(noChromium)('by keyboard alone: Tab from the message reaches the file picker, then Post', async () => {
  const { page } = await pages.open();
  await page.evaluate(mountCompose);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => window.kit.focused()?.id), 'message');
  await page.keyboard.type('Keyboard only');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => (window.kit.focused() as HTMLInputElement | null)?.type), 'file');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => window.kit.focused()?.textContent), 'Post');
});

test.skipIf(noChromium)('a damaged draft in storage opens as an empty box', async () => {
  const { page, errors } = await pages.open();
  await page.evaluate(() => localStorage.setItem('baton:draft:thread-1', '{"body": {"x": 1}, "replyTo": 7'));
  await page.evaluate(mountCompose);
  assert.equal(await page.locator('baton-compose').getByRole('textbox', { name: 'Message' }).inputValue(), '');
  await page.evaluate(() => localStorage.setItem('baton:draft:thread-1', JSON.stringify({ body: ['<b>x</b>'], replyTo: { id: 'p1' } })));
  await page.evaluate(mountCompose);
  assert.equal(await page.locator('baton-compose').getByRole('textbox', { name: 'Message' }).inputValue(), '');
  assert.doesNotMatch(await page.evaluate(() => window.kit.text(window.kit.el())), /Replying to/);
  assert.deepEqual(errors, []);
});

test.skipIf(noChromium)('Post pressed from the keyboard leaves the caret in the emptied box, not on the page', async () => {
  const { page } = await pages.open();
  await page.evaluate(mountCompose);
  const compose = page.locator('baton-compose');
  await compose.getByRole('textbox', { name: 'Message' }).fill('Relay B is up again.');
  await compose.getByRole('button', { name: 'Post' }).focus();
  await page.keyboard.press('Enter');
  // The disabled button lets go of the focus at the next frame.
  await page.waitForFunction(() => window.kit.focused()?.tagName === 'BODY', undefined, { timeout: 5000 });
  await page.evaluate(() => window.kit.el<BatonCompose>().sent());
  await page.waitForFunction(() => window.kit.focused()?.id === 'message', undefined, { timeout: 5000 });
  await page.keyboard.type('And relay C.');
  assert.equal(await compose.getByRole('textbox', { name: 'Message' }).inputValue(), 'And relay C.');
  // A refusal: the caret is back too, with the text kept.
  await compose.getByRole('button', { name: 'Post' }).focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => window.kit.focused()?.tagName === 'BODY', undefined, { timeout: 5000 });
  await page.evaluate(() => window.kit.el<BatonCompose>().failed());
  await page.waitForFunction(() => window.kit.focused()?.id === 'message', undefined, { timeout: 5000 });
});
