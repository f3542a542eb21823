// The relay-wide bound on updates waiting for their checks, and how a connection's budget
// pauses and resumes reading with it.
import { expect, test } from 'vitest';
import { BacklogSender, VerifyBacklog } from './backlog.ts';
import { VerifyBudget } from '../sync/verify-budget.ts';

const MiB = 1024 * 1024;

test('past the full mark only a sender with nothing waiting is admitted, and past the reserve nobody', () => {
  const backlog = new VerifyBacklog(4 * MiB, 8 * MiB, 10 * MiB);
  expect(backlog.admit(7 * MiB, false)).toBe(true);
  expect(backlog.slow).toBe(true);
  expect(backlog.admit(2 * MiB, true)).toBe(false); // 9 > 8, and this sender has one waiting
  expect(backlog.admit(2 * MiB, false)).toBe(true); // 9 <= 10: the reserve
  expect(backlog.admit(2 * MiB, false)).toBe(false); // 11 > 10
  expect(backlog.bytes).toBe(9 * MiB);
  backlog.release(9 * MiB);
  expect(backlog.bytes).toBe(0);
  // An empty backlog admits one update of any size.
  expect(backlog.admit(20 * MiB, true)).toBe(true);
});

test('a sender is held to the full mark while one of its updates waits, and to the reserve once none does', () => {
  const backlog = new VerifyBacklog(4 * MiB, 8 * MiB, 10 * MiB);
  const other = new BacklogSender(backlog);
  const sender = new BacklogSender(backlog);
  expect(other.admit(6 * MiB)).toBe(true);
  expect(sender.admit(1 * MiB)).toBe(true); // 7 <= 8
  expect(sender.admit(2 * MiB)).toBe(false); // 9 > 8, and one of its own waits
  expect(sender.waiting).toBe(1);
  sender.release(1 * MiB);
  expect(sender.waiting).toBe(0);
  expect(sender.admit(3 * MiB)).toBe(true); // 9 <= 10: nothing of its own waits
  expect(backlog.bytes).toBe(9 * MiB);
});

test('those waiting for the backlog to drain are called once it is under half the slow mark, once', () => {
  const backlog = new VerifyBacklog(4 * MiB, 8 * MiB, 10 * MiB);
  let calls = 0;
  const drained = () => calls++;
  backlog.admit(6 * MiB, false);
  backlog.whenDrained(drained);
  backlog.whenDrained(drained);
  backlog.release(3 * MiB); // 3 MiB left: over half of 4
  expect(calls).toBe(0);
  backlog.release(2 * MiB);
  expect(calls).toBe(1);
  backlog.release(1 * MiB);
  expect(calls).toBe(1);
  backlog.admit(6 * MiB, false);
  backlog.whenDrained(drained);
  backlog.forget(drained);
  backlog.release(6 * MiB);
  expect(calls).toBe(1);
});

test('a connection with an update waiting is paused while the relay is slow, and resumed when it drains', () => {
  const backlog = new VerifyBacklog(4 * MiB, 8 * MiB, 10 * MiB);
  const events: string[] = [];
  const socket = { pauseReading: () => events.push('pause'), resumeReading: () => events.push('resume') };
  const budget = new VerifyBudget(socket, backlog, () => {});
  const other = new VerifyBudget({ pauseReading: () => {}, resumeReading: () => {} }, backlog, () => {});
  expect(other.start(5 * MiB)).toBe(true); // another connection fills the backlog past slow
  expect(budget.start(1000)).toBe(true); // nothing waiting here yet: read on
  expect(events).toEqual([]);
  expect(budget.start(1000)).toBe(true); // a second one waiting while the relay is slow
  expect(events).toEqual(['pause']);
  budget.done(1000);
  expect(events).toEqual(['pause']); // one still waiting here, and the relay is still slow
  other.done(5 * MiB);
  expect(events).toEqual(['pause', 'resume']); // drained
  budget.done(1000);
  expect(budget.start(1000)).toBe(true);
  expect(other.start(5 * MiB)).toBe(true);
  expect(budget.start(1000)).toBe(true);
  expect(events).toEqual(['pause', 'resume', 'pause']);
  budget.done(1000);
  budget.done(1000);
  // Nothing waiting here any more: it may send its next update, though the relay is slow.
  expect(events).toEqual(['pause', 'resume', 'pause', 'resume']);
  other.done(5 * MiB);
  // Past the full mark a sender with one waiting is refused; one with none still gets in.
  expect(other.start(7 * MiB)).toBe(true);
  expect(other.start(2 * MiB)).toBe(false);
  expect(budget.start(2 * MiB)).toBe(true);
  budget.close();
});
