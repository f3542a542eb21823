// The round scheduler on real timers: one round at a time, kicks, stopping.
import assert from 'node:assert/strict';
import { it } from 'vitest';
import { waitUntil } from '#test/support/wait.ts';
import { RoundScheduler } from './round-scheduler.ts';

/** A round that takes `ms` and notes when it ran; the next one in `next` ms (or never, for null). */
function rounds(ms: number, next: () => number | null) {
  const started: number[] = [];
  const ended: number[] = [];
  let running = 0;
  let overlapped = false;
  const round = async () => {
    started.push(Date.now());
    if (++running > 1) overlapped = true;
    await new Promise((r) => setTimeout(r, ms));
    running--;
    ended.push(Date.now());
    return next();
  };
  return { round, started, ended, overlapped: () => overlapped };
}

it('runs the first round at once and the next after the wait the round asked for', async () => {
  const r = rounds(0, () => 60_000);
  const scheduler = new RoundScheduler(r.round, 10, () => true);
  scheduler.start();
  await waitUntil(() => r.started.length === 1, { what: 'the first round' });
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(r.started.length, 1, 'the next round waits its minute');
  await scheduler.close();
});

it('a kick during a round runs another right after it, never two at once', async () => {
  const r = rounds(80, () => 60_000);
  const scheduler = new RoundScheduler(r.round, 5, () => true);
  scheduler.start();
  await waitUntil(() => r.started.length === 1, { what: 'the first round' });
  scheduler.kick();
  scheduler.kick();
  await waitUntil(() => r.started.length === 2, { what: 'the kicked round', timeoutMs: 2000 });
  assert.ok(r.started[1]! >= r.ended[0]!, 'after the first ended');
  assert.equal(r.overlapped(), false);
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.equal(r.started.length, 2, 'two kicks in one round make one more round');
  await scheduler.close();
});

it('kicks are ignored while not ready; a round answering null stops the schedule', async () => {
  let ready = false;
  let answers = 0;
  const r = rounds(0, () => (++answers >= 2 ? null : 20));
  const scheduler = new RoundScheduler(r.round, 5, () => ready);
  scheduler.kick();
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(r.started.length, 0, 'not ready: no round');
  ready = true;
  scheduler.start();
  await waitUntil(() => r.started.length === 2, { what: 'two rounds' });
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(r.started.length, 2, 'null stopped it');
  await scheduler.close();
});

it('close waits for the running round and nothing runs after it', async () => {
  const r = rounds(300, () => 0);
  const scheduler = new RoundScheduler(r.round, 5, () => true);
  scheduler.start();
  await waitUntil(() => r.started.length === 1, { what: 'the first round' });
  await scheduler.close();
  assert.equal(r.ended.length, 1, 'close waited for the round');
  scheduler.kick();
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(r.started.length, 1);
});
