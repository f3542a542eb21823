// The loading screen on a slow link: before the first script has arrived, index.html's own
// inline script (client/web/l10n/boot.ts) shows it in the reader's language, with `lang` and
// `dir` set, allowed by the relay's CSP through its hash; when the app arrives the page stays
// in that language (never English in between). Without JavaScript, the `<noscript>` line is
// there in every language. The first script is held back by the browser so the loading screen
// stays long enough to look at; screenshots at 360 px, light and dark, go to
// $TMPDIR/baton-locale-shots/.
import { beforeAll, test } from 'vitest';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page, Route } from 'playwright-core';
import { root, useRelayAndBrowser, watchErrors } from './harness.ts';

const env = useRelayAndBrowser();
const { missing } = env;
const SHOTS = join(tmpdir(), 'baton-locale-shots');
const catalog = (locale: string): Record<string, string> => JSON.parse(readFileSync(join(root, 'client/l10n/web', `${locale}.json`), 'utf8'));

beforeAll(async () => {
  if (missing) return;
  mkdirSync(SHOTS, { recursive: true });
});

/** The first script (index.html's module script), held until `release` is called. */
async function holdFirstScript(page: Page): Promise<{ release: () => Promise<void> }> {
  const html = await (await fetch(`${env.relay.url}/`)).text();
  const entry = /<script type="module"[^>]*src="\.\/([^"]+)"/.exec(html)![1]!;
  const held: Route[] = [];
  let released = false;
  await page.route(`**/${entry}`, (route) => (released ? route.continue() : void held.push(route)));
  return {
    release: async () => {
      released = true;
      await Promise.all(held.map((r) => r.continue()));
    },
  };
}

/** Opens the page and waits until index.html is parsed: the first script, held, has not run (DOMContentLoaded waits for it). */
async function openParsed(page: Page, url: string, reload = false): Promise<void> {
  if (reload) await page.reload({ waitUntil: 'commit' });
  else await page.goto(url, { waitUntil: 'commit' });
  await page.waitForFunction(() => document.readyState !== 'loading');
}

/** Records every value the page's lang takes, and any CSP refusal, from before the first byte. */
async function watchPage(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const w = window as unknown as { langs: string[]; refused: string[] };
    w.langs = [];
    w.refused = [];
    addEventListener('securitypolicyviolation', (e) => w.refused.push(`${e.violatedDirective}: ${e.blockedURI}`));
    // The document, not its root element, which the parser has not made yet.
    new MutationObserver((records) => {
      for (const r of records) if (r.target === document.documentElement) w.langs.push(document.documentElement.lang);
    }).observe(document, { attributes: true, subtree: true, attributeFilter: ['lang'] });
  });
}

const pageState = (page: Page) =>
  page.evaluate(() => {
    const w = window as unknown as { langs: string[]; refused: string[] };
    const status = document.getElementById('boot-status');
    return { lang: document.documentElement.lang, dir: document.documentElement.dir, status: status?.textContent ?? null, langs: w.langs, refused: w.refused };
  });

const CASES = [
  { browser: 'fa-IR', locale: 'fa', dir: 'rtl' },
  { browser: 'ru-RU', locale: 'ru', dir: 'ltr' },
] as const;

for (const c of CASES) {
  test.skipIf(missing)(`${c.locale}: the loading screen is in its words and direction before the first script arrives, and stays so when it does`, { timeout: 90_000 }, async () => {
    const words = catalog(c.locale);
    for (const scheme of ['light', 'dark'] as const) {
      const context = await env.browser.newContext({ viewport: { width: 360, height: 640 }, colorScheme: scheme, locale: c.browser });
      await watchPage(context);
      const page = await context.newPage();
      const errors = watchErrors(page);
      const first = await holdFirstScript(page);
      await openParsed(page, `${env.relay.url}/#baton:board:held-back`);
      // The app's element has not been defined: this is index.html alone.
      assert.equal(await page.evaluate(() => customElements.get('baton-app') === undefined), true);
      const before = await pageState(page);
      assert.deepEqual({ lang: before.lang, dir: before.dir, status: before.status }, { lang: c.locale, dir: c.dir, status: words['boot.openingBoard'] });
      assert.deepEqual(before.refused, [], 'the CSP allows the boot script');
      const bar = (await page.locator('.boot-bar').boundingBox())!;
      assert.ok(bar.width > 0 && bar.x >= 0 && bar.x + bar.width <= 360, 'the loading bar fits the screen');
      await page.screenshot({ path: join(SHOTS, `boot-${c.locale}-360-${scheme}.png`) });

      await page.evaluate(() => (location.hash = ''));
      await first.release();
      await page.getByRole('heading', { level: 1, name: words['start.title'] }).waitFor({ timeout: 20_000 });
      const after = await pageState(page);
      assert.equal(after.lang, c.locale);
      assert.deepEqual([...new Set(after.langs)], [c.locale], 'never English in between');
      assert.deepEqual(after.refused, []);
      assert.deepEqual(errors, []);
      await context.close();
    }
  });
}

test.skipIf(missing)('a language chosen on this device decides the loading screen too, over the browser’s', { timeout: 60_000 }, async () => {
  const context = await env.browser.newContext({ viewport: { width: 360, height: 640 }, locale: 'fa-IR' });
  const page = await context.newPage();
  await page.goto(`${env.relay.url}/`);
  await page.evaluate(() => localStorage.setItem('baton:locale', 'uk'));
  await holdFirstScript(page);
  await openParsed(page, `${env.relay.url}/`, true);
  const state = await page.evaluate(() => ({ lang: document.documentElement.lang, dir: document.documentElement.dir, status: document.getElementById('boot-status')?.textContent }));
  assert.deepEqual(state, { lang: 'uk', dir: 'ltr', status: catalog('uk')['boot.loading'] });
  await context.close();
});

test.skipIf(missing)('without JavaScript, the page says why in every language, each marked with its own', async () => {
  const context = await env.browser.newContext({ viewport: { width: 360, height: 640 }, javaScriptEnabled: false, locale: 'fa-IR' });
  const page = await context.newPage();
  await page.goto(`${env.relay.url}/`);
  for (const [locale, dir] of [['fa', 'rtl'], ['ar', 'rtl'], ['ru', 'ltr'], ['en', 'ltr']] as const) {
    const line = page.locator(`noscript p[lang="${locale}"]`);
    assert.equal(await line.textContent(), catalog(locale)['boot.noscript']);
    assert.equal(await line.getAttribute('dir'), dir);
    assert.equal(await line.isVisible(), true, locale);
  }
  assert.equal(await page.locator('#boot-status').isVisible(), false, 'no loading screen that waits for ever');
  await page.screenshot({ path: join(SHOTS, 'noscript-360.png'), fullPage: true });
  await context.close();
});
