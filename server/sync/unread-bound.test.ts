// The relay-wide bound on what readers have unread: the readers furthest behind go first, only
// as many as needed, and once per turn however many sends went past it.
import assert from 'node:assert/strict';
import { it } from 'vitest';
import { UnreadBound, type BehindReader } from './unread-bound.ts';

class Reader implements BehindReader {
  cut = false;
  constructor(
    public unread: number,
    private readonly bound: () => UnreadBound,
    private readonly readers: Set<Reader>,
  ) {}
  cutForUnread(): void {
    this.cut = true;
    this.readers.delete(this);
    this.bound().change(-this.unread);
  }
}

function relayOf(limit: number, unread: number[]): { bound: UnreadBound; readers: Reader[] } {
  const set = new Set<Reader>();
  const bound = new UnreadBound(limit, set);
  const readers = unread.map((u) => new Reader(u, () => bound, set));
  for (const r of readers) set.add(r);
  return { bound, readers };
}

it('cuts the readers furthest behind, and only until the rest fit', () => {
  const { bound, readers } = relayOf(100, [10, 60, 5, 40, 30]);
  for (const r of readers) bound.change(r.unread);
  assert.equal(bound.bytes, 145);
  assert.equal(bound.shed(), 1);
  assert.deepEqual(readers.map((r) => r.cut), [false, true, false, false, false]);
  assert.equal(bound.bytes, 85);
  assert.equal(bound.shed(), 0);
});

it('sheds at the end of the turn, once, whatever the number of sends past the bound', async () => {
  const { bound, readers } = relayOf(100, [50, 50, 50, 50]);
  for (const r of readers) bound.change(r.unread);
  for (const r of readers) {
    r.unread += 10;
    bound.change(10);
  }
  assert.equal(readers.filter((r) => r.cut).length, 0, 'nothing is cut within the turn');
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(readers.filter((r) => r.cut).length, 3);
  assert.equal(bound.bytes, 60);
});

it('never counts a reader with nothing unread, and cuts nobody under the bound', () => {
  const { bound, readers } = relayOf(100, [0, 0, 100]);
  bound.change(100);
  assert.equal(bound.shed(), 0);
  assert.ok(readers.every((r) => !r.cut));
});
