// <baton-guide> in Chromium: three screens read by keyboard, each saying its part in plain
// words (the link is the key, relays cannot read and a blocked one is worked around, what a
// seized device gives away), skippable from any screen, with no serious axe violation.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { componentPages, noChromium } from '#test/e2e/components.ts';

const pages = componentPages(['./client/web/components/baton-guide/baton-guide.ts']);
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

test.skipIf(noChromium)('three screens by keyboard, in plain words, and done at the end', async () => {
  const { page, errors } = await pages.open({ bypassCSP: true });
  await page.evaluate(() => (window.kit.listen('baton-guide-done'), window.kit.mount('baton-guide')));
  const guide = page.locator('baton-guide');
  const seen: string[] = [];
  for (const [i, title] of ['The link is the key', 'Relays carry it but cannot read it', 'If someone takes your device'].entries()) {
    await guide.getByRole('heading', { name: title }).waitFor();
    assert.match((await guide.locator('p').first().textContent())!, new RegExp(`${i + 1} of 3`));
    seen.push((await guide.locator('ul').textContent())!);
    if (i < 2) {
      await guide.getByRole('button', { name: 'Next' }).focus();
      await page.keyboard.press('Enter');
      assert.equal(await page.evaluate(() => window.kit.focused()?.tagName), 'H2', 'the reader is put at the new screen’s heading');
    }
  }
  const words = seen.join(' ');
  for (const said of [/whoever has the link can read/, /write link also lets them post/, /cannot be taken back/, /scrambled text they cannot read/, /open the same link on another relay/, /paste the link there/, /passphrase in Settings/])
    assert.match(words, said);
  assert.doesNotMatch(words, /capabilit|blob|space id|ciphertext|encrypt/i, 'plain words only');
  await guide.getByRole('button', { name: 'Back' }).click();
  await guide.getByRole('heading', { name: 'Relays carry it but cannot read it' }).waitFor();
  await guide.getByRole('button', { name: 'Next' }).click();
  await page.evaluate(() => {
    document.title = 'Guide'; // the test page's own, which axe asks of any document
    document.documentElement.lang = 'en';
  });
  await page.addScriptTag({ path: AXE });
  const serious = (await page.evaluate(`axe.run(document).then((r) => r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id))`)) as string[];
  assert.deepEqual(serious, []);
  await guide.getByRole('button', { name: 'Done' }).click();
  assert.deepEqual(await page.evaluate(() => window.kit.events.map((e) => [e.type, e.bubbles, e.composed])), [['baton-guide-done', true, true]]);
  assert.deepEqual(errors, []);
});

test.skipIf(noChromium)('Skip ends it from the first screen', async () => {
  const { page } = await pages.open();
  await page.evaluate(() => (window.kit.listen('baton-guide-done'), window.kit.mount('baton-guide')));
  await page.locator('baton-guide').getByRole('button', { name: 'Skip' }).click();
  assert.deepEqual(await page.evaluate(() => window.kit.events.map((e) => e.type)), ['baton-guide-done']);
});
