// The app's notices as the built client shows them, light and dark: an error notice (an alert)
// and a plain one must be readable against their own background (axe-core's contrast rule).
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { axeViolations, useRelayAndBrowser, watchErrors } from './harness.ts';

const env = useRelayAndBrowser();
const { missing } = env;

for (const scheme of ['light', 'dark'] as const) {
  test.skipIf(missing)(`notices read against their background (${scheme})`, { timeout: 60_000 }, async () => {
    // bypassCSP: axe-core is injected as a script tag, which the app's policy refuses.
    const context = await env.browser.newContext({ viewport: { width: 360, height: 740 }, colorScheme: scheme, bypassCSP: true });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(`${env.relay.url}/`);
    await page.locator('baton-start').waitFor({ timeout: 20_000 });
    // What a screen sends when an action is refused, and when one went through.
    await page.evaluate(() => {
      const main = document.querySelector('baton-app')!.shadowRoot!.querySelector('main')!;
      for (const [message, kind] of [['Not deleted: the relay refused it', 'error'], ['Your post is edited.', 'info']]) main.dispatchEvent(new CustomEvent('baton-notice', { detail: { message, kind }, bubbles: true, composed: true }));
    });
    await page.getByRole('alert').filter({ hasText: 'Not deleted' }).waitFor();
    await page.getByRole('status').filter({ hasText: 'Your post is edited.' }).waitFor();
    const found = (await axeViolations(page, { rules: ['color-contrast'] })).flatMap((v) => v.nodes.map((n) => `${n.target}: ${n.summary}`));
    assert.deepEqual(found, []);
    assert.deepEqual(errors, []);
    await context.close();
  });
}
