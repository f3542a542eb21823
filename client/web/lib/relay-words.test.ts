import { test } from 'vitest';
import assert from 'node:assert/strict';
import { relayStateWords, sinceTime } from './relay-words.ts';

const at = (h: number, m: number) => new Date(2026, 10, 27, h, m).getTime();

test('each state says what was observed, never "blocked"', () => {
  const now = at(15, 0);
  const base = { transport: 'websocket' as const, since: null };
  const said = [
    relayStateWords({ ...base, state: 'connecting' }, now),
    relayStateWords({ ...base, state: 'synced' }, now),
    relayStateWords({ ...base, state: 'synced', transport: 'http' }, now),
    relayStateWords({ ...base, state: 'unreachable', since: at(14, 2) }, now),
    relayStateWords({ ...base, state: 'refused', refused: 'data', since: at(14, 2) }, now),
    relayStateWords({ ...base, state: 'refused', refused: 'connection', since: at(14, 2) }, now),
    relayStateWords({ ...base, state: 'bad-data' }, now),
  ];
  assert.equal(said[0], 'connecting');
  assert.equal(said[1], 'up to date');
  assert.equal(said[2], 'up to date (over HTTP)');
  assert.equal(said[3], `not answering since ${sinceTime(at(14, 2), now)}`);
  assert.match(said[3]!, /14.02|2.02/);
  assert.equal(said[4], 'refused our data');
  assert.equal(said[5], 'refused the connection');
  assert.equal(said[6], 'sent data that did not check out');
  assert.ok(said.every((w) => !/block/i.test(w)));
});

test('a failure of another day carries its date', () => {
  const yesterday = at(23, 50) - 86_400_000;
  assert.notEqual(sinceTime(yesterday, at(9, 0)), sinceTime(at(23, 50), at(23, 55)));
  assert.ok(sinceTime(yesterday, at(9, 0)).length > sinceTime(at(8, 0), at(9, 0)).length);
});
