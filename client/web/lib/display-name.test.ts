import { test } from 'vitest';
import assert from 'node:assert/strict';
import { DEFAULT_NAME } from '#client-core/identity.ts';
import { UNCHOSEN_NAME, displayName } from './display-name.ts';

test('the name a device has before its person picks one is the client default, shown as "no name"', () => {
  assert.equal(UNCHOSEN_NAME, DEFAULT_NAME);
  // The page's catalog gives the word; without one it is the English source.
  assert.equal(displayName(DEFAULT_NAME), 'anonymous');
  assert.equal(displayName(''), 'anonymous');
  assert.equal(displayName('Amira'), 'Amira');
  assert.equal(displayName('Anonymous Collective'), 'Anonymous Collective');
  assert.equal(displayName('\u202eLeila'), 'Leila', 'direction overrides are taken out');
});
