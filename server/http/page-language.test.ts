import { test } from 'vitest';
import assert from 'node:assert/strict';
import { fromAcceptLanguage, pageLanguage } from './page-language.ts';

test('the most preferred language Baton speaks wins, by quality, the earlier of equal ones', () => {
  assert.equal(fromAcceptLanguage('fa-IR,fa;q=0.9,en-US;q=0.8,en;q=0.7'), 'fa');
  assert.equal(fromAcceptLanguage('de;q=1, ru;q=0.5, fa;q=0.8'), 'fa');
  assert.equal(fromAcceptLanguage('uk, ru'), 'uk');
  assert.equal(fromAcceptLanguage('ru;q=0.5, uk;q=0.5'), 'ru');
  assert.equal(fromAcceptLanguage('zh-TW, zh-CN;q=0.5'), 'zh-Hans', 'traditional characters have no catalog: the next one');
  assert.equal(fromAcceptLanguage('ar;q=0, es;q=0.1'), 'es', 'q=0 means not this one');
  assert.equal(fromAcceptLanguage('ES'), 'es');
});

test('languages Baton does not speak, and odd or hostile values, choose none', () => {
  for (const header of ['', 'de, fr-CH', '*', 'fa;q=2', 'fa;q=abc', 'fa;q=0.0001', '"><script>', 'fa-', '-fa', 'f\u0430', ';;;,,,', 'x'.repeat(100_000)]) {
    assert.equal(fromAcceptLanguage(header), null, JSON.stringify(header.slice(0, 40)));
  }
  // Past the first ranges and characters nothing is read, so the work is bounded whatever is sent.
  assert.equal(fromAcceptLanguage(`${'de,'.repeat(40)}fa`), null);
  assert.equal(fromAcceptLanguage(`de;q=0.9${' '.repeat(1100)},fa`), null);
});

test('?lang= chooses first when Baton speaks it; else the header; else English', () => {
  assert.equal(pageLanguage('ar', 'fa'), 'ar');
  assert.equal(pageLanguage('fa_IR', undefined), 'fa');
  assert.equal(pageLanguage('klingon', 'ru'), 'ru');
  assert.equal(pageLanguage('<b>', undefined), 'en');
  assert.equal(pageLanguage('fa'.repeat(5000), undefined), 'en');
  assert.equal(pageLanguage(undefined, undefined), 'en');
});
