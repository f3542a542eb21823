import assert from 'node:assert/strict';
import { it } from 'vitest';
import { RoomAwareness, readAwarenessUpdate, writeAwarenessUpdate } from './awareness.ts';

const entry = (client: number, clock: number, state: unknown) => ({ client, clock, json: state === null ? null : JSON.stringify(state) });

it('keeps only {e: base64url} and null states, within the size cap', () => {
  const bytes = writeAwarenessUpdate([
    entry(1, 1, { e: 'YWJj' }),
    entry(2, 1, { e: 'YWJj', name: 'x' }),
    entry(3, 1, { e: 5 }),
    entry(4, 1, { e: 'a+b/' }),
    entry(5, 1, [1]),
    entry(6, 1, null),
    entry(7, 1, { e: 'A'.repeat(100) }),
  ]);
  const read = readAwarenessUpdate(bytes, 64);
  assert.deepEqual(read, [entry(1, 1, { e: 'YWJj' }), entry(6, 1, null)]);
  assert.equal(readAwarenessUpdate(new Uint8Array([5, 1]), 64), null);
  assert.equal(readAwarenessUpdate(new Uint8Array([1, 1, 1, 1, 0x7b]), 64)!.length, 0, 'a state that is not JSON is dropped');
});

it('a state belongs to the connection that set it; removal of an owner announces its states gone', () => {
  const room = new RoomAwareness();
  const alice = {};
  const mallory = {};
  assert.equal(room.apply(alice, [entry(1, 1, { e: 'YQ' })]).length, 1);
  assert.equal(room.apply(mallory, [entry(1, 9, { e: 'Yg' })]).length, 0, 'no overwriting another\'s state');
  assert.equal(room.apply(mallory, [entry(1, 9, null)]).length, 0, 'no removing another\'s state');
  assert.equal(room.apply(alice, [entry(1, 1, { e: 'Yw' })]).length, 0, 'an old clock is ignored');
  assert.equal(room.apply(alice, [entry(1, 2, { e: 'Yw' })]).length, 1);
  assert.deepEqual(room.removeOwner(alice), [entry(1, 3, null)]);
  assert.equal(room.size, 0);
  for (let i = 0; i < 20; i++) room.apply(mallory, [entry(100 + i, 1, { e: 'eA' })]);
  assert.ok(room.size <= 8, 'one connection speaks for a few client ids at most');
});
