// <baton-post-actions> and the moderation parts of <baton-post> in Chromium: edit, delete and
// hide open in place and fire their events only once confirmed; a safety code is shown and a
// key marked verified; a hidden post is collapsed until opened; deleted and edited posts say so.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { componentPages, noChromium } from '#test/e2e/components.ts';

const pages = componentPages(['./client/web/components/baton-post/baton-post.ts']);

const AUTHOR = 'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWY';
const OTHER = 'enl4d3Z1dHNycXBvbm1sa2ppaGdmZWRjYmFaWVhXVlU';
const post = (over: Record<string, unknown> = {}) => ({
  id: 'p1',
  author: AUTHOR,
  name: 'Amira',
  ts: Date.UTC(2026, 3, 2, 9, 30),
  body: 'Relay B is fine.',
  replyTo: null,
  verified: true,
  deleted: false,
  edited: false,
  editedAt: null,
  history: [],
  tampered: false,
  ...over,
});

test.skipIf(noChromium)('an author edits and deletes their post, each confirmed in place', async () => {
  const { page, errors } = await pages.open();
  await page.evaluate((p) => {
    window.kit.listen('baton-post-edit', 'baton-post-delete', 'baton-post-hide');
    return window.kit.mount('baton-post', { post: p, mine: true, canReply: true });
  }, post());
  const el = page.locator('baton-post');
  const edit = el.getByRole('button', { name: 'Edit what you wrote' });
  await edit.click();
  assert.equal(await edit.getAttribute('aria-expanded'), 'true');
  await el.getByRole('textbox', { name: 'New text' }).fill('Relay B is fine again.');
  await el.getByRole('button', { name: 'Save edit' }).click();
  await el.getByRole('button', { name: 'Delete what you wrote' }).click();
  await el.getByRole('button', { name: 'Keep it' }).click();
  assert.deepEqual(await page.evaluate(() => window.kit.events.map((e) => e.type)), ['baton-post-edit']);
  await el.getByRole('button', { name: 'Delete what you wrote' }).click();
  await el.getByRole('group', { name: 'Confirm deleting your post' }).getByRole('button', { name: 'Delete for everyone' }).click();
  assert.deepEqual(await page.evaluate(() => window.kit.events.map((e) => [e.type, e.detail])), [
    ['baton-post-edit', { postId: 'p1', body: 'Relay B is fine again.' }],
    ['baton-post-delete', { postId: 'p1' }],
  ]);
  // Not one's own post: no edit or delete; a moderator may hide, with a reason.
  await page.evaluate(() => window.kit.set({ mine: false, canModerate: true }));
  assert.equal(await el.getByRole('button', { name: 'Edit what you wrote' }).count(), 0);
  await el.getByRole('button', { name: 'Hide as a moderator' }).click();
  await el.getByRole('textbox', { name: /Reason/ }).fill('spam');
  await el.getByRole('button', { name: 'Hide for everyone' }).click();
  assert.deepEqual(await page.evaluate(() => window.kit.events.at(-1)), { type: 'baton-post-hide', detail: { postId: 'p1', reason: 'spam' }, bubbles: true, composed: true });
  await el.getByRole('button', { name: 'Hide as a moderator' }).click();
  await el.getByRole('checkbox', { name: /Hide every post of this key/ }).check();
  await el.getByRole('button', { name: 'Hide for everyone' }).click();
  assert.deepEqual(await page.evaluate(() => window.kit.events.at(-1)?.detail), { postId: 'p1', reason: '', author: AUTHOR });
  assert.deepEqual(errors, []);
});

test.skipIf(noChromium)('a safety code marks a key verified; a verified name on another key is flagged', async () => {
  const { page } = await pages.open();
  await page.evaluate((p) => {
    window.kit.listen('baton-verify-key');
    return window.kit.mount('baton-post', { post: p });
  }, post());
  const el = page.locator('baton-post');
  await el.getByRole('button', { name: 'Compare the author’s safety code' }).click();
  const code = await el.locator('.code').textContent();
  assert.equal(code, await page.evaluate((k) => window.kit.shared.safetyCode(k), AUTHOR));
  await el.getByRole('button', { name: 'The codes match: mark verified' }).click();
  assert.deepEqual(await page.evaluate(() => window.kit.events.at(-1)?.detail), { key: AUTHOR, name: 'Amira', verified: true });
  await page.evaluate(() => window.kit.set({ keyCheck: { verified: true, posingAs: null }, role: 'owner' }));
  assert.match(await el.locator('header').innerText(), /owner[\s\S]*✓ verified/);
  await page.evaluate((other) => window.kit.set({ keyCheck: { verified: false, posingAs: other }, role: '' }), OTHER);
  assert.match(await el.locator('header').innerText(), /Not the Amira you verified: that is the key enl4d3Z1/);
  assert.equal(await el.locator('article').getAttribute('class'), 'clash');
});

test.skipIf(noChromium)('a hidden post is collapsed until opened; deleted and edited posts say so', async () => {
  const { page } = await pages.open();
  await page.evaluate((p) => window.kit.mount('baton-post', { post: p, hide: { id: 'r', by: 'k', ts: 1, reason: 'off topic' } }), post());
  const el = page.locator('baton-post');
  const collapsed = el.getByRole('article', { name: 'Post hidden by a moderator' });
  assert.match(await collapsed.innerText(), /Hidden by a moderator: off topic/);
  assert.doesNotMatch(await collapsed.innerText(), /Relay B/);
  await el.getByRole('button', { name: 'Show what was hidden' }).click();
  assert.match(await page.evaluate(() => window.kit.text(window.kit.el())), /Relay B is fine/);
  await el.getByRole('button', { name: 'Collapse' }).click();
  assert.equal(await el.getByRole('article', { name: 'Post hidden by a moderator' }).count(), 1);

  await page.evaluate((p) => window.kit.set({ hide: null, post: p }), post({ body: 'v3', edited: true, editedAt: Date.UTC(2026, 3, 2, 10), history: [{ body: 'v1', ts: 1 }, { body: 'v2', ts: 2 }] }));
  await el.getByText('edited').click();
  assert.deepEqual(await el.locator('.history baton-post-text').evaluateAll((els) => els.map((e) => e.getAttribute('text') ?? (e as unknown as { text: string }).text)), ['v1', 'v2']);
  await page.evaluate((p) => window.kit.set({ post: p, canReply: true }), post({ body: '', deleted: true }));
  assert.match(await el.locator('article').innerText(), /Deleted by its author\./);
  assert.equal(await el.getByRole('button').count(), 0, 'no reply or actions on a deleted post');
  await page.evaluate((p) => window.kit.set({ post: p }), post({ tampered: true }));
  assert.match(await el.locator('article').innerText(), /Someone other than its author took this post out of the thread/);
});

test.skipIf(noChromium)('focus stays on the post: a closed panel gives it back to its button, a deleted post takes it itself', async () => {
  const { page, errors } = await pages.open();
  await page.evaluate((p) => window.kit.mount('baton-post', { post: p, mine: true, canReply: true }), post());
  const el = page.locator('baton-post');
  const focusedName = () => page.evaluate(() => {
    const f = window.kit.focused();
    return f ? `${f.tagName} ${f.getAttribute('aria-label') ?? ''}` : '';
  });
  await el.getByRole('button', { name: 'Edit what you wrote' }).click();
  await el.getByRole('textbox', { name: 'New text' }).fill('Relay B is fine again.');
  await el.getByRole('textbox', { name: 'New text' }).press('Tab');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => window.kit.focused()?.getAttribute('aria-label') === 'Edit what you wrote', undefined, { timeout: 5000 });
  await el.getByRole('button', { name: 'Delete what you wrote' }).click();
  await el.getByRole('button', { name: 'Keep it' }).click();
  await page.waitForFunction(() => window.kit.focused()?.getAttribute('aria-label') === 'Delete what you wrote', undefined, { timeout: 5000 });
  await el.getByRole('button', { name: 'Delete what you wrote' }).click();
  await el.getByRole('button', { name: 'Delete for everyone' }).click();
  // The thread then shows the post as deleted: its buttons go, and the post keeps the focus.
  await page.evaluate((p) => window.kit.set({ post: p }), post({ deleted: true, body: '' }));
  await el.getByText('Deleted by its author.').waitFor();
  assert.match(await focusedName(), /^ARTICLE /);
  // A moderator's Cancel on the hide form, too.
  await page.evaluate((p) => window.kit.set({ post: p, mine: false, canModerate: true }), post({ author: OTHER }));
  await el.getByRole('button', { name: 'Hide as a moderator' }).click();
  await el.getByRole('button', { name: 'Cancel' }).click();
  await page.waitForFunction(() => window.kit.focused()?.getAttribute('aria-label') === 'Hide as a moderator', undefined, { timeout: 5000 });
  // Hidden for everyone: the form goes, then the post collapses, and keeps the focus.
  await el.getByRole('button', { name: 'Hide as a moderator' }).click();
  await el.getByRole('button', { name: 'Hide for everyone' }).click();
  await page.evaluate(() => new Promise(requestAnimationFrame));
  await page.evaluate(() => window.kit.set({ hide: { id: 'r', by: 'k', ts: 1, reason: '' } }));
  await el.getByRole('article', { name: 'Post hidden by a moderator' }).waitFor();
  await page.waitForFunction(() => window.kit.focused()?.getAttribute('aria-label') === 'Post hidden by a moderator', undefined, { timeout: 5000 });
  assert.deepEqual(errors, []);
});
