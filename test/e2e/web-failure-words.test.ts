// A refused action says why in the reader's language, never in the client core's English: in
// Persian and Arabic, saving an edit that changes nothing is refused, and the notice is the
// catalog's "Not edited" with the catalog's reason, with no Latin word in it. Screenshots of the
// notice at 360 and 1280 px, light and dark, go to the system's temporary directory.
import { afterAll, beforeAll, test } from 'vitest';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateIdentity, initSodium } from '#shared';
import { BatonClient } from '#client-core/client.ts';
import { MemoryStore } from '#client-core/store.ts';
import { createBoard, createThread } from '#client-core/boards.ts';
import { NodeWS } from '../integration/client-fixtures.ts';
import { delivered, root, useRelayAndBrowser, watchErrors } from './harness.ts';

const env = useRelayAndBrowser();
const { missing } = env;
const SHOTS = join(tmpdir(), 'baton-failure-shots');
const catalog = (locale: string): Record<string, string> => JSON.parse(readFileSync(join(root, 'client/l10n/web', `${locale}.json`), 'utf8'));

let client: BatonClient;
let boardLink = '';

beforeAll(async () => {
  if (missing) return;
  await initSodium();
  client = new BatonClient({ store: new MemoryStore(), identity: generateIdentity(), name: 'Amira', connection: { WebSocket: NodeWS }, batchMs: 10 });
  const made = await createBoard(client, { title: 'Neighbourhood', relays: [env.relay.url] });
  const { thread } = await createThread(client, made.board, { title: 'Water points', body: 'The pump on Elm Street works again.' });
  await delivered([made.board, thread], 15_000);
  boardLink = made.caps.write;
});

afterAll(async () => {
  await client?.close();
});

const CASES = [
  { browser: 'fa-IR', locale: 'fa', width: 1280, scheme: 'light' },
  { browser: 'fa-IR', locale: 'fa', width: 360, scheme: 'dark' },
  { browser: 'ar-EG', locale: 'ar', width: 360, scheme: 'light' },
  { browser: 'ar-EG', locale: 'ar', width: 1280, scheme: 'dark' },
] as const;

test.skipIf(missing)('an edit refused in Persian and Arabic: the reason is in the catalog’s words, not the core’s English', { timeout: 180_000 }, async () => {
  mkdirSync(SHOTS, { recursive: true });
  for (const c of CASES) {
    const words = catalog(c.locale);
    const context = await env.browser.newContext({ viewport: { width: c.width, height: 800 }, colorScheme: c.scheme, locale: c.browser });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(`${env.relay.url}/#${boardLink}`);
    await page.waitForFunction((l) => document.documentElement.lang === l && document.documentElement.dir === 'rtl', c.locale);
    await page.getByRole('link', { name: /Water points/ }).click({ timeout: 20_000 });
    const body = `Bottles at the school, ${c.locale} ${c.width}.`;
    await page.getByRole('textbox', { name: words['compose.message'] }).fill(body);
    await page.getByRole('button', { name: words['compose.post'], exact: true }).click();
    const mine = page.locator('baton-post', { hasText: body });
    await mine.waitFor();
    // Saving the text as it was: the core refuses the edit.
    await mine.getByRole('button', { name: words['postActions.editName'] }).click();
    await mine.getByRole('button', { name: words['postActions.saveEdit'] }).click();
    const notice = page.locator('baton-app .notices .notice span').filter({ hasText: words['thread.notEdited']! });
    await notice.waitFor({ timeout: 10_000 });
    const text = await notice.innerText();
    assert.equal(text, `${words['thread.notEdited']}: ${words['failure.unchanged']}`, c.locale);
    assert.doesNotMatch(text, /[A-Za-z]/, `${c.locale}: no English in the notice`);
    await page.screenshot({ path: join(SHOTS, `edit-refused-${c.locale}-${c.width}-${c.scheme}.png`) });
    assert.deepEqual(errors, [], c.locale);
    await context.close();
  }
});

test.skipIf(missing)('a relay address refused in Arabic and Persian: the form says why in the catalog’s words', { timeout: 120_000 }, async () => {
  for (const c of [CASES[0], CASES[2]]) {
    const words = catalog(c.locale);
    const context = await env.browser.newContext({ viewport: { width: c.width, height: 800 }, colorScheme: c.scheme, locale: c.browser });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(`${env.relay.url}/#${boardLink}`);
    await page.waitForFunction((l) => document.documentElement.lang === l, c.locale);
    const panel = page.locator('baton-relays');
    // A URL the browser's own check lets through but Baton's relay rules refuse.
    await panel.getByRole('textbox', { name: words['relays.url'] }).fill('ftp://relay.example.org');
    await panel.getByRole('button', { name: words['relays.add'], exact: true }).click();
    const alert = panel.getByRole('alert');
    await alert.waitFor({ timeout: 10_000 });
    await alert.scrollIntoViewIfNeeded();
    assert.equal(await alert.innerText(), words['failure.badRelay'], c.locale);
    assert.doesNotMatch((await alert.innerText()).replace(/https?:\/\//g, ''), /[A-Za-z]/, `${c.locale}: no English beyond the address schemes`);
    await page.screenshot({ path: join(SHOTS, `relay-refused-${c.locale}-${c.width}-${c.scheme}.png`) });
    assert.deepEqual(errors, [], c.locale);
    await context.close();
  }
});
