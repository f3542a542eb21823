import { test } from 'vitest';
import assert from 'node:assert/strict';
import { inert, inertJson } from './inert.ts';

const HOSTILE = 'a\u001b[2J\u001b]0;title\u0007b\u009b31mc\u202eevil\u2066x\u2069\u061cd\re\u0000f\u007f';

test('inert strips escapes, C1 controls and bidi controls, and keeps the visible text', () => {
  const out = inert(HOSTILE);
  assert.doesNotMatch(out, /[\u0000-\u001f\u007f-\u009f\u061c\u202a-\u202e\u2066-\u2069]/);
  assert.equal(out, 'a[2J]0;titleb31mcevilxd ef');
});

test('a one-line field turns breaks into spaces; a body keeps newlines and tabs', () => {
  assert.equal(inert('Layla\n2026-01-01  mallory [abc]'), 'Layla 2026-01-01  mallory [abc]');
  assert.equal(inert('x\u2028y\tz'), 'x y z');
  assert.equal(inert('line one\n\tindented\r\nthree\u2029four', { multiline: true }), 'line one\n\tindented\nthree\nfour');
});

test('ordinary text, right-to-left scripts and emoji pass unchanged', () => {
  for (const s of ['ليلى: الاجتماع غداً', 'שלום', 'naïve café 👋🏽', 'tab\tin body']) assert.equal(inert(s, { multiline: true }), s);
});

test('inertJson escapes what JSON.stringify leaves raw, and parses back to the exact text', () => {
  const value = { body: HOSTILE, name: 'ل\u202eA', list: ['\u0085', '\u2028'] };
  const text = inertJson(value);
  assert.doesNotMatch(text, /[\u0000-\u001f\u007f-\u009f\u061c\u202a-\u202e\u2066-\u2069\u2028\u2029]/);
  assert.deepEqual(JSON.parse(text), value);
});
