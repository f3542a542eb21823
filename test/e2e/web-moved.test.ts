// Removing a member in the web client: the owner picks a member who posted, confirms, and is
// shown the successor's links; a member who posted sees "This board moved" and follows to the
// successor, where the carried posts show as signed; a reader who never posted (as the removed
// member would) sees that the board moved without them. Screenshots at 360 and 1280 px, light
// and dark, each checked with axe-core.
import { afterAll, beforeAll, test } from 'vitest';
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import { formatCapability, generateIdentity, initSodium, parseCapability, parseCapabilityOrLink } from '#shared';
import { BatonClient, MemoryStore, boards, moveState } from '#client-core';
import { NodeWS, until } from '../integration/client-fixtures.ts';
import { axeSerious, delivered, shot, useRelayAndBrowser, watchErrors } from './harness.ts';

const env = useRelayAndBrowser();
const { missing } = env;

let mallory: BatonClient;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  if (missing) return;
  await initSodium();
  mallory = new BatonClient({ store: new MemoryStore(), identity: generateIdentity(), name: 'Mallory', connection: { WebSocket: NodeWS } });
});

afterAll(async () => {
  await mallory?.close();
  for (const c of contexts) await c.close().catch(() => {});
});

async function person(name: string, o: { width?: number; scheme?: 'light' | 'dark' } = {}): Promise<{ page: Page; errors: string[] }> {
  // bypassCSP: axe-core is injected as a script tag, which the app's policy refuses.
  const context = await env.browser.newContext({ viewport: { width: o.width ?? 1280, height: 900 }, colorScheme: o.scheme ?? 'light', bypassCSP: true });
  contexts.push(context);
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${env.relay.url}/`);
  await page.getByRole('textbox', { name: 'Display name' }).fill(name);
  await page.getByRole('button', { name: 'Save name' }).click();
  await page.getByText(`Posting as ${name}`).waitFor();
  return { page, errors };
}

/** The link the address bar stands for: it shows a handle only this device knows (`#@…`). */
async function shownLink(page: Page): Promise<string> {
  const link = await page.evaluate(() => new Map(JSON.parse(localStorage.getItem('baton:handles') ?? '[]') as [string, string][]).get(location.hash.slice(2)));
  assert.ok(link?.startsWith('baton:'), `the address ${await page.evaluate(() => location.hash)} stands for a link`);
  return link!;
}

async function post(page: Page, body: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Message' }).fill(body);
  await page.getByRole('button', { name: 'Post' }).click();
  await page.locator('baton-post', { hasText: body }).waitFor({ timeout: 15_000 });
}

test.skipIf(missing)('the owner removes a member; a member follows the move; a reader sees it moved without them', { timeout: 240_000 }, async () => {
  const owner = await person('Amira');
  const a = owner.page;
  await a.getByRole('textbox', { name: 'Board title' }).fill('Neighbourhood watch');
  await a.getByRole('button', { name: 'Create board' }).click();
  await a.getByRole('heading', { name: 'Neighbourhood watch' }).waitFor();
  const writeCap = await shownLink(a);
  const cap = parseCapability(writeCap);
  const readCap = formatCapability(cap, 'read');
  await a.getByRole('textbox', { name: 'Thread title' }).fill('Street lights');
  await a.getByRole('button', { name: 'New thread' }).click();
  await a.getByRole('heading', { name: 'Street lights' }).waitFor();
  await post(a, 'Three are out on Elm Street.');

  // Bob posts from his own browser; Mallory from a device of her own; Carol only reads.
  const member = await person('Bob');
  const b = member.page;
  await b.goto(`${env.relay.url}/#${writeCap}`);
  await b.getByRole('link', { name: /Street lights/ }).click();
  await b.locator('baton-post', { hasText: 'Elm Street' }).waitFor({ timeout: 15_000 });
  await post(b, 'I called the city.');
  const mb = await mallory.open(writeCap);
  await until(() => mb.plain !== null && boards.listThreads(mb).length === 1, 15_000);
  const mt = await boards.openThread(mallory, mb, boards.listThreads(mb)[0]!.id);
  await until(() => boards.posts(mt).length === 2, 15_000);
  boards.post(mallory, mt, { body: 'Lights are a waste of money.' });
  await delivered([mt], 15_000);
  const reader = await person('Carol');
  const c = reader.page;
  await c.goto(`${env.relay.url}/#${readCap}`);
  await c.getByRole('heading', { name: 'Neighbourhood watch' }).waitFor({ timeout: 15_000 });

  // The owner removes Mallory: pick, confirm, and the new links.
  await a.getByRole('link', { name: /Neighbourhood watch/ }).click();
  await a.getByRole('heading', { name: 'Neighbourhood watch' }).waitFor();
  await a.getByRole('button', { name: 'Remove a member' }).click();
  const dialog = a.getByRole('dialog', { name: 'Remove a member' });
  await dialog.getByRole('radio', { name: /Mallory/ }).check({ timeout: 15_000 });
  await shot(a, 'remove-pick-1280-light', false);
  await dialog.getByRole('button', { name: 'Continue' }).click();
  await dialog.getByText(/cannot be undone/).waitFor();
  await shot(a, 'remove-confirm-1280-light', false);
  await dialog.getByRole('button', { name: 'Remove and move the board' }).click();
  await dialog
    .getByText(/The board moved\. Members who posted, invited to follow on their next visit: 2\./)
    .waitFor({ timeout: 30_000 })
    .catch(async (err: Error) => {
      throw new Error(`${err.message}\nthe dialog says: ${await dialog.innerText()}\npage errors: ${owner.errors.join('; ')}`);
    });
  const newRead = await dialog.getByRole('textbox', { name: 'New read link, for readers who never posted' }).inputValue();
  const successor = parseCapabilityOrLink(newRead);
  assert.ok(newRead.startsWith(`${env.relay.url}/#baton:board:`), newRead);
  assert.equal(successor.kind, 'board');
  assert.notEqual(successor.spaceId, cap.spaceId);
  assert.equal(successor.write, null, 'the read link holds no write key');
  await shot(a, 'remove-done-1280-light', false);
  await dialog.getByRole('button', { name: 'Open the new board' }).click();
  await a.getByRole('heading', { name: 'Neighbourhood watch' }).waitFor();
  assert.match(await shownLink(a), new RegExp(successor.spaceId));

  // Bob's next open shows the move, and takes him to the successor, where the posts are signed.
  await b.goto(`${env.relay.url}/#${writeCap}`);
  await b.getByRole('heading', { name: 'This board moved' }).waitFor({ timeout: 20_000 });
  await shot(b, 'moved-invited-1280-light');
  await b.getByRole('button', { name: 'Open the new board' }).click();
  await b.getByRole('heading', { name: 'Neighbourhood watch' }).waitFor({ timeout: 20_000 });
  assert.match(await shownLink(b), new RegExp(successor.spaceId));
  await b.getByRole('link', { name: /Street lights/ }).click();
  await b.locator('baton-post', { hasText: 'waste of money' }).waitFor({ timeout: 20_000 });
  const articles = await b.locator('baton-post article').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
  assert.deepEqual(articles, ['Post by Amira', 'Post by Bob', 'Post by Mallory'], 'carried posts keep their signatures');
  await post(b, 'Posted in the new board.');
  // The start screen lists the successor in place of the old board.
  await b.goto(`${env.relay.url}/#`);
  const known = b.getByRole('link', { name: 'Neighbourhood watch' });
  await known.first().waitFor({ timeout: 15_000 });
  const hrefs = await known.evaluateAll((els) => els.map((e) => e.getAttribute('href')));
  assert.equal(hrefs.length, 1, 'the old board is no longer listed');
  assert.match(hrefs[0]!, new RegExp(`^#baton:board:${successor.spaceId}:`));

  // Carol never posted: no invitation, so the board moved without her.
  await c.reload();
  await c.getByRole('heading', { name: 'This board moved without you' }).waitFor({ timeout: 20_000 });
  await shot(c, 'moved-without-you-1280-light');
  await c.getByRole('button', { name: 'Show the old board' }).click();
  await c.getByRole('heading', { name: 'Neighbourhood watch' }).waitFor();
  // Mallory's device sees the move and holds no invitation.
  await until(() => moveState(mb).moved, 15_000);
  const seen = moveState(mb);
  assert.ok(seen.moved && !seen.invited && seen.successor === null);
  assert.ok(!JSON.stringify(mb.plain!.toJSON()).includes('Posted in the new board'));

  // The screens at 360 and 1280 px, light and dark.
  const found: string[] = [];
  for (const width of [360, 1280]) {
    for (const scheme of ['light', 'dark'] as const) {
      const suffix = `${width}-${scheme}`;
      const p = (await person('Dana', { width, scheme })).page;
      await p.goto(`${env.relay.url}/#${readCap}`);
      await p.getByRole('heading', { name: 'This board moved without you' }).waitFor({ timeout: 20_000 });
      await shot(p, `moved-without-you-${suffix}`);
      for (const v of await axeSerious(p)) found.push(`moved ${suffix}: ${v}`);
      const o = (await person('Amira', { width, scheme })).page;
      await o.goto(newRead);
      await o.getByRole('heading', { name: 'Neighbourhood watch' }).waitFor({ timeout: 20_000 });
      await shot(o, `moved-successor-${suffix}`);
      for (const v of await axeSerious(o)) found.push(`successor ${suffix}: ${v}`);
      // The owner's remove dialog on the successor, at this size and scheme.
      await a.setViewportSize({ width, height: 900 });
      await a.emulateMedia({ colorScheme: scheme });
      await a.getByRole('button', { name: 'Remove a member' }).click();
      const d = a.getByRole('dialog', { name: 'Remove a member' });
      await d.getByRole('radio', { name: /Bob/ }).check({ timeout: 15_000 });
      await shot(a, `remove-pick-${suffix}`, false);
      await d.getByRole('button', { name: 'Continue' }).click();
      await d.getByText(/cannot be undone/).waitFor();
      await shot(a, `remove-confirm-${suffix}`, false);
      for (const v of await axeSerious(a)) found.push(`remove ${suffix}: ${v}`);
      await d.getByRole('button', { name: 'Close' }).click();
    }
  }
  assert.deepEqual(found, []);
  assert.deepEqual([...owner.errors, ...member.errors, ...reader.errors], []);
});
