// A writer faster than the relay's checks is slowed down, not closed. Pausing a socket stops its
// reads, but ws parses a whole read at once: the rest of that read (here about 150 updates)
// still arrived after the pause and went into the relay-wide backlog of updates waiting for
// their checks. Under a saturating load that backlog filled, refused them, and the relay closed
// 118 of 120 writers (1013) whose only fault was sending fast. Now what arrives after a pause
// is held by the connection and taken when reading resumes (server/sync/read-gate.ts).
//
// The relay-wide backlog is filled to just under its mark for senders that have an update
// waiting, as the updates of a hundred other fast writers would fill it; one writer then
// sends 200 updates in one write.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { initSodium } from '#shared';
import { writeMessage } from '#shared/wire/index.ts';
import { startRelay, type Relay } from '#server/index.ts';
import { FrameCounter, frameRun, openRawWebSocket } from '../bench/lib/raw-ws.ts';
import { MAX_HELD_MESSAGES } from '#server/sync/read-gate.ts';
import { FULL_BYTES } from '#server/verify/backlog.ts';
import { blobsAt, sleep, until, writer } from './support/harness.ts';

const UPDATES = 200;

let relay: Relay;
beforeAll(async () => {
  await initSodium();
  relay = await startRelay({ host: '127.0.0.1', port: 0, verify: 'pool', log: () => {} });
});
afterAll(() => relay?.close());

it('holds what a fast writer sent after its pause, and takes all of it once the backlog drains', async () => {
  const w = await writer();
  const messages = Array.from({ length: UPDATES }, () => writeMessage({ type: 'sync-update', update: w.next(200), step2: false }));
  const run = frameRun(messages);
  expect(run.bytes.length).toBeGreaterThan(64 * 1024); // more than one read of the socket

  const others = FULL_BYTES - 16 * 1024;
  expect(relay.registry.backlog.admit(others, false)).toBe(true);
  const frames = new FrameCounter(0, 2);
  const socket = await openRawWebSocket(`${relay.url.replace('http', 'ws')}/v1/sync/${w.name}`, frames);
  try {
    socket.write(run.bytes);
    await sleep(500);
    expect(frames.closes, 'the relay closed the writer').toBe(0);
    expect(relay.counters.snapshot()['sync.verify-paused'] ?? 0).toBeGreaterThan(0);

    relay.registry.backlog.release(others);
    const all = await until(async () => (await blobsAt(relay.url, w.name)) === UPDATES, 15_000);
    expect(all, `${await blobsAt(relay.url, w.name)} of ${UPDATES} updates applied`).toBe(true);
    expect(frames.closes).toBe(0);
    expect(relay.counters.snapshot()['sync.closed.1013'] ?? 0).toBe(0);
  } finally {
    socket.destroy();
  }
});

it('closes a paused client that packed more messages into its read than it may hold, and its socket within the closing handshake', async () => {
  const w = await writer();
  const updates = [w.next(200), w.next(200)].map((update) => writeMessage({ type: 'sync-update', update, step2: false }));
  const queries = Array.from({ length: MAX_HELD_MESSAGES + 50 }, () => writeMessage({ type: 'query-awareness' }));
  const run = frameRun([...updates, ...queries]);

  const others = FULL_BYTES - 16 * 1024;
  expect(relay.registry.backlog.admit(others, false)).toBe(true);
  const frames = new FrameCounter(0, 2);
  const socket = await openRawWebSocket(`${relay.url.replace('http', 'ws')}/v1/sync/${w.name}`, frames);
  try {
    const before = relay.counters.snapshot()['sync.closed.4429'] ?? 0;
    const gone = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.write(run.bytes);
    expect(await until(() => frames.closes > 0, 2000), 'the relay sent no close').toBe(true);
    expect((relay.counters.snapshot()['sync.closed.4429'] ?? 0) - before).toBe(1);
    // The client answers the close (masked, empty); a relay that still held the socket paused
    // would not read it, and would drop the socket only after ws's 30 s.
    const answered = performance.now();
    socket.write(Buffer.from([0x88, 0x80, 0, 0, 0, 0]));
    await Promise.race([gone, sleep(2000)]);
    expect(socket.destroyed || socket.readableEnded, 'the relay kept the socket').toBe(true);
    expect(performance.now() - answered).toBeLessThan(2000);
  } finally {
    relay.registry.backlog.release(others);
    socket.destroy();
  }
});
