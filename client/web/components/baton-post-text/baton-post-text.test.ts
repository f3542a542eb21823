// <baton-post-text> in Chromium: links and hashtags out of plain text, and text that never
// becomes markup.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { componentPages, noChromium } from '#test/e2e/components.ts';

const pages = componentPages(['./client/web/components/baton-post-text/baton-post-text.ts']);

test.skipIf(noChromium)('http(s) links open in a new tab without an opener; other schemes stay text', async () => {
  const { page, errors } = await pages.open();
  await page.evaluate(() => window.kit.mount('baton-post-text', { text: 'See https://example.org/relays, or javascript:alert(1) and data:text/html,<b>x</b> (http://example.net/a).' }));
  const links = await page.evaluate(() => window.kit.deepAll('a').map((a) => ({ href: a.getAttribute('href'), target: a.getAttribute('target'), rel: a.getAttribute('rel'), text: a.textContent })));
  assert.deepEqual(links, [
    { href: 'https://example.org/relays', target: '_blank', rel: 'noopener noreferrer', text: 'https://example.org/relays' },
    { href: 'http://example.net/a', target: '_blank', rel: 'noopener noreferrer', text: 'http://example.net/a' },
  ]);
  const shown = await page.evaluate(() => window.kit.text(window.kit.el()));
  assert.ok(shown.includes('javascript:alert(1)') && shown.includes('data:text/html,<b>x</b>'), shown);
  assert.deepEqual(await page.evaluate(() => window.kit.markupFound()), []);
  assert.deepEqual(errors, []);
});

test.skipIf(noChromium)('a hashtag is a button, reached by keyboard, that fires baton-tag lower-cased', async () => {
  const { page } = await pages.open();
  await page.evaluate(() => {
    window.kit.listen('baton-tag');
    return window.kit.mount('baton-post-text', { text: 'Mirrors for #RelayActivism and #Relay_2 tonight' });
  });
  const tags = page.locator('baton-post-text').getByRole('button');
  assert.deepEqual(await tags.allTextContents(), ['#RelayActivism', '#Relay_2']);
  assert.equal(await tags.first().getAttribute('title'), 'Show posts with #RelayActivism');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => window.kit.focused()?.textContent), '#RelayActivism');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Space');
  const seen = await page.evaluate(() => window.kit.events);
  assert.deepEqual(seen, [
    { type: 'baton-tag', detail: { tag: 'relayactivism' }, bubbles: true, composed: true },
    { type: 'baton-tag', detail: { tag: 'relay_2' }, bubbles: true, composed: true },
  ]);
});

test.skipIf(noChromium)('markup-looking text shows as text, bidi overrides are dropped, long words wrap', async () => {
  const { page } = await pages.open({ viewport: { width: 360, height: 640 } });
  const { markup, rtl, long } = await page.evaluate(() => window.kit.hostile);
  await page.evaluate((text) => window.kit.mount('baton-post-text', { text }), `${markup} ${rtl} ${long}`);
  const shown = await page.evaluate(() => window.kit.text(window.kit.el()));
  assert.ok(shown.includes(markup), 'the markup is shown literally');
  assert.ok(!/[\u202a-\u202e]/.test(shown), 'no embedding or override survives');
  assert.ok(shown.includes('exe.live') && shown.includes(long));
  assert.deepEqual(await page.evaluate(() => window.kit.markupFound()), []);
  assert.equal(await page.evaluate(() => window.kit.el().shadowRoot!.querySelector('div')!.getAttribute('dir')), 'auto');
  assert.equal(await page.evaluate(() => window.kit.overflows(document.documentElement)), false, 'the page does not scroll sideways');
});

test.skipIf(noChromium)('a new text replaces the old one', async () => {
  const { page } = await pages.open();
  await page.evaluate(() => window.kit.mount('baton-post-text', { text: 'first #one' }));
  await page.evaluate(() => window.kit.set({ text: 'second' }));
  assert.equal(await page.evaluate(() => window.kit.text(window.kit.el())), 'second');
  assert.equal(await page.locator('baton-post-text').getByRole('button').count(), 0);
});
