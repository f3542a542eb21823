import { afterEach, beforeEach, test, vi } from 'vitest';
import assert from 'node:assert/strict';
import { ClientError } from './errors.ts';
import { until, whenSynced } from './delivery.ts';
import type { RelayStatus } from './relay-connection.ts';

/** Relay states that change when told, as a space's do. */
class Relays {
  private readonly listeners = new Set<() => void>();
  constructor(public states: RelayStatus[]) {}
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  statuses(): RelayStatus[] {
    return this.states;
  }
  set(relay: string, change: Partial<RelayStatus>): void {
    this.states = this.states.map((s) => (s.relay === relay ? { ...s, ...change } : s));
    for (const l of this.listeners) l();
  }
  get listening(): number {
    return this.listeners.size;
  }
}

const status = (relay: string): RelayStatus => ({ relay, state: 'connecting', transport: 'websocket', rejected: 0, failures: 0, since: null, lastError: null });
const isCode = (code: string) => (e: unknown) => e instanceof ClientError && e.code === code;

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

test('a wait answers after the change that makes it true, looks once more at its deadline, and unsubscribes', async () => {
  const relays = new Relays([status('a')]);
  const synced = () => (relays.statuses()[0]!.state === 'synced' ? 'yes' : undefined);
  const answered = until(relays, synced, { timeoutMs: 1000 });
  relays.set('a', { state: 'synced' });
  await vi.advanceTimersByTimeAsync(1);
  assert.equal(await answered, 'yes');
  assert.equal(relays.listening, 0);

  // True at the deadline without a change announced: the last look counts.
  let flag = false;
  const late = until(relays, () => (flag ? 'late' : undefined), { timeoutMs: 100 });
  flag = true;
  await vi.advanceTimersByTimeAsync(100);
  assert.equal(await late, 'late');

  const never = until(relays, () => undefined, { timeoutMs: 100 });
  const rejected = assert.rejects(never, isCode('timeout'));
  await vi.advanceTimersByTimeAsync(100);
  await rejected;
  assert.equal(relays.listening, 0);
});

test('a sync wait takes every relay, or one and a grace for the rest, or none once all are down', async () => {
  const relays = new Relays([status('a'), status('b')]);
  const both = whenSynced(relays, { graceMs: 1000 });
  relays.set('a', { state: 'synced' });
  relays.set('b', { state: 'synced' });
  await vi.advanceTimersByTimeAsync(1);
  assert.deepEqual(await both, ['a', 'b']);

  relays.set('b', { state: 'connecting' });
  const graced = whenSynced(relays, { graceMs: 1000 });
  await vi.advanceTimersByTimeAsync(999);
  let done = false;
  void graced.then(() => (done = true));
  await vi.advanceTimersByTimeAsync(0);
  assert.equal(done, false, 'the slower relay still has time');
  await vi.advanceTimersByTimeAsync(100);
  assert.deepEqual(await graced, ['a']);

  const down = new Relays([status('x')]);
  const none = whenSynced(down);
  down.set('x', { state: 'refused', refused: 'connection' });
  await vi.advanceTimersByTimeAsync(1);
  assert.deepEqual(await none, []);
});
