import { test } from 'vitest';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { createSpace, generateIdentity, initSodium, summaryText } from '#shared';
import { editSummary } from './boards.ts';
import { diffSplice } from './splice.ts';
import { Space } from './space.ts';
import { MemoryStore } from './store.ts';

await initSodium();

test('a splice never cuts a surrogate pair', () => {
  assert.deepEqual(diffSplice('a😀b', 'a😁b'), { index: 1, remove: 2, insert: '😁' });
});

test('editSummary applies the minimal splice, keeping a concurrent edit elsewhere', async () => {
  const space = await Space.open(createSpace('thread'), { store: new MemoryStore(), identity: generateIdentity() });
  try {
    const doc = space.requireWrite();
    summaryText(doc).insert(0, 'first line\nsecond line');
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
    summaryText(other).insert(0, '>> ');
    editSummary(space, 'first line\nsecond, edited line');
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other));
    assert.equal(summaryText(doc).toString(), '>> first line\nsecond, edited line');
  } finally {
    await space.close();
  }
});
