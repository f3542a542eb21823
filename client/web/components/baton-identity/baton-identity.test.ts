// <baton-identity> in Chromium, on a real session (IndexedDB): the display name saved and
// kept, a name refused with a reason, the identity key shown, hidden and imported.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { componentPages, noChromium } from '#test/e2e/components.ts';
import type { Session } from '../../lib/session.ts';

const pages = componentPages(['./client/web/components/baton-identity/baton-identity.ts']);

const mountIdentity = async () => {
  const session = await window.kit.session();
  window.kit.keep.session = session;
  window.kit.listen('baton-notice');
  await window.kit.mount('baton-identity', { session });
};

test.skipIf(noChromium)('by keyboard: a new display name is saved, announced, and kept for the next session', async () => {
  const { page, errors } = await pages.open();
  await page.evaluate(mountIdentity);
  const name = page.locator('baton-identity').getByRole('textbox', { name: 'Display name' });
  assert.equal(await name.inputValue(), 'anonymous');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => window.kit.focused()?.id), 'name');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('  Amira  ');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => window.kit.events.length > 0);
  assert.deepEqual(await page.evaluate(() => window.kit.events.map((e) => [e.type, e.detail])), [['baton-notice', { message: 'Your posts are now signed as “Amira”.' }]]);
  assert.equal(await page.evaluate(() => (window.kit.keep.session as Session).name), 'Amira');
  await page.reload();
  await page.waitForFunction(() => document.documentElement.dataset.ready === 'yes');
  await page.evaluate(mountIdentity);
  assert.equal(await name.inputValue(), 'Amira', 'kept in IndexedDB');
  assert.deepEqual(errors, []);
});

test.skipIf(noChromium)('a blank name is refused with a reason; a markup-looking one is kept as text', async () => {
  const { page } = await pages.open();
  await page.evaluate(mountIdentity);
  const identity = page.locator('baton-identity');
  await identity.getByRole('textbox', { name: 'Display name' }).fill('   ');
  await identity.getByRole('button', { name: 'Save name' }).click();
  assert.match((await identity.getByRole('alert').textContent())!, /^A name is 1 to \d+ characters\.$/);
  assert.equal(await page.evaluate(() => (window.kit.keep.session as Session).name), 'anonymous');
  const { markup } = await page.evaluate(() => window.kit.hostile);
  await identity.getByRole('textbox', { name: 'Display name' }).fill(markup.slice(0, 100));
  await identity.getByRole('button', { name: 'Save name' }).click();
  await page.waitForFunction(() => window.kit.events.length > 0);
  assert.equal(await page.evaluate(() => (window.kit.keep.session as Session).name), markup.slice(0, 100));
  assert.equal(await identity.getByRole('alert').count(), 0, 'the error is gone');
  assert.deepEqual(await page.evaluate(() => window.kit.markupFound()), []);
});

test.skipIf(noChromium)('the identity key shows on request, hides again, and an imported one replaces it after a reload', async () => {
  const { page } = await pages.open();
  await page.evaluate(mountIdentity);
  const identity = page.locator('baton-identity');
  await identity.locator('summary').click();
  assert.equal(await identity.getByRole('textbox', { name: 'Your identity key' }).count(), 0, 'hidden until asked for');
  await identity.getByRole('button', { name: 'Show my identity key' }).click();
  const key = await identity.getByRole('textbox', { name: 'Your identity key' }).inputValue();
  assert.equal(key, await page.evaluate(() => (window.kit.keep.session as Session).exportIdentity()));
  assert.match(key, /^baton-identity:v1:/);
  await identity.getByRole('button', { name: 'Hide key' }).click();
  assert.equal(await identity.getByRole('textbox', { name: 'Your identity key' }).count(), 0);

  await identity.getByRole('textbox', { name: 'Identity key to import' }).fill('baton-identity:v1:not-a-key');
  await identity.getByRole('button', { name: 'Import identity' }).click();
  await identity.getByRole('alert').waitFor();
  assert.match(await identity.getByRole('alert').innerText(), /This is not a Baton identity key/, 'the reason says what is wrong');
  assert.equal(await page.evaluate(() => (window.kit.keep.session as Session).exportIdentity()), key, 'a bad key changes nothing');

  const other = await page.evaluate(() => window.kit.shared.exportIdentity(window.kit.shared.generateIdentity()));
  await identity.getByRole('textbox', { name: 'Identity key to import' }).fill(other);
  await Promise.all([page.waitForEvent('load'), identity.getByRole('button', { name: 'Import identity' }).click()]);
  await page.waitForFunction(() => document.documentElement.dataset.ready === 'yes');
  await page.evaluate(mountIdentity);
  assert.equal(await page.evaluate(() => (window.kit.keep.session as Session).exportIdentity()), other);
});
