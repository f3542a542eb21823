// The relay-wide memory ledger over real holders: the sync answer pool (whose kept answers can
// be dropped) and the backlog of updates waiting for checks (which cannot).
import assert from 'node:assert/strict';
import { beforeAll, it } from 'vitest';
import { initSodium } from '#shared';
import { piecesOf, roomOf } from '#test/support/relay-parts.ts';
import { Counters } from './metrics/counters.ts';
import { MemoryLedger } from './memory-ledger.ts';
import { AnswerPool } from './sync/answers.ts';
import { VerifyBacklog } from './verify/backlog.ts';

beforeAll(initSodium);

const EVERYTHING = new Uint8Array([0]);

/** A ledger of `limit` over an answer pool (with its own bound far above) and a backlog. */
function parts(limit: number) {
  const counters = new Counters();
  const ledger = new MemoryLedger(limit, counters);
  const pool = new AnswerPool(100_000_000, 100_000, { counters, ledger, keepIdleMs: 60_000, buildSliceMs: 0 });
  const backlog = new VerifyBacklog(100_000_000, 100_000_000, 100_000_000);
  ledger.add(backlog);
  ledger.add(pool);
  return { counters, ledger, pool, backlog };
}

it('a kept answer nobody reads gives way to a new one the ledger could not otherwise take', async () => {
  const [a, b] = [roomOf(11, 8, 60_000), roomOf(12, 8, 60_000)];
  const { counters, ledger, pool } = parts(a.bytes + b.bytes / 2);
  const first = pool.take(a, EVERYTHING)!;
  await piecesOf(first);
  pool.release(first);
  assert.ok(pool.heldBytes > 0, 'kept after its reader left');
  const second = pool.take(b, EVERYTHING);
  assert.ok(second, 'admitted once the kept answer was dropped');
  await piecesOf(second);
  assert.ok(ledger.used <= ledger.limit, `${ledger.used} held against ${ledger.limit}`);
  assert.equal(counters.snapshot()['memory.refused'] ?? 0, 0);
  pool.release(second);
  a.destroy();
  b.destroy();
});

it('an answer still being read is not dropped: the next waits, counted, and is taken once the first is released', async () => {
  const [a, b] = [roomOf(13, 8, 60_000), roomOf(14, 8, 60_000)];
  const { counters, pool } = parts(a.bytes + b.bytes / 2);
  const first = pool.take(a, EVERYTHING)!;
  await piecesOf(first);
  assert.equal(pool.take(b, EVERYTHING), null, 'no room in the ledger');
  assert.equal(counters.snapshot()['memory.refused'], 1);
  const freed = new Promise<void>((resolve) => pool.whenFree(resolve));
  pool.release(first);
  await freed;
  const second = pool.take(b, EVERYTHING);
  assert.ok(second, 'taken once the first was released (and its kept copy dropped)');
  pool.release(second);
  a.destroy();
  b.destroy();
});

it('what cannot be dropped fills the ledger, and an empty pool still answers one', async () => {
  const a = roomOf(15, 8, 60_000);
  const { ledger, pool, backlog } = parts(1_000_000);
  assert.ok(backlog.admit(2_000_000, false));
  assert.ok(ledger.used > ledger.limit);
  const only = pool.take(a, EVERYTHING);
  assert.ok(only, 'one answer always fits, so that a big room is still answered');
  await piecesOf(only);
  pool.release(only);
  backlog.release(2_000_000);
  a.destroy();
});

it('an answer held back for memory held elsewhere is woken to try again once that memory frees, one waiter at a time', async () => {
  const [a, b] = [roomOf(16, 8, 60_000), roomOf(17, 8, 60_000)];
  const { pool, backlog } = parts(a.bytes + b.bytes + 1000);
  const first = pool.take(a, EVERYTHING)!;
  await piecesOf(first);
  assert.ok(backlog.admit(b.bytes, false), 'updates waiting for checks fill the rest');
  assert.equal(pool.take(b, EVERYTHING), null);
  const woken = new Promise<void>((resolve) => pool.whenFree(resolve));
  let secondWoken = false;
  pool.whenFree(() => (secondWoken = true));
  // The backlog drains; nothing passes through the pool, and the first answer is still being read.
  backlog.release(b.bytes);
  await woken;
  assert.equal(secondWoken, false, 'those waiting are woken one at a time');
  const second = pool.take(b, EVERYTHING);
  assert.ok(second, 'taken on the retry');
  pool.release(second);
  pool.release(first);
  a.destroy();
  b.destroy();
});
