// <baton-preview> in Chromium: a thread's saved first screen, read-only while the thread
// loads: its title, newest posts (names checked against those this device bound, binding
// none), when it was saved, and the way back.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { componentPages, noChromium } from '#test/e2e/components.ts';

const pages = componentPages(['./client/web/components/baton-preview/baton-preview.ts']);

const LAYLA = 'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWY';
const MALLORY = 'enl4d3Z1dHNycXBvbm1sa2ppaGdmZWRjYmFaWVhXVlU';
const SCOPE = 'Q'.repeat(43);
const preview = (title: string) => ({
  title,
  savedAt: Date.UTC(2026, 3, 2, 9, 30),
  posts: [
    { id: 'p1', author: LAYLA, name: 'Layla', ts: Date.UTC(2026, 3, 2, 9), body: 'Relay B is fine.', replyTo: null, verified: true },
    { id: 'p2', author: MALLORY, name: 'Layla', ts: Date.UTC(2026, 3, 2, 9, 10), body: 'Use relay C instead.', replyTo: 'p1', verified: true },
    { id: 'p3', author: MALLORY, name: 'Admin', ts: Date.UTC(2026, 3, 2, 9, 20), body: 'Trust me.', replyTo: null, verified: false },
  ],
});

const mountPreview = async ({ p, scope, boardHash, boardTitle }: { p: unknown; scope: string; boardHash: string; boardTitle: string }) => {
  const session = await window.kit.session();
  window.kit.keep.session = session;
  await window.kit.mount('baton-preview', { session, preview: p, boardHash, boardTitle, nameScope: scope });
};

test.skipIf(noChromium)('the saved first screen shows read-only, says what it is, and links back to its board', async () => {
  const { page, errors } = await pages.open();
  await page.evaluate(mountPreview, { p: preview('Which relays work'), scope: SCOPE, boardHash: '#baton:board:x', boardTitle: 'Relay watch' });
  const el = page.locator('baton-preview');
  assert.equal(await el.getByRole('heading', { level: 1 }).textContent(), 'Which relays work');
  assert.match((await el.getByRole('status').textContent())!, /^Loading the whole thread… Until then, the newest posts as this device saw them on /);
  assert.equal(await el.locator('section').getAttribute('aria-busy'), 'true');
  assert.deepEqual(await el.locator('baton-post').evaluateAll((posts) => posts.map((p) => p.getAttribute('data-id'))), ['p1', 'p2', 'p3']);
  assert.deepEqual(await el.locator('li').evaluateAll((li) => li.map((l) => l.className)), ['', 'reply', '']);
  assert.equal(await el.getByRole('button', { name: 'Reply', exact: true }).count(), 0, 'nothing to reply with until the thread is here');
  assert.equal(await el.locator('baton-post article').nth(2).getAttribute('aria-label'), 'Unverified post');
  const back = el.getByRole('link');
  assert.deepEqual([await back.textContent(), await back.getAttribute('href')], ['← Relay watch', '#baton:board:x']);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => window.kit.focused()?.textContent), '← Relay watch', 'reached by keyboard');
  assert.deepEqual(errors, []);
});

test.skipIf(noChromium)('a name this device bound to another key is flagged, and the preview binds no name itself', async () => {
  const { page } = await pages.open();
  await page.evaluate(([scope, key]) => window.kit.local().saveNames(scope, { [window.kit.core.nameKey('Layla')]: key }), [SCOPE, LAYLA]);
  await page.evaluate(mountPreview, { p: preview('t'), scope: SCOPE, boardHash: '', boardTitle: '' });
  const labels = await page.locator('baton-preview baton-post article').evaluateAll((a) => a.map((x) => x.getAttribute('aria-label')));
  assert.deepEqual(labels, ['Post by Layla', 'Post by another Layla, not the one who posted before', 'Unverified post']);
  assert.deepEqual(await page.evaluate((scope) => window.kit.local().names(scope), SCOPE), { [await page.evaluate(() => window.kit.core.nameKey('Layla'))]: LAYLA }, 'nothing new bound');
  const back = page.locator('baton-preview').getByRole('link');
  assert.deepEqual([await back.textContent(), await back.getAttribute('href')], ['← Start', '#']);
});

test.skipIf(noChromium)('a hostile title stays text and wraps at 360 px; no preview shows nothing', async () => {
  const { page } = await pages.open({ viewport: { width: 360, height: 640 } });
  const { markup, long, rtl } = await page.evaluate(() => window.kit.hostile);
  await page.evaluate(mountPreview, { p: preview(`${markup} ${rtl} ${long}`), scope: SCOPE, boardHash: '', boardTitle: '' });
  assert.equal(await page.locator('baton-preview h1').textContent(), `${markup} ${rtl.replace(/[\u202a-\u202e]/g, '')} ${long}`, 'shown as text, without its bidi override');
  assert.equal(await page.locator('baton-preview h1').getAttribute('dir'), 'auto');
  assert.deepEqual(await page.evaluate(() => window.kit.markupFound()), []);
  assert.equal(await page.evaluate(() => window.kit.overflows(document.documentElement)), false);
  await page.evaluate(() => window.kit.set({ preview: null }));
  assert.equal(await page.evaluate(() => window.kit.el().shadowRoot!.childElementCount), 0);
});
