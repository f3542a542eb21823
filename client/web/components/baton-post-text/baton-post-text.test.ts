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

test.skipIf(noChromium)('a safe subset of Markdown becomes elements, never markup made from text', async () => {
  const { page, errors } = await pages.open({ viewport: { width: 360, height: 640 } });
  const body = [
    '**Relay B** is *up* again, run `npx baton relay --mirror`',
    '',
    '> ليلى: **المرحّل ب** يعمل',
    '',
    '- first [the list](https://example.org/relays)',
    '- [click](javascript:alert(1)) and [\u202eexe.live](https://evil.example/x)',
    '',
    '2. two',
    '3. three',
    '',
    '```',
    '<b>not markup</b> **not bold**',
    '```',
  ].join('\n');
  await page.evaluate((text) => window.kit.mount('baton-post-text', { text }), body);
  const seen = await page.evaluate(() => {
    const root = window.kit.el().shadowRoot!;
    const tags = (sel: string) => [...root.querySelectorAll(sel)].map((e) => e.textContent);
    return {
      strong: tags('strong'),
      em: tags('em'),
      code: tags('p code'),
      quote: tags('blockquote'),
      bullets: tags('ul > li').length,
      ordered: root.querySelector('ol')?.getAttribute('start'),
      pre: tags('pre'),
      links: [...root.querySelectorAll('a')].map((a) => ({ href: a.getAttribute('href'), rel: a.getAttribute('rel'), text: a.textContent })),
    };
  });
  assert.deepEqual(seen.strong, ['Relay B', 'المرحّل ب']);
  assert.deepEqual(seen.em, ['up']);
  assert.deepEqual(seen.code, ['npx baton relay --mirror']);
  assert.match(seen.quote[0]!, /ليلى/);
  assert.equal(seen.bullets, 2);
  assert.equal(seen.ordered, '2');
  assert.deepEqual(seen.pre, ['<b>not markup</b> **not bold**']);
  assert.deepEqual(seen.links, [
    { href: 'https://example.org/relays', rel: 'noopener noreferrer', text: 'the list (example.org)' },
    { href: 'https://evil.example/x', rel: 'noopener noreferrer', text: 'exe.live (evil.example)' },
  ]);
  const shown = await page.evaluate(() => window.kit.text(window.kit.el()));
  assert.ok(shown.includes('[click](javascript:alert(1))'), 'a javascript: link stays text');
  assert.ok(!/[\u202a-\u202e]/.test(shown));
  assert.deepEqual(await page.evaluate(() => window.kit.markupFound()), []);
  assert.equal(await page.evaluate(() => window.kit.overflows(document.documentElement)), false);
  assert.deepEqual(errors, []);
});

test.skipIf(noChromium)('nesting bombs and a huge body render in bounded time', async () => {
  const { page } = await pages.open();
  const ms = await page.evaluate(async () => {
    const bomb = `${'> '.repeat(5000)}${'*a **b _c __d '.repeat(4000)}\n${'- x\n'.repeat(2000)}${'`'.repeat(3000)}`;
    const start = performance.now();
    await window.kit.mount('baton-post-text', { text: bomb });
    return performance.now() - start;
  });
  assert.ok(ms < 5000, `${ms.toFixed(0)} ms`);
  const depth = await page.evaluate(() => {
    let d = 0;
    let el: Element | null = window.kit.el().shadowRoot!.querySelector('blockquote');
    while (el) {
      d++;
      el = el.querySelector(':scope > blockquote');
    }
    return d;
  });
  assert.equal(depth, 4, 'quotes nest four deep at most');
});
