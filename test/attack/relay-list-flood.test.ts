// A writer fills a board's relay list with 300 URLs on one host; every reader used to dial all
// of them (thousands of connections in seconds, each naming the board's space id). A reader
// now dials at most 16 relays per board, and never a local address from the list unless its
// own user chose it. Counted as real TCP connections at a loopback listener.
import { afterAll, beforeAll, test } from 'vitest';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { Socket } from 'node:net';
import { startRelay, type Relay } from '#server/index.ts';
import { BatonClient } from '#client-core/client.ts';
import { MemoryStore } from '#client-core/store.ts';
import { createBoard } from '#client-core/boards.ts';
import { MAX_RELAYS_PER_SPACE } from '#client-core/relay-choice.ts';
import { generateIdentity, initSodium, relaysMap } from '#shared';
import { NodeWS, until } from '../integration/client-fixtures.ts';

await initSodium();

const ENTRIES = 300;
const WATCH_MS = 6000;

/** A host that answers nothing useful and counts what reaches it. */
class Trap {
  readonly connections = new Set<Socket>();
  readonly paths = new Set<string>();
  private server = http.createServer((req, res) => {
    this.paths.add(req.url!.split('/')[1]!);
    res.writeHead(404).end();
  });
  port = 0;
  async start(): Promise<void> {
    this.server.on('connection', (s) => this.connections.add(s));
    this.server.on('upgrade', (req, sock) => {
      this.paths.add(req.url!.split('/')[1]!);
      sock.destroy();
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as { port: number }).port;
  }
  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }
}

let relay: Relay;
let trap: Trap;
let readCap: string;
let writer: BatonClient;

beforeAll(async () => {
  relay = await startRelay({ host: '127.0.0.1', port: 0, log: () => {} });
  trap = new Trap();
  await trap.start();
  writer = new BatonClient({ store: new MemoryStore(), identity: generateIdentity(), name: 'mallory', connection: { WebSocket: NodeWS }, online: false });
  const { board, caps } = await createBoard(writer, { title: 'b', relays: [relay.url] });
  board.plain!.transact(() => {
    for (let i = 0; i < ENTRIES; i++) relaysMap(board.plain!).set(`http://127.0.0.1:${trap.port}/p${i}`, { addedAt: i });
  });
  board.flush();
  board.connect([relay.url]);
  assert.ok(await until(() => board.outbox().length === 0), 'the relay holds the hostile list');
  readCap = caps.read;
});

afterAll(async () => {
  await writer.close();
  await trap.close();
  await relay.close();
});

async function readWith(policy: { listedLocal?: boolean }): Promise<{ dialled: string[]; connections: number; paths: number }> {
  trap.connections.clear();
  trap.paths.clear();
  const reader = new BatonClient({ store: new MemoryStore(), identity: generateIdentity(), name: 'reader', connection: { WebSocket: NodeWS }, relayPolicy: policy });
  try {
    const board = await reader.open(readCap);
    assert.ok(await until(() => board.plain!.getMap('relays').size === ENTRIES + 1), 'the reader received the list');
    await new Promise((r) => setTimeout(r, WATCH_MS));
    return { dialled: board.relays(), connections: trap.connections.size, paths: trap.paths.size };
  } finally {
    await reader.close();
  }
}

test('a reader dials no loopback address from a board list its user did not choose', async () => {
  const seen = await readWith({});
  assert.deepEqual(seen.dialled, [relay.url]);
  assert.equal(seen.connections, 0, `TCP connections at the trap: ${seen.connections}`);
});

test('trusting local list entries, a reader still dials at most 16 relays of a 300-entry list', async () => {
  const seen = await readWith({ listedLocal: true });
  console.log(`relay list of ${ENTRIES}: ${seen.dialled.length} relays dialled, ${seen.paths} distinct trap relays reached over ${seen.connections} TCP connections in ${WATCH_MS / 1000} s`);
  assert.equal(seen.dialled.length, MAX_RELAYS_PER_SPACE);
  assert.equal(seen.dialled[0], relay.url, 'the link\'s own relay comes first');
  assert.ok(seen.paths <= MAX_RELAYS_PER_SPACE - 1, `distinct trap relays reached: ${seen.paths}`);
  assert.ok(seen.connections > 0, 'the trap relays that were chosen were dialled');
  // Reconnects with backoff: a few per relay in the window, not thousands.
  assert.ok(seen.connections <= (MAX_RELAYS_PER_SPACE - 1) * 12, `TCP connections: ${seen.connections}`);
});
