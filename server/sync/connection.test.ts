// One sync connection, over real WebSockets to a relay on a loopback port: the handshake, what
// it passes on and receipts, and how it closes a client that breaks the rules (only that one).
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { afterEach, it } from 'vitest';
import { BlobKind, CloseCode, initSodium, sealUpdateBlob, type Sealer } from '#shared';
import { readMessage, writeMessage, type WireMessage } from '#shared/wire/index.ts';
import { covers, rawClient, receiptsOf, type RawClient } from '#test/integration/relay-fixtures.ts';
import { nameOf, writer } from '#test/support/relay-parts.ts';
import { plainUpdate, testIdentity, testRoom, testUpdate } from '#test/support/rooms.ts';
import { waitUntil } from '#test/support/wait.ts';
import type { RelayOptions } from '../config.ts';
import { startRelay, type Relay } from '../index.ts';

await initSodium();
const author = testIdentity(8);
const thread = testRoom(50);
const room = nameOf(thread);

const cleanup: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const undo of cleanup.splice(0).reverse()) await undo();
});

async function relayWith(options: RelayOptions = {}): Promise<Relay> {
  const relay = await startRelay({ host: '127.0.0.1', port: 0, verify: 'inline', log: () => {}, ...options });
  cleanup.push(() => relay.close());
  return relay;
}

async function connect(relay: Relay, name = room, query = ''): Promise<RawClient> {
  const client = await rawClient(relay.url, name, query);
  cleanup.push(() => client.close());
  return client;
}

const decoded = (client: RawClient): WireMessage[] => client.messages.map((m) => readMessage(m)).flatMap((r) => (r.ok ? [r.message] : []));
const updatesOf = (client: RawClient) => decoded(client).filter((m): m is Extract<WireMessage, { type: 'sync-update' }> => m.type === 'sync-update');
const send = (client: RawClient, message: WireMessage) => client.send(writeMessage(message));

it('asks a new client for its state, and answers its sync step 1 with what it lacks', async () => {
  const relay = await relayWith();
  const write = writer();
  const first = await connect(relay);
  send(first, { type: 'sync-update', update: write([testUpdate(thread, author, 'a', '1')]), step2: false });
  await waitUntil(async () => (await relay.registry.listRooms()).includes(room), { what: 'the update to be stored' });
  const second = await connect(relay);
  await waitUntil(() => decoded(second).some((m) => m.type === 'sync-step1'), { what: 'the relay\'s sync step 1' });
  send(second, { type: 'sync-step1', stateVector: new Uint8Array([0]) });
  await waitUntil(() => updatesOf(second).some((m) => m.step2), { what: 'sync step 2' });
  const doc = new Y.Doc();
  for (const m of updatesOf(second)) Y.applyUpdate(doc, m.update);
  assert.equal(doc.getArray('log').length, 1);
});

it('passes an accepted update to the other members, and sends a receipt to a client that asked', async () => {
  const relay = await relayWith();
  const write = writer();
  const sender = await connect(relay, room, '?receipts=1');
  const other = await connect(relay);
  const update = write([testUpdate(thread, author)]);
  send(sender, { type: 'sync-update', update, step2: false });
  const want = Y.encodeStateVectorFromUpdate(update);
  await waitUntil(() => receiptsOf(sender).some((sv) => covers(sv, want)), { what: 'a receipt covering the update' });
  await waitUntil(() => updatesOf(other).some((m) => !m.step2), { what: 'the update at the other member' });
  assert.equal(updatesOf(sender).filter((m) => !m.step2).length, 0, 'not echoed to its sender');
  assert.equal(receiptsOf(other).length, 0, 'no receipts unasked');
});

it('a bad message closes only that connection, counted; the room goes on', async () => {
  const relay = await relayWith();
  const bad = await connect(relay);
  const good = await connect(relay, room, '?receipts=1');
  bad.send(new Uint8Array([0, 7, 1, 2, 3]));
  assert.equal((await bad.closed).code, CloseCode.badMessage);
  const forged: Sealer = (pos) => {
    const blob = testUpdate(thread, author)(pos).slice();
    blob[blob.length - 1]! ^= 1;
    return blob;
  };
  const forger = await connect(relay);
  send(forger, { type: 'sync-update', update: writer(2)([forged]), step2: false });
  assert.equal((await forger.closed).code, CloseCode.badMessage);
  assert.equal(relay.counters.get(`sync.closed.${CloseCode.badMessage}`), 2);
  const update = writer(3)([testUpdate(thread, author)]);
  send(good, { type: 'sync-update', update, step2: false });
  await waitUntil(() => receiptsOf(good).some((sv) => covers(sv, Y.encodeStateVectorFromUpdate(update))), { what: 'the good client\'s receipt' });
});

it('closes a client over the message rate or size limit with its own code', async () => {
  const relay = await relayWith({ limits: { messagesPerSecond: 1, messageBurst: 3, maxUpdateBytes: 2048 } });
  const chatty = await connect(relay);
  for (let i = 0; i < 10; i++) send(chatty, { type: 'sync-step1', stateVector: new Uint8Array([0]) });
  assert.equal((await chatty.closed).code, CloseCode.rateLimited);
  const big = await connect(relay);
  big.send(new Uint8Array(4096));
  assert.equal((await big.closed).code, CloseCode.tooLarge);
});

it('a newcomer to a full room is turned away with 1013 while the members are active', async () => {
  const relay = await relayWith({ limits: { maxConnectionsPerRoom: 2 }, slotGraceMs: 60_000 });
  const members = [await connect(relay), await connect(relay)];
  const late = await connect(relay);
  assert.equal((await late.closed).code, 1013);
  for (const member of members) assert.equal(member.ws.readyState, member.ws.OPEN);
});

it('a client that asked for epoch hints hears once that a newer epoch began', async () => {
  const relay = await relayWith();
  const asked = await connect(relay, room, '?epochs=1');
  const unasked = await connect(relay);
  const next = testRoom(50, 1);
  const snapshot: Sealer = (pos) => sealUpdateBlob(next.key, BlobKind.snapshot, author, plainUpdate('s', '1'), pos);
  const writerOfNext = await connect(relay, nameOf(next));
  send(writerOfNext, { type: 'sync-update', update: writer()([snapshot]), step2: false });
  await waitUntil(() => decoded(asked).some((m) => m.type === 'newer-epoch'), { what: 'the hint' });
  assert.deepEqual(decoded(asked).filter((m) => m.type === 'newer-epoch'), [{ type: 'newer-epoch', epoch: 1 }]);
  assert.equal(decoded(unasked).filter((m) => m.type === 'newer-epoch').length, 0);
});
