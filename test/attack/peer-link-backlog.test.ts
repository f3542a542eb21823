// A peer's live link is read more slowly when the relay has much waiting for its checks; it is
// not dropped. Anyone who knows a space id can fill a relay's backlog of updates waiting for
// their checks (replayed-checks.test.ts). A live link that met that backlog was refused as if
// its peer lied, and tried again only after a penalised backoff: a mirror of every board then
// stopped carrying them live. Now its reading pauses, what arrived after the pause is held
// (server/sync/read-gate.ts), and an update skipped because other senders filled the backlog is
// asked for again once it drains.
//
// Relay B has two peers: relay A, and a peer of this test's own that sends its updates in one
// write, as a peer relay does to a link that fell behind. A reader at B loads a room, which
// opens B's links to both. B's backlog is filled as other senders would fill it.
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { initSodium } from '#shared';
import { writeMessage } from '#shared/wire/index.ts';
import { startRelay, type Relay } from '#server/index.ts';
import { FULL_BYTES, RESERVE_BYTES } from '#server/verify/backlog.ts';
import { frameRun, openRawWebSocket } from '../bench/lib/raw-ws.ts';
import { blobsAt, post, reachRoom, until, writer, type Writer } from './support/harness.ts';

const UPDATES = 200;

/**
 * A peer that answers a live link's sync step 1 for a room with the messages given for it, all
 * in one write; nothing else (its other endpoints answer 404, so the relay's rounds with it fail).
 */
class BurstPeer {
  readonly bursts = new Map<string, Uint8Array[]>();
  readonly #server: Server = createServer((_req, res) => res.writeHead(404).end());
  readonly #sockets = new WebSocketServer({ noServer: true });

  constructor() {
    this.#server.on('upgrade', (req, socket: Socket, head) => {
      const room = /\/v1\/sync\/([^?]+)/.exec(req.url ?? '')?.[1] ?? '';
      this.#sockets.handleUpgrade(req, socket, head, (ws) => {
        ws.once('message', () => {
          socket.cork();
          for (const message of this.bursts.get(room) ?? []) ws.send(message);
          socket.uncork();
        });
      });
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  close(): void {
    for (const ws of this.#sockets.clients) ws.terminate();
    this.#server.close();
  }
}

let source: Relay;
let linked: Relay;
const peer = new BurstPeer();
const undo: Array<() => void> = [];

beforeAll(async () => {
  await initSodium();
  source = await startRelay({ host: '127.0.0.1', port: 0, verify: 'inline', log: () => {} });
  linked = await startRelay({ host: '127.0.0.1', port: 0, verify: 'pool', peers: [source.url, await peer.listen()], log: () => {} });
});
afterEach(() => {
  for (const step of undo.splice(0).reverse()) step();
});
afterAll(async () => {
  await linked?.close();
  await source?.close();
  peer.close();
});

const counter = (name: string) => linked.counters.snapshot()[name] ?? 0;

/** Opens a reader at B, which loads the room and opens its links. */
async function loadAtB(w: Writer): Promise<void> {
  let stop!: () => void;
  void reachRoom(linked.url, w.name, new Promise<void>((resolve) => (stop = resolve)));
  undo.push(stop);
  expect(await until(() => linked.registry.isLoaded(w.name), 5000), 'the room loaded at B').toBe(true);
}

/** Fills B's backlog with `bytes` of other senders' updates until the test ends. */
function othersWaiting(bytes: number): void {
  expect(linked.registry.backlog.admit(bytes, false)).toBe(true);
  undo.push(() => linked.registry.backlog.release(bytes));
}

/**
 * Sync-update messages of UPDATES updates. Over 2 KiB each, so that B's event loop leaves their
 * checks to its worker and several wait at once.
 */
function burst(w: Writer): Uint8Array[] {
  return Array.from({ length: UPDATES }, () => writeMessage({ type: 'sync-update', update: w.next(3000), step2: false }));
}

it('pauses a live link that sends faster than the relay checks, behind a backlog near its mark, and takes all it sent', async () => {
  const w = await writer();
  peer.bursts.set(w.name, burst(w));
  // Room for about 20 of the link's updates before the mark for senders with one waiting.
  othersWaiting(FULL_BYTES - 64 * 1024);
  const [paused, refused, skipped] = [counter('peer.live-paused'), counter('peer.refused.live'), counter('peer.live-skipped')];

  await loadAtB(w);
  const all = await until(async () => (await blobsAt(linked.url, w.name)) === UPDATES, 15_000);
  expect(all, `${await blobsAt(linked.url, w.name)} of ${UPDATES} updates at B`).toBe(true);
  expect(counter('peer.live-paused') - paused, 'the link was paused').toBeGreaterThan(0);
  expect(counter('peer.refused.live') - refused, "the link was refused for the relay's load").toBe(0);
  expect(counter('peer.live-skipped') - skipped, 'updates were skipped').toBe(0);
});

it('asks the peer again for updates skipped while other senders held the whole backlog', async () => {
  const w = await writer();
  await loadAtB(w);
  // Written to A until it reaches B over the link (the link opens once the room loads).
  expect((await post(source.url, w.name, w.next())).status).toBe(200);
  expect(await until(async () => (await blobsAt(linked.url, w.name)) === 1, 10_000), 'the link carries').toBe(true);
  const [refused, skipped] = [counter('peer.refused.live'), counter('peer.live-skipped')];
  let held = true;
  const others = RESERVE_BYTES - 1024;
  expect(linked.registry.backlog.admit(others, false)).toBe(true);
  undo.push(() => held && linked.registry.backlog.release(others));

  // To A in one write; A applies them and sends each on to B's link.
  const socket = await openRawWebSocket(`${source.url.replace('http', 'ws')}/v1/sync/${w.name}`);
  undo.push(() => socket.destroy());
  socket.write(frameRun(burst(w)).bytes);
  expect(await until(() => counter('peer.live-skipped') > skipped, 5000), 'an update was skipped').toBe(true);
  expect(await blobsAt(linked.url, w.name)).toBeLessThan(UPDATES + 1);

  linked.registry.backlog.release(others);
  held = false;
  const all = await until(async () => (await blobsAt(linked.url, w.name)) === UPDATES + 1, 15_000);
  expect(all, `${await blobsAt(linked.url, w.name)} of ${UPDATES + 1} updates at B`).toBe(true);
  expect(counter('peer.refused.live') - refused).toBe(0);
});
