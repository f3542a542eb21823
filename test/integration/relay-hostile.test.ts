// Hostile messages are refused with the right close code, never applied, stored or passed
// on, and the relay keeps serving everyone else.
import assert from 'node:assert/strict';
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, it } from 'vitest';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { CloseCode, appendSealed, createEnvelopeDoc, envelopeLog } from '#shared';
import { startRelay, type Relay } from '#server/index.ts';
import {
  blobsOf,
  connectProvider,
  envelopeUpdate,
  kindOf,
  makeSpace,
  rawClient,
  sealPost,
  spoiled,
  stopProvider,
  syncUpdateMessage,
  type TestSpace,
} from './relay-fixtures.ts';
import { waitUntil } from '../support/wait.ts';

let relay: Relay;
const logs: string[] = [];
beforeAll(async () => {
  relay = await startRelay({
    port: 0,
    host: '127.0.0.1',
    log: (line) => logs.push(line),
    limits: { maxUpdateBytes: 64 * 1024, maxBlobBytes: 16 * 1024, messagesPerSecond: 50, messageBurst: 60 },
  });
});
afterAll(() => relay.close());

/** A fresh pair of stock clients still converges: the relay is alive and unpoisoned. */
async function assertStillServes(space?: TestSpace): Promise<void> {
  const s = space ?? (await makeSpace());
  const a = createEnvelopeDoc();
  const b = createEnvelopeDoc();
  const pa = await connectProvider(relay.url, s.room, a);
  const pb = await connectProvider(relay.url, s.room, b);
  try {
    const before = blobsOf(b).length;
    appendSealed(a, [sealPost(s, 'still served')]);
    await waitUntil(() => blobsOf(b).length === before + 1, { timeoutMs: 3000, what: 'a good client to sync' });
  } finally {
    stopProvider(pa);
    stopProvider(pb);
  }
}

/** Sends one message on a raw socket and expects the relay to close it with `code`. */
async function expectClose(space: TestSpace, message: Uint8Array | string, code: number): Promise<void> {
  const raw = await rawClient(relay.url, space.room);
  raw.ws.send(message);
  const closed = await raw.closed;
  assert.equal(closed.code, code, `closed with ${closed.code} ${closed.reason}`);
}

describe('updates the relay refuses', () => {
  it('a blob with a forged signature: 4400, not applied, not passed on', async () => {
    const space = await makeSpace();
    const watcher = createEnvelopeDoc();
    const provider = await connectProvider(relay.url, space.room, watcher);
    try {
      const forged = spoiled(sealPost(space, 'forged'));
      await expectClose(space, syncUpdateMessage(envelopeUpdate([forged])), CloseCode.badMessage);
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(blobsOf(watcher).length, 0);
      const held = await (await fetch(`${relay.url}/v1/rooms/${space.room}`)).arrayBuffer();
      const doc = new Y.Doc();
      Y.applyUpdate(doc, new Uint8Array(held));
      assert.equal(envelopeLog(doc).length, 0);
    } finally {
      stopProvider(provider);
    }
    await assertStillServes(space);
  });

  it('a blob of another space: 4400', async () => {
    const space = await makeSpace();
    const other = await makeSpace();
    await expectClose(space, syncUpdateMessage(envelopeUpdate([sealPost(other, 'elsewhere')])), CloseCode.badMessage);
    await assertStillServes(space);
  });

  it('a blob signed for another epoch: 4400', async () => {
    const space = await makeSpace();
    const nextEpoch: TestSpace = { ...space, key: { ...space.key, epoch: 1 } };
    await expectClose(space, syncUpdateMessage(envelopeUpdate([sealPost(nextEpoch, 'epoch 1')]), true), CloseCode.badMessage);
    await assertStillServes(space);
  });

  it('an update that deletes: 4400', async () => {
    const space = await makeSpace();
    const doc = createEnvelopeDoc();
    appendSealed(doc, [sealPost(space, 'a'), sealPost(space, 'b')]);
    envelopeLog(doc).delete(0, 1);
    await expectClose(space, syncUpdateMessage(Y.encodeStateAsUpdate(doc)), CloseCode.badMessage);
    await assertStillServes(space);
  });

  it('random bytes, text frames and unknown message types: 4400', async () => {
    const space = await makeSpace();
    const random = new Uint8Array(200);
    for (let i = 0; i < random.length; i++) random[i] = (i * 131 + 7) & 0xff;
    random[0] = 0; // a sync message...
    random[1] = 2; // ...an update of garbage
    await expectClose(space, random, CloseCode.badMessage);
    await expectClose(space, new Uint8Array([0, 1, 0xff, 0xff, 0xff, 0xff, 0x0f]), CloseCode.badMessage);
    await expectClose(space, 'hello', CloseCode.badMessage);
    await expectClose(space, new Uint8Array([77, 1, 2]), CloseCode.badMessage);
    await expectClose(space, new Uint8Array([100, 0]), CloseCode.badMessage);
    await assertStillServes(space);
  });

  it('a frame over the update limit: 4413; a blob over the blob limit: 4413', async () => {
    const space = await makeSpace();
    await expectClose(space, new Uint8Array(64 * 1024 + 100), CloseCode.tooLarge);
    const big = sealPost(space, 'x'.repeat(20_000)); // about 20 KiB sealed, over the 16 KiB blob limit
    assert.ok(big({ client: 0, clock: 0 }).length > 16 * 1024);
    await expectClose(space, syncUpdateMessage(envelopeUpdate([big])), CloseCode.tooLarge);
    await assertStillServes(space);
  });

  it('a message flood: 4429', async () => {
    const space = await makeSpace();
    const raw = await rawClient(relay.url, space.room);
    const query = new Uint8Array([3]);
    for (let i = 0; i < 500 && raw.ws.readyState === raw.ws.OPEN; i++) raw.ws.send(query);
    const closed = await raw.closed;
    assert.equal(closed.code, CloseCode.rateLimited);
    await assertStillServes(space);
  });
});

describe('gaps', () => {
  it('an update with a gap is answered with sync step 1, and the filled gap is accepted', async () => {
    const space = await makeSpace();
    const doc = createEnvelopeDoc();
    appendSealed(doc, [sealPost(space, 'first')]);
    const sv = Y.encodeStateVector(doc);
    appendSealed(doc, [sealPost(space, 'second')]);
    const second = Y.encodeStateAsUpdate(doc, sv); // builds on `first`, which the relay lacks
    const raw = await rawClient(relay.url, space.room);
    await waitUntil(() => raw.messages.length >= 1, { timeoutMs: 2000, what: 'the greeting' });
    const greeted = raw.messages.length;
    raw.send(syncUpdateMessage(second));
    await waitUntil(() => raw.messages.length > greeted, { timeoutMs: 2000, what: 'an answer to the gap' });
    assert.deepEqual(kindOf(raw.messages[greeted]!), [0, 0], 'the relay asks with sync step 1');
    assert.equal(raw.ws.readyState, raw.ws.OPEN, 'a gap is not an offence');
    raw.send(syncUpdateMessage(Y.encodeStateAsUpdate(doc), true));
    await new Promise((r) => setTimeout(r, 50));
    const watcher = createEnvelopeDoc();
    const provider = await connectProvider(relay.url, space.room, watcher);
    try {
      await waitUntil(() => blobsOf(watcher).length === 2, { timeoutMs: 2000, what: 'both blobs at the relay' });
    } finally {
      stopProvider(provider);
      raw.close();
    }
    await assertStillServes(space);
  });
});

describe('awareness', () => {
  function awarenessMessage(clientId: number, clock: number, state: unknown): Uint8Array {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 1);
    const inner = encoding.createEncoder();
    encoding.writeVarUint(inner, 1);
    encoding.writeVarUint(inner, clientId);
    encoding.writeVarUint(inner, clock);
    encoding.writeVarString(inner, JSON.stringify(state));
    encoding.writeVarUint8Array(encoder, encoding.toUint8Array(inner));
    return encoding.toUint8Array(encoder);
  }

  it('relays {e} states blind, drops anything else without a disconnect, and clears states on close', async () => {
    const space = await makeSpace();
    const watcherDoc = new Y.Doc();
    const watcher = await connectProvider(relay.url, space.room, watcherDoc);
    const sender = await rawClient(relay.url, space.room);
    try {
      sender.send(awarenessMessage(4242, 1, { name: 'plaintext presence' }));
      sender.send(awarenessMessage(4243, 1, { e: 'not base64url!' }));
      sender.send(awarenessMessage(4244, 1, { e: 'A'.repeat(4000) }));
      sender.send(awarenessMessage(4245, 1, { e: 'abc', extra: 1 }));
      sender.send(new Uint8Array([1, 3, 5, 1, 2])); // a well-framed awareness message of garbage
      sender.send(awarenessMessage(4246, 1, { e: 'c2VhbGVkLXByZXNlbmNl' }));
      await waitUntil(() => watcher.awareness.getStates().has(4246), { timeoutMs: 2000, what: 'the sealed presence' });
      const states = watcher.awareness.getStates();
      assert.deepEqual(states.get(4246), { e: 'c2VhbGVkLXByZXNlbmNl' });
      for (const id of [4242, 4243, 4244, 4245]) assert.equal(states.has(id), false, `state ${id} was dropped`);
      assert.equal(sender.ws.readyState, sender.ws.OPEN, 'malformed awareness is not a disconnect');

      // Another connection cannot overwrite or remove a state it does not own.
      const intruder = await rawClient(relay.url, space.room);
      intruder.send(awarenessMessage(4246, 5, null));
      intruder.send(awarenessMessage(4246, 6, { e: 'b3RoZXI' }));
      await new Promise((r) => setTimeout(r, 100));
      assert.deepEqual(watcher.awareness.getStates().get(4246), { e: 'c2VhbGVkLXByZXNlbmNl' });
      intruder.close();

      // A late joiner gets current states; they vanish when their owner disconnects.
      const late = createEnvelopeDoc();
      const lateProvider = await connectProvider(relay.url, space.room, late);
      await waitUntil(() => lateProvider.awareness.getStates().has(4246), { timeoutMs: 2000, what: 'states for a late joiner' });
      sender.close();
      await waitUntil(() => !watcher.awareness.getStates().has(4246), { timeoutMs: 2000, what: 'the state to be removed on close' });
      stopProvider(lateProvider);
    } finally {
      stopProvider(watcher);
      sender.close();
    }
    assert.ok(!logs.some((l) => l.includes('plaintext presence')));
  });

  it('answers a query for awareness', async () => {
    const space = await makeSpace();
    const a = await rawClient(relay.url, space.room);
    a.send(awarenessMessage(77, 1, { e: 'eHl6' }));
    const b = await rawClient(relay.url, space.room);
    await waitUntil(() => b.messages.length >= 1, { timeoutMs: 2000, what: 'greeting' });
    const count = b.messages.length;
    b.send(new Uint8Array([3]));
    await waitUntil(() => b.messages.slice(count).some((m) => m[0] === 1), { timeoutMs: 2000, what: 'awareness answer' });
    const answer = b.messages.slice(count).find((m) => m[0] === 1)!;
    const check = new awarenessProtocol.Awareness(new Y.Doc());
    awarenessProtocol.applyAwarenessUpdate(check, answer.subarray(2), null);
    assert.deepEqual(check.getStates().get(77), { e: 'eHl6' });
    check.destroy();
    a.close();
    b.close();
  });
});
