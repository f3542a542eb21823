// <baton-post> in Chromium: who wrote a post and how sure that is, replies, delivery marks,
// its events, and hostile names and bodies that stay text inside their own box.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { componentPages, noChromium } from '#test/e2e/components.ts';

const pages = componentPages(['./client/web/components/baton-post/baton-post.ts']);

const AUTHOR = 'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWY';
const OTHER = 'enl4d3Z1dHNycXBvbm1sa2ppaGdmZWRjYmFaWVhXVlU';
const post = (over: Record<string, unknown> = {}) => ({ id: 'p1', author: AUTHOR, name: 'Amira', ts: Date.UTC(2026, 3, 2, 9, 30), body: 'Relay B is fine.', replyTo: null, verified: true, ...over });

test.skipIf(noChromium)('a signed post names its author and key; an unverified one names nobody', async () => {
  const { page, errors } = await pages.open();
  await page.evaluate((p) => window.kit.mount('baton-post', { post: p, mine: true }), post());
  const article = page.locator('baton-post article');
  assert.equal(await article.getAttribute('aria-label'), 'Post by Amira');
  assert.equal(await page.locator('baton-post bdi.name').textContent(), 'Amira');
  assert.match((await page.locator('baton-post .badge').textContent())!, /signed by\s*QUJDREVG · you/);
  assert.equal(await page.locator('baton-post time').getAttribute('datetime'), new Date(Date.UTC(2026, 3, 2, 9, 30)).toISOString());

  await page.evaluate((p) => window.kit.set({ post: p, mine: false }), post({ verified: false, name: 'Amira the admin' }));
  assert.equal(await article.getAttribute('aria-label'), 'Unverified post');
  const shown = await page.evaluate(() => window.kit.text(window.kit.el()));
  assert.match(shown, /Unknown author/);
  assert.match(shown, /⚠ unverified/);
  assert.ok(!shown.includes('Amira the admin'), 'the claimed name of an unverified post is not shown');
  assert.deepEqual(errors, []);
});

test.skipIf(noChromium)('a name first used by another key is flagged with both keys', async () => {
  const { page } = await pages.open();
  await page.evaluate(([p, first]) => window.kit.mount('baton-post', { post: p, nameCheck: { clash: true, firstKey: first } }), [post({ name: 'Layla' }), OTHER] as const);
  assert.equal(await page.locator('baton-post article').getAttribute('class'), 'clash');
  assert.equal(await page.locator('baton-post article').getAttribute('aria-label'), 'Post by another Layla, not the one who posted before');
  const note = await page.locator('baton-post [role=note]').textContent();
  assert.match(note!.replace(/\s+/g, ' '), /Not the Layla who posted before: that was the key enl4d3Z1, this is QUJDREVG/);
});

test.skipIf(noChromium)('reply and quote buttons fire their events; delivery marks show how far a post got', async () => {
  const { page } = await pages.open();
  await page.evaluate((p) => {
    window.kit.listen('baton-reply', 'baton-show-post');
    return window.kit.mount('baton-post', { post: p, canReply: true, replyTarget: { id: 'p0', name: 'Bo', excerpt: 'Which relays work?' }, delivery: { reached: 0, of: 2 } });
  }, post({ replyTo: 'p0' }));
  await page.locator('baton-post').getByRole('button', { name: /in reply to Bo: Which relays work\?/ }).click();
  // By keyboard: Tab from the quote reaches Reply.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => window.kit.focused()?.textContent), 'Reply');
  await page.keyboard.press('Enter');
  assert.deepEqual(await page.evaluate(() => window.kit.events.map((e) => [e.type, e.detail, e.composed])), [
    ['baton-show-post', { postId: 'p0' }, true],
    ['baton-reply', { postId: 'p1' }, true],
  ]);
  const delivery = page.locator('baton-post [data-delivery]');
  assert.deepEqual([await delivery.getAttribute('class'), await delivery.textContent()], ['delivery small warn', 'queued']);
  await page.evaluate(() => window.kit.set({ delivery: { reached: 1, of: 2 } }));
  assert.deepEqual([await delivery.getAttribute('class'), await delivery.textContent()], ['delivery small muted', 'reached 1 of 2 relays']);
  await page.evaluate(() => window.kit.set({ delivery: { reached: 2, of: 2 } }));
  assert.deepEqual([await delivery.getAttribute('class'), await delivery.textContent()], ['delivery small ok', 'reached 2 of 2 relays']);

  await page.evaluate(() => window.kit.set({ canReply: false, replyTarget: null, delivery: null }));
  assert.equal(await page.locator('baton-post').getByRole('button', { name: 'Reply', exact: true }).count(), 0, 'no Reply without write access');
  assert.match(await page.evaluate(() => window.kit.text(window.kit.el())), /in reply to a post not yet here/);
  assert.equal(await delivery.count(), 0);
});

test.skipIf(noChromium)('an impossible time says so', async () => {
  const { page, errors } = await pages.open();
  await page.evaluate((p) => window.kit.mount('baton-post', { post: p }), post({ ts: Number.NaN }));
  assert.match(await page.evaluate(() => window.kit.text(window.kit.el())), /at an impossible time/);
  assert.equal(await page.locator('baton-post time').count(), 0);
  assert.deepEqual(errors, []);
});

test.skipIf(noChromium)('hostile names and bodies stay text, isolated, inside the post at 360 px', async () => {
  const { page } = await pages.open({ viewport: { width: 360, height: 640 } });
  const { markup, rtl, long } = await page.evaluate(() => window.kit.hostile);
  for (const name of [markup, rtl, long]) {
    await page.evaluate(
      ([p, target]) => window.kit.mount('baton-post', { post: p, canReply: true, replyTarget: target, nameCheck: { clash: true, firstKey: p.author } }),
      [post({ name, body: `${markup} ${rtl} ${long}`, replyTo: 'p0' }), { id: 'p0', name, excerpt: markup }] as const,
    );
    const shown = await page.evaluate(() => window.kit.text(window.kit.el()));
    assert.ok(shown.includes(name.replace(/[\u202a-\u202e]/g, '')), 'the name is shown as text');
    assert.ok(!/[\u202a-\u202e]/.test(shown), 'no bidi override reaches the page');
    assert.deepEqual(await page.evaluate(() => window.kit.markupFound()), []);
    const overflow = await page.evaluate(() => {
      const article = window.kit.el().shadowRoot!.querySelector('article')!;
      return { article: window.kit.overflows(article), page: window.kit.overflows(document.documentElement), width: article.getBoundingClientRect().width };
    });
    assert.deepEqual({ article: overflow.article, page: overflow.page }, { article: false, page: false }, `no sideways overflow (article ${overflow.width}px wide)`);
    assert.ok(await page.locator('baton-post bdi.name').count() === 1, 'the name is isolated in a <bdi>');
  }
});
