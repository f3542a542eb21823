import { test } from 'vitest';
import assert from 'node:assert/strict';
import { LOCALES, matchLocale, pickFrom, pickLocale } from './locales.ts';
import { bootKind, bootScript, bootTable } from './boot.ts';
import { placeholders, toTemplates } from './templates.ts';
import { fillSlots, fillText, slot } from './slots.ts';
import { joinStringsAndValues, type StrResult } from '@lit/localize';

test('a browser language finds the locale Baton speaks for it', () => {
  assert.equal(matchLocale('fa-IR'), 'fa');
  assert.equal(matchLocale('ar-EG'), 'ar');
  assert.equal(matchLocale('zh-CN'), 'zh-Hans');
  assert.equal(matchLocale('zh-Hans-HK'), 'zh-Hans');
  assert.equal(matchLocale('zh'), 'zh-Hans');
  assert.equal(matchLocale('zh-TW'), null, 'traditional characters are not simplified ones');
  assert.equal(matchLocale('zh-Hant'), null);
  assert.equal(matchLocale('my-MM'), 'my');
  assert.equal(matchLocale('RU'), 'ru');
  assert.equal(matchLocale('de-DE'), null);
  assert.equal(matchLocale(''), null);
});

test('the choice made on this device wins, then the first browser language Baton speaks, then English', () => {
  assert.equal(pickLocale('uk', ['fa-IR', 'en']), 'uk');
  assert.equal(pickLocale(null, ['de-DE', 'fa-IR', 'en']), 'fa');
  assert.equal(pickLocale('xx', ['de', 'it']), 'en', 'a saved code Baton no longer speaks is ignored');
  assert.equal(pickLocale(null, []), 'en');
});

const render = (t: string | StrResult | undefined, values: unknown[]) => (typeof t === 'string' ? t : joinStringsAndValues(t!.strings, values, t!.values as number[]));

test('a translation may move its values; one whose values differ from the source is left out', () => {
  const source = { a: 'Posting as {name}', b: 'reached {reached} of {relays} relays', c: 'Share', d: 'Forget {title}' };
  const translation = { a: '{name} として投稿', b: '{relays} 中 {reached}', c: 'مشاركة', d: 'Oublier {name}', e: 'extra' };
  const templates = toTemplates(source, translation);
  assert.equal(render(templates.a, ['Leyla']), 'Leyla として投稿');
  assert.equal(render(templates.b, ['1', '3']), '3 中 1', 'values follow their names, not their places');
  assert.equal(templates.c, 'مشاركة');
  assert.equal(templates.d, undefined, 'a wrong value name shows the English');
  assert.equal(templates.e, undefined, 'an id the source lacks is dropped');
  assert.deepEqual(placeholders('{a} and {b_2}, not { c }'), ['a', 'b_2']);
});

test('slots put markup where a translation placed its mark, and nothing else', () => {
  const name = slot(0);
  const key = slot(1);
  assert.deepEqual(fillSlots(`${key} کلید ${name}`, { [name]: 'N', [key]: 'K' }), ['K', ' کلید ', 'N']);
  assert.equal(fillText(`Posting as ${name}`, { [name]: '$& Leyla' }), 'Posting as $& Leyla');
});

test('the choice travels as text into index.html (l10n/boot.ts) and chooses there as here', () => {
  // Evaluated with nothing around it, as the page's inline script runs it.
  const isolated = new Function(`return (${pickFrom.toString()})`)() as typeof pickFrom;
  const codes = LOCALES.map((l) => l.code);
  const cases: [string | null, string[]][] = [
    [null, ['fa-IR', 'en']],
    [null, ['zh-TW', 'zh-CN']],
    [null, ['zh-Hant-HK', 'de']],
    [null, ['de-DE', 'my-MM']],
    ['uk', ['fa']],
    ['xx', ['RU']],
    [null, ['', ' ar-EG ']],
    [null, []],
  ];
  for (const [saved, preferred] of cases) assert.equal(isolated(codes, saved, preferred, 'en'), pickLocale(saved, preferred), `${saved} ${preferred.join(',')}`);
  const script = bootScript(bootTable((code) => ({ 'boot.loading': `L ${code} </script>`, 'boot.openingThread': `T ${code}`, 'boot.openingBoard': `B ${code}` })));
  assert.doesNotMatch(script, /<\/script/i, 'no text can end the script early');
  assert.equal(bootKind('#baton:thread:abc'), 'openingThread');
  assert.equal(bootKind('#baton%3Aboard%3Aabc'), 'openingBoard');
  assert.equal(bootKind('#@handle'), 'loading');
});
