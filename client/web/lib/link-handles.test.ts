import { test } from 'vitest';
import assert from 'node:assert/strict';
import { LinkHandles } from './link-handles.ts';

/** Storage as localStorage keeps it: strings by key. */
class TextStorage {
  readonly map = new Map<string, string>();
  getItem(k: string) {
    return this.map.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.map.set(k, v);
  }
}

test('a link gets one random handle, found again from storage, and an unknown handle is none', () => {
  const storage = new TextStorage();
  const handles = new LinkHandles(storage);
  const link = 'baton:board:AAAA:BBBB:CCCC?relays=x';
  const hash = handles.hashFor(link);
  assert.match(hash, /^#@[\w-]{16}$/);
  assert.ok(!hash.includes('baton'));
  assert.equal(handles.hashFor(link), hash, 'the same link keeps its handle');
  assert.notEqual(handles.hashFor(`${link}&thread=T`), hash);
  assert.equal(new LinkHandles(storage).textOf(hash), link, 'a reload finds it');
  assert.equal(handles.textOf('#@nothing-of-ours'), null);
  assert.equal(handles.textOf('#baton:board:x'), null, 'only handles are looked up');
});

test('hostile stored handles are ignored; without storage, handles last as long as the page', () => {
  const storage = new TextStorage();
  storage.setItem('baton:handles', '{"x": 1}');
  const handles = new LinkHandles(storage);
  const hash = handles.hashFor('baton:thread:A:B');
  assert.equal(handles.textOf(hash), 'baton:thread:A:B');
  storage.setItem('baton:handles', JSON.stringify([[1, 2], ['h', 3], 'x']));
  assert.equal(handles.textOf('#@h'), null);
  const memory = new LinkHandles(null);
  assert.equal(memory.textOf(memory.hashFor('baton:board:Z')), 'baton:board:Z');
});
