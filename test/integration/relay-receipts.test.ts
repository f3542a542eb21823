// Receipts (message 100) go only to connections that asked, after the durable commit.
import assert from 'node:assert/strict';
import { afterAll, beforeAll, it } from 'vitest';
import * as Y from 'yjs';
import { appendSealed, createEnvelopeDoc } from '#shared';
import { startRelay, type Relay } from '#server/index.ts';
import { covers, envelopeUpdate, makeSpace, rawClient, receiptsOf, sealPost, syncUpdateMessage } from './relay-fixtures.ts';
import { waitUntil } from '../support/wait.ts';

let relay: Relay;
beforeAll(async () => {
  relay = await startRelay({ port: 0, host: '127.0.0.1', log: () => {} });
});
afterAll(() => relay.close());

it('a connection that asked gets a receipt with the room\'s state vector; others never see message 100', async () => {
  const space = await makeSpace();
  const asker = await rawClient(relay.url, space.room, '?receipts=1');
  const stock = await rawClient(relay.url, space.room);
  const doc = createEnvelopeDoc();
  appendSealed(doc, [sealPost(space, 'receipted')]);
  asker.send(syncUpdateMessage(Y.encodeStateAsUpdate(doc)));
  await waitUntil(() => receiptsOf(asker).length > 0, { timeoutMs: 2000, what: 'a receipt' });
  assert.ok(covers(receiptsOf(asker)[0]!, Y.encodeStateVector(doc)));

  const before = receiptsOf(asker).length;
  stock.send(syncUpdateMessage(envelopeUpdate([sealPost(space, 'from a stock client')])));
  await waitUntil(() => stock.messages.length >= 1 && asker.messages.filter((m) => m[0] === 0).length >= 2, { timeoutMs: 2000, what: 'the broadcast' });
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(stock.messages.some((m) => m[0] === 100), false, 'no receipts to a stock client');
  assert.equal(receiptsOf(asker).length, before, 'no receipt for an update the asker did not send');

  // An update the relay already holds adds nothing, and is still receipted: the sender learns the relay has it.
  asker.send(syncUpdateMessage(Y.encodeStateAsUpdate(doc)));
  await waitUntil(() => receiptsOf(asker).length === before + 1, { timeoutMs: 2000, what: 'a receipt for a known update' });
  asker.close();
  stock.close();
});

it('many updates in one burst are receipted by a commit that covers them all', async () => {
  const space = await makeSpace();
  const asker = await rawClient(relay.url, space.room, '?receipts=1');
  const doc = createEnvelopeDoc();
  for (let i = 0; i < 20; i++) {
    const sv = Y.encodeStateVector(doc);
    appendSealed(doc, [sealPost(space, `burst ${i}`)]);
    asker.send(syncUpdateMessage(Y.encodeStateAsUpdate(doc, sv)));
  }
  await waitUntil(() => receiptsOf(asker).some((sv) => covers(sv, Y.encodeStateVector(doc))), { timeoutMs: 2000, what: 'a covering receipt' });
  assert.ok(receiptsOf(asker).length < 20, `one receipt per commit, not per update (got ${receiptsOf(asker).length})`);
  asker.close();
});
