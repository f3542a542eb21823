import { test } from 'vitest';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { diffSplice, moveCaret, type DeltaOp } from './summary-edit.ts';
import { diffSplice as coreSplice } from '#client-core';

function applySplice(text: string, s: ReturnType<typeof diffSplice>): string {
  return s ? text.slice(0, s.index) + s.insert + text.slice(s.index + s.remove) : text;
}

test('a splice is minimal and reproduces the new text', () => {
  assert.equal(diffSplice('same', 'same'), null);
  assert.deepEqual(diffSplice('relay one', 'relay two one'), { index: 6, remove: 0, insert: 'two ' });
  assert.deepEqual(diffSplice('abcdef', 'abef'), { index: 2, remove: 2, insert: '' });
  for (const [a, b] of [['', 'x'], ['x', ''], ['aaa', 'aa'], ['héllo', 'hallo'], ['a😀b', 'a😁b']] as const) {
    assert.equal(applySplice(a, diffSplice(a, b)), b);
  }
});

test('a splice never cuts a surrogate pair', () => {
  const s = diffSplice('a😀b', 'a😁b')!;
  assert.equal(s.index, 1);
  assert.equal(s.insert, '😁');
});

test('the caret follows remote inserts and deletes before it, not after', () => {
  assert.equal(moveCaret(5, [{ insert: 'abc' }]), 8);
  assert.equal(moveCaret(5, [{ retain: 5 }, { insert: 'abc' }]), 5);
  assert.equal(moveCaret(5, [{ retain: 7 }, { insert: 'abc' }]), 5);
  assert.equal(moveCaret(5, [{ retain: 1 }, { delete: 2 }]), 3);
  assert.equal(moveCaret(5, [{ retain: 3 }, { delete: 10 }]), 3);
});

test('two editors converge and a caret stays on its word across a real Yjs delta', () => {
  const a = new Y.Doc();
  const b = new Y.Doc();
  a.getText('summary').insert(0, 'relays keep the thread alive');
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
  const caret = 'relays keep the '.length; // before "thread"
  let moved = -1;
  a.getText('summary').observe((event) => {
    moved = moveCaret(caret, event.delta as DeltaOp[]);
  });
  b.getText('summary').insert(0, 'Many ');
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
  assert.equal(a.getText('summary').toString().slice(moved, moved + 6), 'thread');
});

test('the editor uses the core splice, the one editSummary applies', () => {
  assert.equal(diffSplice, coreSplice);
});
