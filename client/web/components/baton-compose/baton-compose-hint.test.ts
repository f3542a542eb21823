// <baton-compose>'s hint line in Chromium: "Ctrl+Enter posts" shows where there is a keyboard
// and room for it, not on a touch screen or a phone-wide one; the characters-left count always.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { componentPages, noChromium } from '#test/e2e/components.ts';
import { MAX_POST_BODY_CHARS } from '#shared/limits.ts';

const pages = componentPages(['./client/web/components/baton-compose/baton-compose.ts']);

const mountCompose = () => window.kit.mount('baton-compose', { threadId: 'thread-1', local: window.kit.local(), placeholder: 'Say something', describe: (id: string) => id });

for (const [what, options, shown] of [
  ['a desktop with a mouse', { viewport: { width: 1280, height: 800 } }, true],
  ['a phone-wide window', { viewport: { width: 360, height: 640 } }, false],
  ['a touch screen', { viewport: { width: 1024, height: 768 }, hasTouch: true, isMobile: true }, false],
] as const) {
  test.skipIf(noChromium)(`on ${what} the shortcut hint is ${shown ? 'shown' : 'hidden'}`, async () => {
    const { page } = await pages.open(options);
    await page.evaluate(mountCompose);
    const hint = page.locator('baton-compose').getByText('Ctrl+Enter posts');
    assert.equal(await hint.isVisible(), shown);
    await page.locator('baton-compose').getByRole('textbox', { name: 'Message' }).fill('x'.repeat(MAX_POST_BODY_CHARS - 20));
    assert.equal(await page.locator('baton-compose').getByText('20 characters left').isVisible(), true, 'the count shows everywhere');
  });
}
