// <baton-language> in Chromium: every language named in itself (and marked as that language
// for screen readers); a choice sets lang and dir on the page, shows the words, and is kept.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { componentPages, noChromium } from '#test/e2e/components.ts';
import { LOCALES } from '#client-web/l10n/locales.ts';

const pages = componentPages(['./client/web/components/baton-language/baton-language.ts']);

test.skipIf(noChromium)('the languages are listed by their own names; a choice turns the page and is remembered', async () => {
  const { page, errors } = await pages.open();
  await page.evaluate(() => window.kit.mount('baton-language'));
  const select = page.getByRole('combobox', { name: 'Language' });
  const options = await select.locator('option').evaluateAll((os) => os.map((o) => [o.getAttribute('value'), o.getAttribute('lang'), o.textContent]));
  assert.deepEqual(options, LOCALES.map((l) => [l.code, l.code, l.name]));
  assert.equal(await select.inputValue(), 'en');

  await select.selectOption('ar');
  await page.waitForFunction(() => document.documentElement.lang === 'ar' && document.documentElement.dir === 'rtl');
  // Its own label is now in Arabic, with the English beside it for whoever cannot read that.
  await page.getByRole('combobox', { name: 'اللغة (Language)' }).waitFor();
  assert.equal(await page.evaluate(() => localStorage.getItem('baton:locale')), 'ar');
  assert.deepEqual(errors, []);
});
