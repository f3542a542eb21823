// The peering layer: mirror arguments, one link per remote, the registry's room events reaching
// every link (and no longer once closed), and the status it reports.
import assert from 'node:assert/strict';
import { afterEach, it } from 'vitest';
import { CapabilityError, formatCapability, initSodium, parseRoomName } from '#shared';
import { writeBlobs } from '#test/integration/peer-fixtures.ts';
import { nameOf, openRegistry, type RegistryParts } from '#test/support/relay-parts.ts';
import { testIdentity, testRoom, testUpdate } from '#test/support/rooms.ts';
import { waitUntil } from '#test/support/wait.ts';
import type { RelayOptions } from '../config.ts';
import { startRelay, type Relay } from '../index.ts';
import { Peering, parseMirror, parseMirrorArg } from './peering.ts';

await initSodium();
const author = testIdentity(6);
const board = testRoom(40, 0, 'board');

const cleanup: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const undo of cleanup.splice(0).reverse()) await undo();
});

async function remoteRelay(): Promise<Relay> {
  const relay = await startRelay({ host: '127.0.0.1', port: 0, verify: 'inline', log: () => {} });
  cleanup.push(() => relay.close());
  return relay;
}

async function peeringOf(options: RelayOptions, ownUrl = 'http://127.0.0.1:1'): Promise<{ parts: RegistryParts; peering: Peering }> {
  const parts = await openRegistry({ peerSyncMs: 100, ...options });
  cleanup.push(() => parts.close());
  const peering = new Peering(parts.registry, parts.config, ownUrl);
  cleanup.push(() => peering.close());
  return { parts, peering };
}

it('a mirror argument is split at its last @ and keeps only the space id', () => {
  const cap = formatCapability(board.cap, 'read');
  assert.deepEqual(parseMirrorArg(`${cap}@https://user@relay.example`), [{ capability: `${cap}@https://user`, relay: 'relay.example' }]);
  const parsed = parseMirror({ capability: cap, relay: 'https://relay.example/' });
  assert.equal(parsed.spaceId, board.cap.spaceId);
  assert.equal(parsed.kind, 'board');
  assert.deepEqual(Object.keys(parsed).sort(), ['kind', 'relay', 'spaceId'], 'no key material');
  for (const bad of ['no-at-sign', '@http://x', 'cap@']) assert.throws(() => parseMirrorArg(bad), CapabilityError, bad);
});

it('one link per remote: its own URL and repeats are skipped; closing unsubscribes from the registry', async () => {
  const own = 'http://127.0.0.1:1';
  const { parts, peering } = await peeringOf({ peers: [own, 'http://127.0.0.1:2', 'http://127.0.0.1:2/', 'ws://127.0.0.1:3'] }, own);
  assert.deepEqual(peering.links.map((l) => l.url), ['http://127.0.0.1:2', 'http://127.0.0.1:3']);
  for (const event of ['changed', 'joined', 'linked', 'unloaded', 'idle'] as const) assert.equal(parts.registry.events.listenerCount(event), 1, event);
  await peering.close();
  for (const event of ['changed', 'joined', 'linked', 'unloaded', 'idle'] as const) assert.equal(parts.registry.events.listenerCount(event), 0, event);
});

it('a client joining a room here opens a live link to every peer; unloading the room closes them', async () => {
  const a = await remoteRelay();
  const b = await remoteRelay();
  const { parts, peering } = await peeringOf({ peers: [a.url, b.url], idleUnloadMs: 1000 });
  const room = nameOf(testRoom(41));
  const loaded = await parts.registry.acquire(parseRoomName(room)!);
  const client = { send: () => {} };
  loaded.join(client);
  assert.deepEqual(peering.links.map((l) => l.live.has(room)), [true, true]);
  await waitUntil(() => peering.links.every((l) => l.live.get(room)?.connected), { what: 'both live links to open', timeoutMs: 10_000 });
  loaded.leave(client);
  parts.registry.release(loaded);
  await parts.registry.sweep(Date.now() + 5000);
  assert.equal(parts.registry.isLoaded(room), false);
  assert.deepEqual(peering.links.map((l) => l.live.size), [0, 0]);
});

it('the status lists peers, and per mirror the rooms it carries with their blobs', async () => {
  const source = await remoteRelay();
  await writeBlobs(source, nameOf(board), [testUpdate(board, author, 'a', '1'), testUpdate(board, author, 'b', '2')]);
  const cap = formatCapability(board.cap, 'mirror');
  const { peering } = await peeringOf({ mirrors: [{ capability: cap, relay: source.url }] });
  peering.start();
  const carried = async () => {
    const room = (await peering.status()).mirrors[0]?.rooms[0];
    return room?.blobs === 2 && room.lag !== null;
  };
  await waitUntil(carried, { what: 'the mirror to carry the board and know its lag', timeoutMs: 10_000 });
  const status = await peering.status();
  assert.deepEqual(status.peers, []);
  const mirror = status.mirrors[0]!;
  assert.equal(mirror.spaceId, board.cap.spaceId);
  assert.equal(mirror.kind, 'board');
  assert.equal(mirror.connected, true);
  assert.deepEqual(
    mirror.rooms.map((r) => ({ room: r.room, role: r.role, blobs: r.blobs, lag: r.lag })),
    [{ room: nameOf(board), role: 'board', blobs: 2, lag: 0 }],
  );
});
