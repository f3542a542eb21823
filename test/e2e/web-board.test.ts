// Two people in two browser profiles on one loopback relay: a board, a thread, the write
// link handed over, posts and replies seen live both ways, the summary edited together.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { artifacts, seedLines, shot, useRelayAndBrowser, watchErrors } from './harness.ts';

// Skipped, with one line from the global setup, where chromium is missing.
const env = useRelayAndBrowser();
const { missing } = env;

async function person(name: string): Promise<{ page: Page; errors: string[] }> {
  const context = await env.browser.newContext({ viewport: { width: 1200, height: 860 } });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${env.relay.url}/`);
  await page.getByRole('textbox', { name: 'Display name' }).fill(name);
  await page.getByRole('button', { name: 'Save name' }).click();
  await page.getByText(`Posting as ${name}`).waitFor();
  return { page, errors };
}

test.skipIf(missing)('two people share a board through its write link and talk live', { timeout: 90_000 }, async () => {
  const [first, second, third] = seedLines(3);
  const amira = await person('Amira');
  const a = amira.page;
  await shot(a, 'start');

  await a.getByRole('textbox', { name: 'Board title' }).fill('Keeping the relays up');
  await a.getByRole('button', { name: 'Create board' }).click();
  await a.getByRole('heading', { name: 'Keeping the relays up' }).waitFor();
  await a.getByText('up to date').first().waitFor();

  // By keyboard alone: type the title, Tab to the button (its focus ring shows), Enter.
  await a.getByRole('textbox', { name: 'Thread title' }).focus();
  await a.keyboard.type('Mirrors for the spring campaign');
  await a.keyboard.press('Tab');
  assert.equal(await a.evaluate(() => (document.querySelector('baton-app')?.shadowRoot?.querySelector('baton-board')?.shadowRoot?.activeElement as HTMLElement | null)?.textContent?.trim()), 'New thread');
  await shot(a, 'keyboard-focus', false);
  await a.keyboard.press('Enter');
  await a.getByRole('heading', { name: 'Mirrors for the spring campaign' }).waitFor();

  const opening = `${first} See https://example.org/relays #RelayActivism`;
  await a.getByRole('textbox', { name: 'Message' }).fill(opening);
  await a.getByRole('button', { name: 'Post' }).click();
  await a.getByText('reached 1 of 1 relays').waitFor({ timeout: 15_000 });
  assert.equal(await a.getByRole('textbox', { name: 'Message' }).inputValue(), '', 'the box empties once the post is stored');
  const link = a.getByRole('link', { name: 'https://example.org/relays' });
  assert.equal(await link.getAttribute('rel'), 'noopener noreferrer');

  // The board's share dialog hands out the write link.
  await a.getByRole('link', { name: /Keeping the relays up/ }).click();
  await a.getByRole('heading', { name: 'Keeping the relays up' }).waitFor();
  await a.getByText('1 post').waitFor();
  await shot(a, 'board');
  await a.getByRole('button', { name: 'Share' }).click();
  assert.match(await a.getByRole('textbox', { name: 'Read link' }).inputValue(), /^http:\/\/127\.0\.0\.1:\d+\/#baton:board:[^:]+:[^:?]+\?/);
  await a.getByRole('button', { name: 'Show the write link' }).click();
  // The whole share text: the link on the board's relay, the link without a relay, a sentence.
  const writeLink = await a.getByRole('textbox', { name: 'Write link' }).inputValue();
  assert.match(writeLink, /^http:\/\/127\.0\.0\.1:\d+\/#baton:board:.*\nbaton:board:.*\n\nIf a relay is blocked/);
  await a.getByText('QR code').nth(1).click();
  await a.getByRole('img', { name: 'QR code of the write link' }).waitFor();
  await shot(a, 'share-dialog', false);
  await a.getByRole('button', { name: 'Close' }).click();

  // The second person opens the write link and posts a reply.
  const noor = await person('Noor');
  const b = noor.page;
  await b.getByRole('textbox', { name: 'Link', exact: true }).fill(writeLink);
  await b.getByRole('button', { name: 'Open' }).click();
  await b.getByRole('heading', { name: 'Keeping the relays up' }).waitFor({ timeout: 15_000 });
  await b.getByRole('link', { name: /Mirrors for the spring campaign/ }).click();
  await b.getByText(first!.slice(0, 40)).waitFor({ timeout: 15_000 });
  await a.getByRole('link', { name: /Mirrors for the spring campaign/ }).click();
  await a.getByRole('heading', { name: 'Mirrors for the spring campaign' }).waitFor();

  await b.getByRole('button', { name: 'Reply' }).first().click();
  await b.getByRole('textbox', { name: 'Message' }).fill(second!);
  await b.getByRole('button', { name: 'Post' }).click();
  await b.getByText('reached 1 of 1 relays').waitFor({ timeout: 15_000 });
  // Amira sees it live, as a verified reply by Noor.
  const reply = a.locator('baton-post', { hasText: second!.slice(0, 40) });
  await reply.waitFor({ timeout: 15_000 });
  const header = await reply.locator('header').innerText();
  assert.match(header, /Noor/);
  assert.match(header, /signed by [A-Za-z0-9_-]{8}/);
  assert.doesNotMatch(header, /Not the/);
  assert.match(await reply.locator('.quote').innerText(), /in reply to Amira/);

  // And Noor sees Amira's next post live.
  await a.getByRole('textbox', { name: 'Message' }).fill(third!);
  await a.getByRole('button', { name: 'Post' }).click();
  await b.getByText(third!.slice(0, 40)).waitFor({ timeout: 15_000 });

  // A right-to-left post reads right to left.
  const rtl = 'المرحلات تبقي النقاش حيا رغم الحجب #حرية';
  await b.getByRole('textbox', { name: 'Message' }).fill(rtl);
  await b.getByRole('button', { name: 'Post' }).click();
  const shown = a.getByText('المرحلات تبقي النقاش حيا');
  await shown.waitFor({ timeout: 15_000 });
  assert.equal(await shown.evaluate((el) => getComputedStyle(el).direction), 'rtl');

  // Hashtags filter the posts.
  await a.getByRole('group', { name: 'Filter by hashtag' }).getByRole('button', { name: '#relayactivism' }).click();
  assert.equal(await a.locator('baton-post').count(), 1);
  await a.getByRole('button', { name: 'Show all' }).click();
  assert.equal(await a.locator('baton-post').count(), 4);
  await shot(a, 'thread');
  await a.getByText('المرحلات').scrollIntoViewIfNeeded();
  await shot(a, 'rtl-post', false);

  // The summary, edited together: each sees the other's words, and a caret stays put.
  const summaryA = a.getByRole('textbox', { name: 'Story so far' });
  const summaryB = b.getByRole('textbox', { name: 'Story so far' });
  await summaryA.click();
  await summaryA.pressSequentially('Three relays agreed to mirror the board.');
  await waitForValue(summaryB, 'Three relays agreed to mirror the board.');
  await summaryA.press('End');
  await summaryB.click();
  await summaryB.press('Home');
  await summaryB.pressSequentially('Update: ');
  const merged = 'Update: Three relays agreed to mirror the board.';
  await waitForValue(summaryA, merged);
  const caret = await summaryA.evaluate((el) => (el as HTMLTextAreaElement).selectionStart);
  assert.equal(caret, merged.length, "a remote insert before the caret moves it along, it does not jump");

  // Phone width: nothing overflows sideways.
  await a.setViewportSize({ width: 360, height: 760 });
  await a.waitForTimeout(200);
  await shot(a, 'phone-thread');
  assert.ok((await a.evaluate(() => document.documentElement.scrollWidth)) <= 360, 'no horizontal scrolling at 360 px');
  await a.getByRole('link', { name: /Keeping the relays up/ }).click();
  await a.getByRole('heading', { name: 'Keeping the relays up' }).waitFor();
  assert.ok((await a.evaluate(() => document.documentElement.scrollWidth)) <= 360);
  await shot(a, 'phone-board');
  await a.getByRole('button', { name: 'Share' }).click();
  await a.getByRole('textbox', { name: 'Read link' }).waitFor();
  await shot(a, 'phone-share', false);
  await a.getByRole('button', { name: 'Close' }).click();

  // "Add relay" writes to the board's relay map, signed by Amira. Nothing listens on the
  // discard port, so it shows as not answering.
  await a.setViewportSize({ width: 1200, height: 860 });
  const dead = 'http://127.0.0.1:9';
  await a.getByRole('textbox', { name: 'Relay URL' }).fill(dead);
  await a.getByRole('button', { name: 'Add relay' }).click();
  await a.locator('#relays li', { hasText: dead }).locator('[data-state="unreachable"]').waitFor({ timeout: 20_000 });
  await a.locator('#relays').screenshot({ path: `${artifacts}/relays-panel.png` });
  // A loopback address from the board's list is dialled only by whoever chose it: Amira's
  // client tries it, Noor's leaves it alone (docs/THREAT_MODEL.md, relay lists).
  await a.waitForTimeout(1000);
  await b.getByText(/Relays \(1 of 1 up to date\)/).waitFor({ timeout: 15_000 });

  await a.emulateMedia({ colorScheme: 'dark' });
  await a.getByRole('link', { name: /Mirrors for the spring campaign/ }).click();
  await a.getByRole('heading', { name: 'Mirrors for the spring campaign' }).waitFor();
  await shot(a, 'dark-thread');

  assert.deepEqual(amira.errors, []);
  assert.deepEqual(noor.errors, []);
});

async function waitForValue(box: ReturnType<Page['getByRole']>, value: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const now = await box.inputValue();
    if (now === value) return;
    if (Date.now() > deadline) assert.equal(now, value);
    await new Promise((r) => setTimeout(r, 100));
  }
}
