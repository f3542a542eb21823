import assert from 'node:assert/strict';
import { it } from 'vitest';
import { ReadTracker } from './read-tracker.ts';

it('numbered pings confirm what was sent before them, and no more than 16 wait at once', () => {
  const pings: Uint8Array[] = [];
  const reads = new ReadTracker((p) => pings.push(p), 1000);
  reads.sent(600);
  assert.equal(pings.length, 0);
  reads.sent(600);
  assert.equal(pings.length, 1, 'a ping once 1000 bytes went out');
  reads.sent(100);
  assert.equal(reads.unread, 1300);
  assert.equal(reads.pong(pings[0]!), true);
  assert.equal(reads.unread, 100, 'the pong confirms the 1200 bytes sent before its ping');
  assert.equal(reads.pong(new Uint8Array([1, 2, 3])), false, 'a keepalive pong confirms nothing');
  for (let i = 0; i < 40; i++) reads.sent(1000);
  assert.equal(pings.length, 17, 'a reader that answers nothing gets at most 16 pings waiting');
  reads.probe();
  assert.equal(pings.length, 17);
  assert.equal(reads.pong(pings.at(-1)!), true);
  reads.probe();
  assert.equal(pings.length, 18, 'answered: it may be asked again');
});
