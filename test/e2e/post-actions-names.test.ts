// A post's Edit, Delete, Hide and Safety code buttons in every language: the name a screen
// reader or voice control hears must contain the word on the button (axe-core's
// label-content-name-mismatch), so "say Delete" works whatever the interface language.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { componentPages, noChromium } from './components.ts';
import { axeViolations } from './harness.ts';
import { LOCALES } from '#client-web/l10n/locales.ts';

const pages = componentPages(['./client/web/components/baton-post/baton-post.ts', './client/web/components/baton-language/baton-language.ts']);

const post = (author: string) => ({ id: 'p1', author, name: 'Amira', ts: Date.UTC(2026, 3, 2, 9, 30), body: 'Relay B is fine.', replyTo: null, verified: true, deleted: false, edited: false, editedAt: null, history: [], tampered: false });

test.skipIf(noChromium)('every language: the buttons of a post say their visible word in their names', { timeout: 120_000 }, async () => {
  const { page, errors } = await pages.open();
  await page.evaluate(() => window.kit.mount('baton-language'));
  const language = page.locator('baton-language select');
  const problems: string[] = [];
  for (const { code } of LOCALES) {
    await language.selectOption(code);
    await page.waitForFunction((c) => document.documentElement.lang === c, code);
    // One's own post (edit, delete), and another's seen by a moderator (hide, safety code).
    await page.evaluate(([a, b]) => {
      for (const el of document.querySelectorAll('baton-post')) el.remove();
      for (const [p, mine] of [[a, true], [b, false]] as const) {
        const el = document.createElement('baton-post');
        Object.assign(el, { post: p, mine, canReply: true, canModerate: true });
        document.body.append(el);
      }
    }, [post('QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWY'), post('enl4d3Z1dHNycXBvbm1sa2ppaGdmZWRjYmFaWVhXVlU')]);
    await page.locator('baton-post-actions button[data-open=verify]').waitFor();
    for (const v of await axeViolations(page, { rules: ['label-content-name-mismatch'] })) for (const n of v.nodes) problems.push(`${code}: ${n.target}`);
    assert.equal(await page.locator('baton-post-actions button').count(), 4, code);
  }
  assert.deepEqual(problems, []);
  assert.deepEqual(errors, []);
});
