// The first script's Yjs reader finds what Yjs itself encoded: blobs in an envelope doc, and
// strings set in a map (old and new values alike), and refuses what it cannot read.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { updateValues } from './yjs-values.ts';

test('the binary items of an array and the strings of a map, across updates and snapshots', () => {
  const doc = new Y.Doc();
  const log = doc.getArray<Uint8Array>('log');
  log.push([new Uint8Array([1, 2, 3])]);
  log.push([new Uint8Array(300).fill(7)]);
  const values = updateValues(Y.encodeStateAsUpdate(doc));
  assert.deepEqual(values.binaries.map((b) => b.length), [3, 300]);

  const plain = new Y.Doc();
  const map = plain.getMap('firstScreen');
  const updates: Uint8Array[] = [];
  plain.on('update', (u: Uint8Array) => updates.push(u));
  map.set('signed', 'first');
  map.set('signed', 'second ✓ with more than 127 bytes '.repeat(10));
  map.set('other', { nested: ['x', 1, 2.5, null, true, new Uint8Array([9])] });
  assert.deepEqual(updateValues(updates[0]!).strings, ['first']);
  assert.deepEqual(updateValues(updates[1]!).strings, ['second ✓ with more than 127 bytes '.repeat(10)]);
  assert.deepEqual(updateValues(updates[2]!).strings, ['x']);
  // A snapshot of the doc: the overwritten value is gone, the current one is there.
  const snapshot = updateValues(Y.encodeStateAsUpdate(plain)).strings;
  assert.ok(snapshot.includes('second ✓ with more than 127 bytes '.repeat(10)));
  assert.ok(!snapshot.includes('first'));
});

test('damaged or cut-off updates are refused with a RangeError, never read past their end', () => {
  const doc = new Y.Doc();
  doc.getMap('m').set('k', 'value');
  const update = Y.encodeStateAsUpdate(doc);
  for (let cut = 1; cut < update.length - 2; cut++) {
    try {
      updateValues(update.subarray(0, cut));
    } catch (err) {
      assert.ok(err instanceof RangeError || err instanceof TypeError, String(err));
    }
  }
  assert.throws(() => updateValues(new Uint8Array([1, 1, 0, 0, 0x1f])), RangeError);
});
