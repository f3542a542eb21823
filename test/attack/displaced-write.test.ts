// Two valid blobs at one id (docs/PROTOCOL.md §3, "Displaced writes"): protocol 2 binds a blob
// to its Yjs id, but anyone holding the write key can sign for any id, including another
// member's next (client, clock), and deliver it first. Yjs then keeps whichever arrived first
// and skips the other, while state vectors (and so receipts) say both are delivered. The
// writer reads its blobs back after each receipt, finds other bytes at its id, re-seals the
// same content at a fresh id and says so; relays whose peer holds other bytes at an id log it.
import assert from 'node:assert/strict';
import { afterAll, it } from 'vitest';
import * as Y from 'yjs';
import { BlobKind, addPost, appendSealed, createEnvelopeDoc, generateIdentity, initSodium, parseCapability, roomName, sealUpdateBlob, signPost } from '#shared';
import { BatonClient } from '#client-core/client.ts';
import { MemoryStore } from '#client-core/store.ts';
import { createBoard, createThread, post, posts } from '#client-core/boards.ts';
import type { Space } from '#client-core/space.ts';
import type { ClientProblem } from '#client-core/problems.ts';
import { NodeWS, until } from '../integration/client-fixtures.ts';
import { cuttableProxy, diskRelay, postUpdate, roomState } from './support.ts';

await initSodium();

const cleanup: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
});

/**
 * The displacing write: another write-key holder signs its own post for the member's next id
 * (learned from the relay's state vector) and posts it to the relay first.
 */
async function displace(relayUrl: string, threadWriteCap: string, client: number): Promise<number> {
  const cap = parseCapability(threadWriteCap);
  const room = roomName(cap.spaceId, 0);
  const held = (await roomState(relayUrl, room)).update;
  const doc = createEnvelopeDoc();
  Y.applyUpdate(doc, held);
  doc.clientID = client; // the member's own client: its next clock is the one to take
  const clock = Y.getState(doc.store, client);
  const plain = new Y.Doc();
  const impostor = generateIdentity();
  addPost(plain, signPost(impostor, { threadSpaceId: cap.spaceId, name: 'impostor', body: 'displacing text' }));
  const key = { writePub: cap.writePub, epoch: 0, readKey: cap.readKey!, writeSecret: cap.write!.secretKey };
  const before = Y.encodeStateVector(doc);
  appendSealed(doc, [(pos) => sealUpdateBlob(key, BlobKind.update, impostor, Y.encodeStateAsUpdate(plain), pos)]);
  const res = await postUpdate(relayUrl, room, Y.encodeStateAsUpdate(doc, before));
  assert.equal(res.status, 200, 'the displacing blob is valid: signed with the write key for that id');
  return clock;
}

function lastWrite(thread: Space) {
  const writes = thread.localWrites();
  return writes[writes.length - 1]!;
}

it('a write displaced by another write-key holder is found by reading back, re-sealed at a fresh id, and reported', async () => {
  const a = await diskRelay();
  cleanup.push(a.stop);
  const proxy = await cuttableProxy(a.relay.port);
  cleanup.push(() => proxy.close());
  const problems: ClientProblem[] = [];
  const writer = new BatonClient({ store: new MemoryStore(), identity: generateIdentity(), name: 'member', batchMs: 10, connection: { WebSocket: NodeWS, maxBackoffMs: 200 }, onProblem: (m) => problems.push(m) });
  cleanup.push(() => writer.close());
  const { board } = await createBoard(writer, { title: 'B', relays: [proxy.url] });
  const { thread, caps } = await createThread(writer, board, { title: 'T', body: 'first, delivered' });
  assert.ok(await until(() => thread.outbox().length === 0), 'the first post is receipted');

  // The member writes while cut off; another write-key holder takes the member's next id first.
  proxy.cut();
  post(writer, thread, { body: 'second, written offline' });
  thread.flush();
  const mine = lastWrite(thread);
  const taken = await displace(a.relay.url, caps.write, mine.client);
  assert.equal(taken, mine.clock, 'the impostor signed for exactly the id of the offline write');

  // Back online: the receipt covers the id, the read-back shows other bytes there, the content is re-sealed.
  proxy.restore();
  assert.ok(await until(() => thread.displaced().length === 1, 15_000), 'the displacement is found');
  const [displaced] = thread.displaced();
  assert.equal(displaced!.client, mine.client);
  assert.equal(displaced!.clock, mine.clock);
  assert.equal(displaced!.resealedAt.length, 1);
  assert.ok(displaced!.resealedAt[0]!.clock > mine.clock);
  assert.ok(
    problems.some((p) => p.kind === 'write-displaced' && p.at.client === mine.client && p.at.clock === mine.clock && p.resealedAt.length === 1),
    JSON.stringify(problems),
  );
  assert.ok(await until(() => thread.outbox().length === 0, 10_000), 'the re-sealed write is receipted');

  // A fresh reader of that relay sees the member's post (re-sealed) and the impostor's.
  const reader = new BatonClient({ store: new MemoryStore(), identity: generateIdentity(), name: 'reader', connection: { WebSocket: NodeWS } });
  cleanup.push(() => reader.close());
  const readerThread = await reader.open(caps.read.replace(/\?relays=.*/, `?relays=${encodeURIComponent(a.relay.url)}`));
  assert.ok(await until(() => posts(readerThread).length === 3, 10_000), `reader sees ${posts(readerThread).map((p) => p.body).join(' | ')}`);
  const bodies = posts(readerThread).map((p) => p.body).sort();
  assert.deepEqual(bodies, ['displacing text', 'first, delivered', 'second, written offline']);
  // Once re-sealed, nothing more is reported.
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(thread.displaced().length, 1);
});

it('a relay whose peer holds other bytes at an id it holds reports it (ids only)', async () => {
  const a = await diskRelay();
  cleanup.push(a.stop);
  const proxy = await cuttableProxy(a.relay.port);
  cleanup.push(() => proxy.close());
  const logs: string[] = [];
  const b = await diskRelay({ peers: [proxy.url], peerSyncMs: 100, peerRetryMaxMs: 200, log: (l) => logs.push(l) });
  cleanup.push(b.stop);
  const writer = new BatonClient({ store: new MemoryStore(), identity: generateIdentity(), name: 'member', batchMs: 10, connection: { WebSocket: NodeWS, maxBackoffMs: 200 } });
  cleanup.push(() => writer.close());
  const { board } = await createBoard(writer, { title: 'B', relays: [b.relay.url] });
  const { thread, caps } = await createThread(writer, board, { title: 'T', body: 'first' });
  const room = roomName(parseCapability(caps.read).spaceId, 0);
  assert.ok(await until(() => thread.outbox().length === 0));
  const onB = (await roomState(b.relay.url, room)).blobs;
  let onA = 0;
  for (let i = 0; i < 200 && onA < onB; i++) {
    onA = (await roomState(a.relay.url, room)).blobs;
    if (onA < onB) await new Promise((r) => setTimeout(r, 50));
  }
  assert.equal(onA, onB, 'B passed the thread on to A');

  // The peers are cut apart; each side gets its own bytes for the member's next id.
  proxy.cut();
  post(writer, thread, { body: 'second, on B' });
  thread.flush();
  const mine = lastWrite(thread);
  assert.ok(await until(() => thread.outbox().length === 0), 'B receipted the member');
  assert.equal(await displace(a.relay.url, caps.write, mine.client), mine.clock);

  // Together again: B's link reads back what it gained while apart, and finds A's other bytes.
  proxy.restore();
  const found = () => logs.some((l) => l.includes('other bytes') && l.includes(room.slice(0, 8)));
  for (let i = 0; i < 300 && !found(); i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(found(), `${JSON.stringify(await b.relay.peering.status())}\n${logs.join('\n')}`);
  assert.ok(logs.every((l) => !l.includes('displacing text') && !l.includes('second, on B')), 'no plaintext in logs');
});
