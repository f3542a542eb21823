// Stock y-websocket clients converge through the relay on envelope docs of sealed blobs.
import assert from 'node:assert/strict';
import { afterAll, beforeAll, it } from 'vitest';
import * as Y from 'yjs';
import { appendSealed, createEnvelopeDoc, openBlob } from '#shared';
import { startRelay, type Relay } from '#server/index.ts';
import { blobsOf, connectProvider, makeSpace, placedBlobsOf, sealPost, stopProvider } from './relay-fixtures.ts';
import { waitUntil } from '../support/wait.ts';

let relay: Relay;
beforeAll(async () => {
  relay = await startRelay({ port: 0, host: '127.0.0.1', log: () => {} });
});
afterAll(() => relay.close());

it('two stock WebsocketProvider clients converge through the relay', async () => {
  const space = await makeSpace();
  const docA = createEnvelopeDoc();
  const docB = createEnvelopeDoc();
  appendSealed(docA, [sealPost(space, 'written before connecting')]);
  const a = await connectProvider(relay.url, space.room, docA);
  const b = await connectProvider(relay.url, space.room, docB);
  try {
    await waitUntil(() => blobsOf(docB).length === 1, { timeoutMs: 3000, what: 'B to receive the first post' });
    appendSealed(docB, [sealPost(space, 'from B')]);
    appendSealed(docA, [sealPost(space, 'from A')]);
    await waitUntil(() => blobsOf(docA).length === 3 && blobsOf(docB).length === 3, { timeoutMs: 3000, what: 'both to hold three blobs' });
    assert.deepEqual(Y.encodeStateVector(docA), Y.encodeStateVector(docB));
    for (const { blob, pos } of placedBlobsOf(docB)) assert.equal(openBlob(blob, space.key, pos).ok, true);
  } finally {
    stopProvider(a);
    stopProvider(b);
  }
});

it('a client that joins later gets everything from the relay alone', async () => {
  const space = await makeSpace();
  const docA = createEnvelopeDoc();
  const a = await connectProvider(relay.url, space.room, docA);
  appendSealed(docA, [sealPost(space, 'one'), sealPost(space, 'two')]);
  await waitUntil(() => relay.registry.isLoaded(space.room), { timeoutMs: 2000, what: 'room to load' });
  await new Promise((r) => setTimeout(r, 100));
  stopProvider(a);
  const docC = createEnvelopeDoc();
  const c = await connectProvider(relay.url, space.room, docC);
  try {
    await waitUntil(() => blobsOf(docC).length === 2, { timeoutMs: 3000, what: 'the late client to catch up' });
  } finally {
    stopProvider(c);
  }
});
