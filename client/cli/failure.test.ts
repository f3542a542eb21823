import { afterEach, test } from 'vitest';
import assert from 'node:assert/strict';
import { CapabilityError } from '#shared';
import { CLI_LOCALES, CLI_SOURCE_LOCALE } from '#shared/l10n/locale.ts';
import { ClientError, RelayHttpError, type ClientErrorCode, type ClientErrorReason } from '#client-core';
import { CAPABILITY_WORDS, CODE_WORDS, REASON_WORDS, failureOf, failureWords } from './failure.ts';
import { setCliLocale } from './l10n.ts';

afterEach(() => setCliLocale(CLI_SOURCE_LOCALE));

const reasons = Object.keys(REASON_WORDS) as ClientErrorReason[];
const codes = Object.keys(CODE_WORDS) as ClientErrorCode[];
const capabilityCodes = Object.keys(CAPABILITY_WORDS) as (keyof typeof CAPABILITY_WORDS)[];

/** Every refusal's words in the language now chosen, by a name that says which refusal. */
function allWords(): Map<string, string> {
  return new Map([
    ...reasons.map((r) => [`reason ${r}`, REASON_WORDS[r]()] as const),
    ...codes.map((c) => [`code ${c}`, CODE_WORDS[c].words()] as const),
    ...capabilityCodes.map((c) => [`capability ${c}`, CAPABILITY_WORDS[c]()] as const),
  ]);
}

test('every reason, code and capability error has its own words in every language the CLI speaks', () => {
  assert.equal(reasons.length, 16);
  assert.equal(codes.length, 14);
  const english = allWords();
  assert.equal(new Set(english.values()).size, english.size, 'no two refusals share their English words');
  for (const locale of CLI_LOCALES.filter((l) => l !== CLI_SOURCE_LOCALE)) {
    setCliLocale(locale);
    const missing = [...allWords()].filter(([what, words]) => words.trim() === '' || words === english.get(what)).map(([what]) => what);
    assert.deepEqual(missing, [], `${locale}: refusals said in English`);
  }
});

test("a refusal with a reason is said in its words alone, never in the thrower's English", () => {
  const err = new ClientError('bad-input', 'only its author can delete or edit a post (thrower)', 'not-author');
  assert.equal(failureWords(err), REASON_WORDS['not-author']());
  setCliLocale('fa');
  assert.equal(failureWords(err), REASON_WORDS['not-author']());
  assert.doesNotMatch(failureWords(err), /[A-Za-z]/);
  assert.doesNotMatch(failureWords(new ClientError('bad-input', 'a name is 1 to 100 characters', 'name-length')), /[A-Za-z]/);
});

test('a code keeps its English detail only where it names something, marked as English; in English the detail is the message', () => {
  const locked = new ClientError('locked', 'wrong passphrase for /data (2 wrong in a row: the next attempt waits 2 s)');
  const readOnly = new ClientError('read-only', 'this thread capability is read-only: it cannot write');
  assert.equal(failureWords(locked), locked.message);
  assert.equal(failureWords(readOnly), CODE_WORDS['read-only'].words());
  setCliLocale('ru');
  const said = failureWords(locked);
  assert.ok(said.startsWith(CODE_WORDS.locked.words()), said);
  assert.ok(said.includes(`(по-английски: ${locked.message})`), said);
  assert.equal(failureWords(readOnly), CODE_WORDS['read-only'].words());
  assert.ok(failureWords(new RelayHttpError(413, 'too-large', 'relay answered 413')).startsWith(CODE_WORDS.relay.words()));
});

test('capability errors, a file named with its refusal, and errors nobody expected', () => {
  setCliLocale('fa');
  const damaged = failureWords(new CapabilityError('bad-space-id', 'the space id is damaged (expected 43 characters of base64url)'));
  assert.ok(damaged.includes(CAPABILITY_WORDS['bad-space-id']()), damaged);
  assert.doesNotMatch(damaged, /[A-Za-z]/);
  const relay = failureWords(new CapabilityError('bad-relay', 'not a relay URL: ftp://x'));
  assert.ok(relay.includes(CAPABILITY_WORDS['bad-relay']()) && !relay.includes('ftp://x'), relay);
  const empty = failureOf('notes.pdf', new ClientError('bad-input', 'notes.pdf is empty', 'empty-file'));
  assert.equal(empty, `notes.pdf: ${REASON_WORDS['empty-file']()}`);
  const unknownReason = failureWords(new ClientError('bad-input', 'a schema refusal', 'made-up' as ClientErrorReason));
  assert.ok(unknownReason.startsWith(CODE_WORDS['bad-input'].words()) && unknownReason.includes('a schema refusal'), unknownReason);
  const unknownCode = failureWords(new ClientError('made-up' as ClientErrorCode, 'what a newer core said'));
  assert.ok(unknownCode.endsWith('what a newer core said') && !unknownCode.startsWith('unexpected'), unknownCode);
  const odd = failureWords(new TypeError('x is not a function'));
  assert.ok(odd.endsWith('x is not a function') && !odd.startsWith('unexpected'), odd);
});
