// Idle sockets hold a room's slots. Before, 500 idle sockets from one source locked a room:
// every new connection was closed with 1013. Now, when a room is full, the connection that
// made no progress for longest gives way to the newcomer; a slow link that keeps draining
// its catch-up is never the one cut. A per-source share of slots is an option.
import assert from 'node:assert/strict';
import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import { fill, sleep, spawnRelay, until, writer, type RelayChild } from './support/harness.ts';

const SLOTS = 60;

let relay: RelayChild;
beforeAll(async () => {
  relay = await spawnRelay({ limits: { maxConnectionsPerRoom: SLOTS, maxRoomBytes: 700_000 }, slotGraceMs: 1000 });
});
afterAll(() => relay?.close());

interface Client {
  ws: WebSocket;
  closed: Promise<number>;
  /** Sync step 2 received: the room is caught up. */
  synced: Promise<void>;
  bytes(): number;
}

/** A client of the room; `kbps` throttles how fast it reads (pausing its socket). */
async function connect(url: string, kbps?: number, headers: Record<string, string> = {}): Promise<Client> {
  const ws = new WebSocket(url, { headers });
  ws.binaryType = 'arraybuffer';
  ws.on('error', () => {});
  let bytes = 0;
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  const synced = new Promise<void>((resolve) =>
    ws.on('message', (data: ArrayBuffer) => {
      const m = new Uint8Array(data);
      bytes += m.length;
      if (m[0] === 0 && m[1] === 1) resolve();
    }),
  );
  await new Promise<void>((resolve) => {
    ws.once('open', () => resolve());
    ws.once('close', () => resolve());
  });
  if (kbps !== undefined && ws.readyState === ws.OPEN) throttle(ws, (kbps * 1000) / 8);
  if (ws.readyState === ws.OPEN) ws.send(new Uint8Array([0, 0, 1, 0])); // sync step 1: send me everything
  return { ws, closed, synced, bytes: () => bytes };
}

/** Reads at most `bytesPerSecond`: the socket is paused whenever it ran ahead. */
function throttle(ws: WebSocket, bytesPerSecond: number): void {
  const socket = (ws as unknown as { _socket: import('node:net').Socket })._socket;
  const step = bytesPerSecond / 10;
  let allowance = step;
  socket.on('data', (chunk: Buffer) => {
    allowance -= chunk.length;
    if (allowance < 0) socket.pause();
  });
  const timer = setInterval(() => {
    allowance = Math.min(allowance + step, step);
    if (allowance > 0) socket.resume();
  }, 100);
  socket.once('close', () => clearInterval(timer));
}

it('a full room of idle sockets lets a newcomer in, and a 400 kbit/s reader catching up the full room completes', async () => {
  const room = await writer();
  await fill(relay.url, room, 600_000);
  const url = `${relay.url.replace('http', 'ws')}/v1/sync/${room.name}`;
  const idle: Client[] = [];
  for (let i = 0; i < SLOTS; i++) idle.push(await connect(url));
  await Promise.all(idle.map((c) => c.synced));
  await sleep(1200); // past the grace period: the idle sockets made no progress since

  // The slow reader takes a slot (an idle socket gives way) and starts its catch-up.
  const slow = await connect(url, 400);
  assert.equal(slow.ws.readyState, WebSocket.OPEN, 'the newcomer is in');
  // The attacker keeps opening sockets to push it out; each takes an idle socket's slot instead.
  let churn = true;
  const churner = (async () => {
    while (churn) {
      const c = await connect(url);
      idle.push(c);
      await sleep(300);
    }
  })();
  const done = await Promise.race([slow.synced.then(() => 'synced'), slow.closed.then((code) => `closed ${code}`), sleep(40_000).then(() => 'timeout')]);
  churn = false;
  await churner;
  assert.equal(done, 'synced', `the slow reader ${done} after ${slow.bytes()} bytes`);
  assert.ok(slow.bytes() > 600_000);
  const evicted = (await Promise.all(idle.map((c) => Promise.race([c.closed, sleep(10).then(() => 0)])))).filter((code) => code === 1013);
  assert.ok(evicted.length >= 2, `${evicted.length} idle sockets gave way`);
  for (const c of [...idle, slow]) c.ws.terminate();
  expect((await relay.stats()).counters['sync.evicted']).toBeGreaterThanOrEqual(2);
}, 60_000);

it('with a per-source share, one address cannot take a whole room; a named proxy forwards real addresses', async () => {
  const limited = await spawnRelay({ perSourceConnections: 3, trustedProxies: ['10.9.9.9'] });
  try {
    const room = await writer();
    const url = `${limited.url.replace('http', 'ws')}/v1/sync/${room.name}`;
    const mine = [await connect(url), await connect(url), await connect(url)];
    const fourth = await connect(url);
    assert.equal(await Promise.race([fourth.closed, sleep(2000).then(() => 0)]), 1013, 'the fourth from one address is refused');
    // X-Forwarded-For is believed only from the named proxy (the socket here is 127.0.0.1).
    const claimed = await connect(url, undefined, { 'X-Forwarded-For': '192.0.2.1' });
    assert.equal(await Promise.race([claimed.closed, sleep(1000).then(() => 0)]), 1013, 'a header from anyone else changes nothing');
    for (const c of mine) c.ws.close();
    await Promise.all(mine.map((c) => c.closed));
    await sleep(100);
    const again = await connect(url);
    assert.equal(await Promise.race([again.closed, sleep(500).then(() => 0)]), 0, 'slots come back when connections close');
    again.ws.close();
  } finally {
    await limited.close();
  }
});

it('without the option, connections from one address are not counted', async () => {
  const room = await writer();
  const url = `${relay.url.replace('http', 'ws')}/v1/sync/${room.name}`;
  const many = await Promise.all(Array.from({ length: 10 }, () => connect(url)));
  await sleep(300);
  assert.ok(many.every((c) => c.ws.readyState === WebSocket.OPEN));
  for (const c of many) c.ws.close();
  await until(() => many.every((c) => c.ws.readyState === WebSocket.CLOSED), 2000);
});
