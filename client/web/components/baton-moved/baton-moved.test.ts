// <baton-moved> in Chromium: an invitation that does not open says why in the reader's
// language, from the move state's problem code, never the client core's English problem.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { componentPages, noChromium } from '#test/e2e/components.ts';
import { root } from '#test/e2e/harness.ts';

const pages = componentPages(['./client/web/components/baton-moved/baton-moved.ts', './client/web/components/baton-language/baton-language.ts']);
const catalog = (locale: string): Record<string, string> => JSON.parse(readFileSync(`${root}/client/l10n/web/${locale}.json`, 'utf8'));

const CASES = [
  ['wrong-key', 'moved.inviteWrongKey'],
  ['fake-successor', 'moved.inviteOtherBoard'],
  ['bad-invite', 'moved.inviteDamaged'],
] as const;

test.skipIf(noChromium)('in Persian, each reason an invitation does not open is the catalog’s, with no English in it', async () => {
  const { page, errors } = await pages.open();
  await page.evaluate(() => window.kit.mount('baton-language'));
  await page.locator('baton-language select').selectOption('fa');
  await page.waitForFunction(() => document.documentElement.lang === 'fa');
  const words = catalog('fa');
  for (const [code, id] of CASES) {
    await page.evaluate((problemCode) => {
      for (const el of document.querySelectorAll('baton-moved')) el.remove();
      const el = document.createElement('baton-moved');
      const state = { moved: true, to: 'B'.repeat(43), at: Date.UTC(2026, 3, 2), by: 'C'.repeat(43), removed: [], invited: false, successor: null, problem: 'the invite for your key is damaged', problemCode, refused: [] };
      Object.assign(el, { state, boardId: 'A'.repeat(43), boardTitle: 'Board' });
      document.body.append(el);
    }, code);
    const warning = page.locator('baton-moved p.warning');
    await warning.waitFor();
    const text = (await warning.innerText()).trim();
    assert.equal(text, words['moved.badInvite']!.replace('{problem}', words[id]!), code);
    assert.doesNotMatch(text, /[A-Za-z]/, `${code}: no English`);
  }
  assert.deepEqual(errors, []);
});
