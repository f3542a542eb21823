import { test } from 'vitest';
import assert from 'node:assert/strict';
import { formatDate, formatNumber } from './format.ts';

test('in the source language, numbers and dates follow Intl for English', () => {
  const when = new Date(2026, 10, 27, 22, 41);
  assert.equal(formatNumber(1234567), new Intl.NumberFormat('en').format(1234567));
  assert.equal(formatDate(when), new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' }).format(when));
});
