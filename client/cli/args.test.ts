import { test } from 'vitest';
import assert from 'node:assert/strict';
import { parseCommandLine } from './args.ts';
import { setCliLocale } from './l10n.ts';

test('a flag that takes a value takes the next argument, even one that starts with a dash', () => {
  // Ids are base64url: one in 64 starts with "-", and some with "--".
  const a = parseCommandLine(['post', 'baton:thread:x', '--thread', '-Ab3_', '--reply-to', '--Zq9', '--body', '- a list item']);
  assert.equal(a.thread, '-Ab3_');
  assert.equal(a.replyTo, '--Zq9');
  assert.equal(a.body, '- a list item');
  assert.deepEqual(a.positionals, ['post', 'baton:thread:x']);
  assert.equal(parseCommandLine(['read', '--thread=-Ab3_']).thread, '-Ab3_');
  assert.deepEqual(parseCommandLine(['read', '--', '--thread', '-x']).positionals, ['read', '--thread', '-x'], 'after --, everything is positional');
  assert.equal(parseCommandLine(['read', '--json']).json, true);
});

test('a key that starts with a dash is a positional like any other', () => {
  // Identity keys are 43 characters of base64url: one in 64 starts with "-", one in 4096 with "--".
  const key = '-Xk3_' + 'a'.repeat(38);
  const twice = '--Zq9' + 'b'.repeat(38);
  assert.deepEqual(parseCommandLine(['moderators', 'add', 'baton:board:x', key, '--json']).positionals, ['moderators', 'add', 'baton:board:x', key]);
  assert.deepEqual(parseCommandLine(['identity', 'verify', twice, '--timeout', '5']).positionals, ['identity', 'verify', twice]);
  assert.throws(() => parseCommandLine(['read', '-x']), { name: 'UsageError' }, 'a short unknown flag is still refused');
});

test('unknown flags, a missing value and a bad timeout are usage errors', () => {
  assert.throws(() => parseCommandLine(['read', '--nope']), { name: 'UsageError' });
  assert.throws(() => parseCommandLine(['post', '--thread']), { name: 'UsageError' });
  assert.throws(() => parseCommandLine(['read', '--timeout', '0']), { name: 'UsageError' });
});

test("node:util's refusals are said in the user's words, naming the option as typed", () => {
  const refusal = (argv: string[]) => {
    try {
      parseCommandLine(argv);
    } catch (err) {
      return (err as Error).message;
    }
    throw new Error('accepted');
  };
  try {
    setCliLocale('fa');
    const unknown = refusal(['read', '--nope']);
    assert.ok(unknown.includes('--nope') && unknown.includes('ناشناخته'), unknown);
    assert.ok(!/Unknown option/.test(unknown), unknown);
    const needs = refusal(['post', '--thread']);
    assert.ok(needs.includes('--thread') && needs.includes('مقدار'), needs);
    const none = refusal(['read', '--json=yes']);
    assert.ok(none.includes('--json') && none.includes('نمی‌گیرد'), none);
    setCliLocale('en');
    assert.equal(refusal(['post', '--thread']), '--thread needs a value');
    assert.equal(refusal(['read', '-z']), 'unknown option -z (a text that starts with "-" goes after --)');
  } finally {
    setCliLocale('en');
  }
});
