import { test } from 'vitest';
import assert from 'node:assert/strict';
import { excerpt, hashtags, safeHref, segmentText, withoutOverrides } from './text.ts';

test('links become link segments without trailing punctuation', () => {
  const s = segmentText('See https://example.org/a?b=1. Then (http://x.test/y).');
  assert.deepEqual(
    s.map((p) => p.type),
    ['text', 'link', 'text', 'link', 'text'],
  );
  assert.equal(s[1]!.type === 'link' && s[1]!.href, 'https://example.org/a?b=1');
  assert.equal(s[3]!.text, 'http://x.test/y');
  assert.equal(s.map((p) => p.text).join(''), 'See https://example.org/a?b=1. Then (http://x.test/y).');
});

test('only http(s) URLs are ever links', () => {
  assert.equal(safeHref('javascript:alert(1)'), null);
  assert.equal(safeHref('data:text/html,<b>x</b>'), null);
  assert.ok(segmentText('javascript:alert(1) <script>x</script>').every((p) => p.type === 'text'));
});

test('hashtags in any script, not inside words or URLs', () => {
  const text = 'Relays up #RelayActivism and #حرية, mail a#b, https://x.test/#frag';
  assert.deepEqual(hashtags(text), ['relayactivism', 'حرية']);
  assert.equal(segmentText(text).map((p) => p.text).join(''), text);
});

test('excerpts are one line and bounded', () => {
  assert.equal(excerpt('a\n\nb   c'), 'a b c');
  assert.equal(excerpt('x'.repeat(100), 10).length, 10);
});

test('excerpts cut at the logical end by grapheme, in any script', () => {
  const arabic = 'المرحّل ب يعمل جيداً عندي هذا الصباح وكذلك المرحّل ج';
  const cut = excerpt(arabic, 12);
  assert.ok(cut.endsWith('…'));
  assert.ok(arabic.startsWith(cut.slice(0, -1)), 'the start is kept, the end cut');
  // A letter with its marks, a flag and a family emoji are never split.
  const marks = 'e\u0301'.repeat(20);
  assert.equal(excerpt(marks, 5), `${'e\u0301'.repeat(4)}…`);
  const family = '👨‍👩‍👧'.repeat(10);
  assert.equal(excerpt(family, 4), `${'👨‍👩‍👧'.repeat(3)}…`);
});

test('bidi embeddings and overrides are removed from shown text, isolates and letters kept', () => {
  assert.equal(withoutOverrides('see \u202eevil.exe\u202c now'), 'see evil.exe now');
  assert.equal(withoutOverrides('\u2067ليلى\u2069 wrote'), '\u2067ليلى\u2069 wrote');
});
