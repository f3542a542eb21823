// <baton-share> in Chromium: the share dialog's links for each access level (each parses
// back to the same space at that level), copy, QR codes, and a dialog run by keyboard.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { accessLevel, initSodium, parseCapabilityOrLink } from '#shared';
import { componentPages, noChromium } from '#test/e2e/components.ts';

await initSodium();
const pages = componentPages(['./client/web/components/baton-share/baton-share.ts']);

/** Mounts the dialog for a new board, opened at `level` by a second device. */
const mountShare = async (level: 'write' | 'read' | 'mirror') => {
  const { kit } = window;
  const { board, caps } = await kit.core.boards.createBoard(kit.offlineClient('Amira'), { title: 'Relay watch', relays: [] });
  const space = level === 'write' ? board : await kit.offlineClient('Bo').open(caps[level]);
  await kit.mount('baton-share', { space, linkBase: 'https://relay.example.org' });
  return board.spaceId;
};

const links = (page: import('playwright-core').Page) =>
  page.evaluate(() => window.kit.deepAll('textarea').map((t) => ({ label: (t as HTMLTextAreaElement).labels![0]!.textContent, text: (t as HTMLTextAreaElement).value })));

test.skipIf(noChromium)('a writer gets write, read and mirror links, each the same board at its level', async () => {
  const { page, errors } = await pages.open();
  const spaceId = await page.evaluate(mountShare, 'write' as const);
  const shown = await links(page);
  assert.deepEqual(shown.map((l) => l.label), ['Write link', 'Read link', 'Mirror capability']);
  assert.ok(shown[0]!.text.startsWith('https://relay.example.org/#baton:board:'), shown[0]!.text);
  assert.ok(shown[2]!.text.startsWith('baton:board:'), 'a mirror capability is not a web link');
  for (const [i, level] of (['write', 'read', 'mirror'] as const).entries()) {
    const cap = parseCapabilityOrLink(shown[i]!.text);
    assert.deepEqual([cap.spaceId, cap.kind, accessLevel(cap)], [spaceId, 'board', level]);
  }
  const warnings = await page.evaluate(() => window.kit.deepAll('.warning').map((w) => w.textContent));
  assert.match(warnings[0]!, /can read every thread of this board, post/);
  assert.match(warnings[2]!, /reveals nothing that is written/);
  assert.deepEqual(errors, []);
});

test.skipIf(noChromium)('a reader can pass on read and mirror links only; a mirror only its capability', async () => {
  const { page } = await pages.open();
  await page.evaluate(mountShare, 'read' as const);
  assert.deepEqual((await links(page)).map((l) => [l.label, accessLevel(parseCapabilityOrLink(l.text))]), [['Read link', 'read'], ['Mirror capability', 'mirror']]);
  await page.evaluate(mountShare, 'mirror' as const);
  assert.deepEqual((await links(page)).map((l) => [l.label, accessLevel(parseCapabilityOrLink(l.text))]), [['Mirror capability', 'mirror']]);
});

test.skipIf(noChromium)('by keyboard: Share opens a modal dialog, Copy puts the link on the clipboard, Escape closes', async () => {
  const { page } = await pages.open({ permissions: ['clipboard-read', 'clipboard-write'] });
  await page.evaluate(mountShare, 'write' as const);
  const dialog = page.locator('baton-share dialog');
  assert.equal(await dialog.isVisible(), false);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => window.kit.focused()?.textContent), 'Share');
  await page.keyboard.press('Enter');
  assert.equal(await dialog.evaluate((d: HTMLDialogElement) => d.open && d.matches(':modal')), true);
  assert.ok(await page.evaluate(() => window.kit.focused()?.closest('dialog') !== null), 'focus moved into the dialog');
  const read = (await links(page))[1]!.text;
  await page.locator('baton-share').getByRole('button', { name: 'Copy read link' }).click();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), read);
  assert.match((await page.locator('baton-share [role=status]').allTextContents()).join('|'), /^\|Copied\|$/);
  const qr = page.locator('baton-share').getByRole('img', { name: 'QR code of the read link' });
  assert.equal(await qr.isVisible(), false, 'QR codes wait behind their disclosure');
  await page.locator('baton-share summary').nth(1).click();
  assert.equal(await qr.isVisible(), true);
  await page.keyboard.press('Escape');
  assert.equal(await dialog.evaluate((d: HTMLDialogElement) => d.open), false);
  await page.locator('baton-share').getByRole('button', { name: 'Share' }).click();
  await page.locator('baton-share').getByRole('button', { name: 'Close' }).click();
  assert.equal(await dialog.evaluate((d: HTMLDialogElement) => d.open), false);
});
