// <baton-share> in Chromium: the read link first, the write link only after a deliberate step
// past its warning, each on every relay of the space and without a relay (each parses back to
// the same space at that level), the mirror command `baton relay --mirror` takes as it is,
// copy, QR codes, a dialog run by keyboard, and no serious axe violation.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { accessLevel, initSodium, parseCapabilityOrLink } from '#shared';
import { parseMirrorArg } from '#server/peering/peering.ts';
import { componentPages, noChromium } from '#test/e2e/components.ts';

await initSodium();
const pages = componentPages(['./client/web/components/baton-share/baton-share.ts']);
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** Mounts the dialog for a new board on two relays, opened at `level` by a second device, and opens it unless told not to. */
const mountShare = async (arg: 'write' | 'read' | 'mirror' | { level: 'write'; open: false }) => {
  const { kit } = window;
  const level = typeof arg === 'string' ? arg : arg.level;
  const open = typeof arg === 'string';
  const { board, caps } = await kit.core.boards.createBoard(kit.offlineClient('Amira'), { title: 'Relay watch', relays: ['https://relay.example.org', 'https://other.example.net/baton'] });
  const space = level === 'write' ? board : await kit.offlineClient('Bo').open(caps[level]);
  const el = await kit.mount<import('./baton-share.ts').BatonShare>('baton-share', { space, linkBase: 'https://relay.example.org' });
  if (open) el.open();
  await el.updateComplete;
  return board.spaceId;
};

type Page = import('playwright-core').Page;
const fields = (page: Page) =>
  page.evaluate(() => window.kit.deepAll('textarea').map((t) => ({ label: (t as HTMLTextAreaElement).labels![0]!.textContent, text: (t as HTMLTextAreaElement).value })));
const headings = (page: Page) => page.evaluate(() => window.kit.deepAll('section > label, section > h3').map((h) => h.textContent));

/** The lines of a share text that are links: every relay's, then the one without a relay. */
const linkLines = (text: string) => text.split('\n').filter((l) => l.includes('baton:'));

test.skipIf(noChromium)('a writer sees the read link first and gets the write link only by asking, past its warning', async () => {
  const { page, errors } = await pages.open();
  const spaceId = await page.evaluate(mountShare, 'write' as const);
  assert.deepEqual(await headings(page), ['Read link', 'Write link', 'Mirror command']);
  assert.deepEqual((await fields(page)).map((f) => f.label), ['Read link', 'Mirror command'], 'no write link on the page yet');
  const share = page.locator('baton-share');
  assert.match((await share.locator('section.write .warning').textContent())!, /can read every thread of this board, post/);
  await share.getByRole('button', { name: 'Show the write link' }).click();
  assert.equal(await page.evaluate(() => window.kit.focused()?.id), 'link-write', 'focus goes to the link just shown');
  const shown = await fields(page);
  assert.deepEqual(shown.map((f) => f.label), ['Read link', 'Write link', 'Mirror command']);
  for (const [i, level] of (['read', 'write'] as const).entries()) {
    const lines = linkLines(shown[i]!.text);
    assert.deepEqual(lines.map((l) => l.split('#')[0]), ['https://relay.example.org/', 'https://other.example.net/baton/', `baton:board:${spaceId}${lines[2]!.slice(`baton:board:${spaceId}`.length)}`]);
    assert.ok(lines[2]!.startsWith('baton:board:'), 'the last is the link without a relay');
    for (const line of lines) assert.deepEqual([parseCapabilityOrLink(line).spaceId, accessLevel(parseCapabilityOrLink(line))], [spaceId, level], line);
    assert.match(shown[i]!.text, /If a relay is blocked, the same link works on any other relay of this board/);
  }
  const said = await page.evaluate(() => window.kit.text(window.kit.el()));
  assert.equal(said.split('the link without a relay opens it from the start page of any Baton relay').length, 2, 'said once, in plain words');
  assert.deepEqual(errors, []);
});

test.skipIf(noChromium)('the mirror command is what `baton relay --mirror` takes, from every relay of the board', async () => {
  const { page } = await pages.open();
  const spaceId = await page.evaluate(mountShare, 'mirror' as const);
  const shown = await fields(page);
  assert.deepEqual(shown.map((f) => f.label), ['Mirror command'], 'a mirror can pass on only the mirror command');
  const m = /^npx baton relay --mirror '([^']*)'$/.exec(shown[0]!.text);
  assert.ok(m, shown[0]!.text);
  const specs = parseMirrorArg(m[1]!);
  assert.deepEqual(specs.map((s) => s.relay), ['https://relay.example.org', 'https://other.example.net/baton']);
  assert.equal(accessLevel(parseCapabilityOrLink(specs[0]!.capability)), 'mirror');
  assert.equal(parseCapabilityOrLink(specs[0]!.capability).spaceId, spaceId);
  await page.evaluate(mountShare, 'read' as const);
  assert.deepEqual((await fields(page)).map((f) => f.label), ['Read link', 'Mirror command']);
  assert.equal(await page.locator('baton-share').getByRole('button', { name: 'Show the write link' }).count(), 0, 'a reader has no write link to show');
});

test.skipIf(noChromium)('by keyboard: Share opens a modal dialog, Copy puts the share text on the clipboard, Escape closes', async () => {
  const { page } = await pages.open({ permissions: ['clipboard-read', 'clipboard-write'] });
  await page.evaluate(mountShare, { level: 'write', open: false } as const);
  const dialog = page.locator('baton-share dialog');
  assert.equal(await dialog.isVisible(), false);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => window.kit.focused()?.textContent), 'Share');
  await page.keyboard.press('Enter');
  assert.equal(await dialog.evaluate((d: HTMLDialogElement) => d.open && d.matches(':modal')), true);
  assert.ok(await page.evaluate(() => window.kit.focused()?.closest('dialog') !== null), 'focus moved into the dialog');
  assert.equal(await page.locator('baton-share').getByRole('button', { name: 'Show the write link' }).count(), 1, 'opened again, the write link is hidden again');
  const read = (await fields(page))[0]!.text;
  await page.locator('baton-share').getByRole('button', { name: 'Copy read link' }).click();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), read);
  assert.match((await page.locator('baton-share [role=status]').allTextContents()).join('|'), /^Copied\|$/);
  const qr = page.locator('baton-share').getByRole('img', { name: 'QR code of the read link' });
  assert.equal(await qr.isVisible(), false, 'QR codes wait behind their disclosure');
  await page.locator('baton-share summary').first().click();
  assert.equal(await qr.isVisible(), true);
  await page.keyboard.press('Escape');
  assert.equal(await dialog.evaluate((d: HTMLDialogElement) => d.open), false);
  await page.locator('baton-share').getByRole('button', { name: 'Share' }).click();
  await page.locator('baton-share').getByRole('button', { name: 'Close' }).click();
  assert.equal(await dialog.evaluate((d: HTMLDialogElement) => d.open), false);
});

for (const [width, scheme] of [[360, 'dark'], [1280, 'light']] as const) {
  test.skipIf(noChromium)(`at ${width} px, ${scheme}: nothing wider than the screen, no serious axe violation`, async () => {
    const { page } = await pages.open({ viewport: { width, height: 800 }, colorScheme: scheme });
    await page.evaluate(mountShare, 'write' as const);
    await page.locator('baton-share').getByRole('button', { name: 'Show the write link' }).click();
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth), 'no sideways scrolling');
    await page.evaluate(() => {
      document.title = 'Share';
      document.documentElement.lang = 'en';
    });
    await page.addScriptTag({ path: AXE });
    const violations = (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id + ': ' + v.help))`)) as string[];
    assert.deepEqual(violations, []);
  });
}
