// The passphrase lock, the panic wipe and the duress passphrase in Chromium, against a real
// relay on loopback and the browser's real IndexedDB: after locking, a dump of everything the
// origin keeps (IndexedDB, localStorage, sessionStorage, caches) holds no capability, key,
// space id, title, post or draft in any encoding; the address bar and history never hold a
// capability; a wrong passphrase is refused with a growing wait; unlocking restores it all;
// the panic wipe and the duress passphrase leave nothing and show an empty start page.
import { beforeAll, test } from 'vitest';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { initSodium } from '#shared';
import { shot, useRelayAndBrowser, watchErrors } from './harness.ts';
import { dumpOrigin } from './lock-dump.ts';
import { findSecrets, secretsOfCapability, type Secret } from '../support/secret-search.ts';

const env = useRelayAndBrowser();
const { missing } = env;
const PASS = 'lanterns by the river';
const TITLE = 'Lanterns at the east gate';
const THREAD = 'Bakery plans';
const BODY = 'The meeting moved to the bakery on Tuesday';
const DRAFT = 'Draft: bring the long ladders';

beforeAll(async () => {
  await initSodium();
});

async function makeBoard(page: Page): Promise<void> {
  await page.goto(`${env.relay.url}/`);
  await page.getByRole('textbox', { name: 'Board title' }).fill(TITLE);
  await page.getByRole('button', { name: 'Create board' }).click();
  await page.getByRole('textbox', { name: 'Thread title' }).fill(THREAD);
  await page.getByRole('button', { name: 'New thread' }).click();
  await page.getByRole('heading', { name: THREAD }).waitFor();
  await page.getByRole('textbox', { name: 'Message' }).fill(BODY);
  await page.getByRole('button', { name: 'Post' }).click();
  await page.getByText('reached 1 of 1 relays').waitFor({ timeout: 15_000 });
  await page.getByRole('textbox', { name: 'Message' }).fill(DRAFT);
}

/** The capabilities this device remembers (read while it is not locked). */
async function knownCaps(page: Page): Promise<string[]> {
  return page.evaluate(() => (JSON.parse(localStorage.getItem('baton:spaces') ?? '[]') as { cap: string }[]).map((s) => s.cap));
}

async function secretsOf(page: Page): Promise<Secret[]> {
  const caps = await knownCaps(page);
  assert.ok(caps.length >= 1, `the board is remembered (${caps.length})`);
  return [
    ...caps.flatMap((c, i) => secretsOfCapability(`space ${i}`, c)),
    { what: 'board title', value: TITLE },
    { what: 'thread title', value: THREAD },
    { what: 'post text', value: BODY },
    { what: 'draft', value: DRAFT },
  ];
}

async function unlock(page: Page, passphrase: string): Promise<void> {
  await page.getByRole('heading', { name: 'Baton is locked' }).waitFor({ timeout: 15_000 });
  await page.getByLabel('Passphrase').fill(passphrase);
  await page.getByRole('button', { name: 'Unlock' }).click();
}

async function setPassphrase(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'Safety' }).click();
  await page.getByRole('heading', { name: 'Lock with a passphrase' }).waitFor();
  await page.getByLabel('Passphrase', { exact: true }).fill(PASS);
  await page.getByLabel('The same again').fill(PASS);
  await page.getByRole('button', { name: 'Set passphrase and lock' }).click();
  await page.getByRole('heading', { name: 'Baton is locked' }).waitFor({ timeout: 20_000 });
}

test.skipIf(missing)('locked, the origin keeps nothing readable; the passphrase restores it all; wrong ones wait longer each time', { timeout: 150_000 }, async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await makeBoard(page);
  assert.doesNotMatch(page.url(), /baton(:|%3A)/i, 'the address bar holds no capability');
  assert.match(page.url(), /#@[\w-]{16}$/);
  assert.deepEqual(await page.evaluate(() => history.length > 0 && !/baton(:|%3A)/i.test(location.href)), true);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 15_000 });
  const secrets = await secretsOf(page);
  const before = await dumpOrigin(page);
  assert.ok(findSecrets(before.bytes, secrets).length >= 5, 'unlocked, the dump finds them (so the search works)');

  await setPassphrase(page);
  await shot(page, 'lock-unlock-1280-light');
  const locked = await dumpOrigin(page);
  assert.deepEqual(findSecrets(locked.bytes, secrets), [], 'nothing readable once locked');
  assert.ok(!locked.databases.some((d) => d === 'baton' || d.startsWith('baton:')), `no clear database left: ${locked.databases.join(', ')}`);
  assert.ok(locked.databases.some((d) => d.startsWith('baton-s:')), 'the sealed rooms are there');
  assert.deepEqual(locked.localKeys.filter((k) => k.startsWith('baton:')).sort(), ['baton:lock'], `only the lock record in clear: ${locked.localKeys.join(', ')}`);
  assert.ok(locked.caches.length > 0, 'the app shell is cached (and was searched)');
  assert.equal(await page.locator('baton-start').count(), 0, 'locked, only the unlock screen shows');

  // Wrong passphrases: refused in plain words, each making the next attempt wait longer.
  await unlock(page, 'lanterns by the sea');
  await page.getByRole('alert').filter({ hasText: 'Wrong passphrase.' }).waitFor({ timeout: 15_000 });
  await page.getByRole('button', { name: /Wait [1] s/ }).waitFor();
  await page.getByRole('button', { name: 'Unlock' }).waitFor({ timeout: 5000 });
  await page.getByLabel('Passphrase').fill('lanterns by the lake');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await page.getByRole('alert').filter({ hasText: 'Wrong passphrase (2 times in a row)' }).waitFor({ timeout: 15_000 });
  await page.getByRole('button', { name: /Wait [12] s/ }).waitFor();
  assert.equal(await page.evaluate(() => JSON.parse(localStorage.getItem('baton:lock')!).fails), 2);
  await shot(page, 'lock-unlock-wrong');
  // A reload does not reset the wait: it is kept with the lock.
  await page.reload();
  await page.getByRole('alert').filter({ hasText: '2 times in a row' }).waitFor();

  const t0 = Date.now();
  await unlock(page, PASS);
  await page.getByRole('heading', { name: 'On this device' }).waitFor({ timeout: 20_000 });
  console.log(`# unlock (Argon2id in the page, after the wait) took ${Date.now() - t0} ms`);
  await page.getByRole('link', { name: TITLE }).click();
  await page.getByRole('link', { name: THREAD }).click();
  await page.getByText(BODY).waitFor({ timeout: 15_000 });
  assert.equal(await page.getByRole('textbox', { name: 'Message' }).inputValue(), DRAFT, 'the draft is back');
  assert.doesNotMatch(page.url(), /baton(:|%3A)/i);
  const unlocked = await dumpOrigin(page);
  assert.deepEqual(findSecrets(unlocked.bytes, secrets), [], 'unlocked and in use, the stores still hold only sealed data');

  // The safety screen, unlocked; then the idle lock, set short, locks by itself.
  await page.getByRole('link', { name: 'Safety' }).click();
  await page.getByRole('heading', { name: 'Duress passphrase' }).waitFor();
  await shot(page, 'lock-settings-1280-light');
  await page.evaluate(() => localStorage.setItem('baton:lock-settings', JSON.stringify({ idleMinutes: 0.05, hiddenMinutes: 5 })));
  await page.goto(`${env.relay.url}/`);
  await unlock(page, PASS);
  await page.getByRole('heading', { name: 'On this device' }).waitFor({ timeout: 20_000 });
  await page.getByRole('heading', { name: 'Baton is locked' }).waitFor({ timeout: 20_000 });
  assert.deepEqual(errors, []);
  await context.close();
});

test.skipIf(missing)('the panic wipe and the duress passphrase leave every store empty and an empty start page', { timeout: 150_000 }, async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await makeBoard(page);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 15_000 });
  const secrets = await secretsOf(page);
  // Another tab of the app follows what this one does.
  const other = await context.newPage();
  await other.goto(`${env.relay.url}/`);
  await other.getByRole('heading', { name: 'On this device' }).waitFor();
  const otherReloaded = other.waitForEvent('load');

  // The shortcut, from a thread screen, with nothing locked.
  // The fresh page is asked for once the wipe is done: that moment is what is timed.
  const t0 = Date.now();
  const asked = page.waitForRequest((r) => r.isNavigationRequest());
  const reloaded = page.waitForEvent('load');
  await page.keyboard.press('Control+Alt+Shift+KeyX');
  await asked;
  const wipeMs = Date.now() - t0;
  await reloaded;
  console.log(`# panic wipe, from the key press to the request for the fresh start page: ${wipeMs} ms; loaded after ${Date.now() - t0} ms`);
  assert.ok(wipeMs < 1000, `under a second (${wipeMs} ms)`);
  await page.getByRole('heading', { name: 'On this device' }).waitFor();
  assert.equal(await page.locator('baton-start').getByRole('link', { name: TITLE }).count(), 0, 'the start page shows no board');
  const wiped = await dumpOrigin(page);
  assert.deepEqual(findSecrets(wiped.bytes, secrets), []);
  assert.deepEqual(wiped.databases.filter((d) => d !== 'baton'), [], `only the fresh page's empty index: ${wiped.databases.join(', ')}`);
  assert.ok(!wiped.localKeys.includes('baton:spaces'));
  await otherReloaded;
  assert.equal(await other.locator('baton-start').getByRole('link', { name: TITLE }).count(), 0, 'the other tab shows no board either');

  // The duress passphrase: typed at the unlock screen, it wipes instead of opening.
  await makeBoard(page);
  const secrets2 = await secretsOf(page);
  await setPassphrase(page);
  await other.getByRole('heading', { name: 'Baton is locked' }).waitFor({ timeout: 15_000 });
  await other.close();
  await unlock(page, PASS);
  await page.getByRole('heading', { name: 'On this device' }).waitFor({ timeout: 20_000 });
  await page.getByRole('link', { name: 'Safety' }).click();
  await page.getByLabel('Current passphrase').nth(1).fill(PASS);
  await page.getByLabel('Duress passphrase').fill('the tide is out');
  await page.getByRole('button', { name: 'Save duress passphrase' }).click();
  await page.getByText('The duress passphrase is set').waitFor({ timeout: 15_000 });
  await page.getByRole('button', { name: 'Lock', exact: true }).click();
  await unlock(page, 'the tide is out');
  await page.getByRole('heading', { name: 'Create a board' }).waitFor({ timeout: 20_000 });
  assert.equal(await page.locator('baton-start').getByRole('link', { name: TITLE }).count(), 0);
  const afterDuress = await dumpOrigin(page);
  assert.deepEqual(findSecrets(afterDuress.bytes, secrets2), []);
  assert.ok(!afterDuress.localKeys.includes('baton:lock') && !afterDuress.databases.some((d) => d.startsWith('baton-s')), 'no lock, no sealed data: an ordinary empty app');
  assert.deepEqual(errors, []);
  await context.close();
});

test.skipIf(missing)('the unlock screen and the safety screen at 360 and 1280 px, light and dark; a changed passphrase', { timeout: 120_000 }, async () => {
  for (const colorScheme of ['light', 'dark'] as const) {
    const context = await env.browser.newContext({ viewport: { width: 360, height: 780 }, colorScheme });
    const page = await context.newPage();
    await page.goto(`${env.relay.url}/#safety`);
    await page.getByRole('heading', { name: 'Lock with a passphrase' }).waitFor();
    await shot(page, `lock-settings-clear-360-${colorScheme}`);
    await page.getByLabel('Passphrase', { exact: true }).fill(PASS);
    await page.getByLabel('The same again').fill(PASS);
    await page.getByRole('button', { name: 'Set passphrase and lock' }).click();
    await page.getByRole('heading', { name: 'Baton is locked' }).waitFor({ timeout: 20_000 });
    await shot(page, `lock-unlock-360-${colorScheme}`);
    await page.setViewportSize({ width: 1280, height: 900 });
    await shot(page, `lock-unlock-1280-${colorScheme}`);
    const t0 = Date.now();
    await unlock(page, PASS);
    await page.getByRole('heading', { name: 'On this device' }).waitFor({ timeout: 20_000 });
    console.log(`# unlock with no wait (loading Argon2id, one derivation, opening the session): ${Date.now() - t0} ms`);
    await page.getByRole('link', { name: 'Safety' }).click();
    await page.getByRole('heading', { name: 'Duress passphrase' }).waitFor();
    await shot(page, `lock-settings-1280-${colorScheme}`);
    await page.setViewportSize({ width: 360, height: 780 });
    await shot(page, `lock-settings-360-${colorScheme}`);
    if (colorScheme === 'light') {
      // A new passphrase: the old one no longer opens, the new one does.
      await page.getByLabel('Current passphrase').first().fill(PASS);
      await page.getByLabel('New passphrase').fill('a new way to the sea');
      await page.getByLabel('The same again').fill('a new way to the sea');
      await page.getByRole('button', { name: 'Change passphrase' }).click();
      await page.getByText('The passphrase is changed.').waitFor({ timeout: 15_000 });
      await page.getByRole('button', { name: 'Lock now' }).click();
      await unlock(page, PASS);
      await page.getByRole('alert').filter({ hasText: 'Wrong passphrase.' }).waitFor({ timeout: 15_000 });
      await page.getByRole('button', { name: 'Unlock' }).waitFor({ timeout: 5000 });
      await page.getByLabel('Passphrase').fill('a new way to the sea');
      await page.getByRole('button', { name: 'Unlock' }).click();
      // Back where it was locked.
      await page.getByRole('heading', { name: 'Duress passphrase' }).waitFor({ timeout: 20_000 });
      assert.match(page.url(), /#safety$/);
    }
    await context.close();
  }
});
