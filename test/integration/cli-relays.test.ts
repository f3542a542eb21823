// `baton relays add` signs the entry; `baton relays list` shows who added each entry of a
// board's list and whether this device dials it.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { generateIdentity, initSodium, relaysMap } from '#shared';
import { BatonClient } from '#client-core/client.ts';
import { MemoryStore } from '#client-core/store.ts';
import { Workspace, json, type BoardCaps } from './cli-harness.ts';
import { NodeWS, until } from './client-fixtures.ts';

await initSodium();

interface Row {
  relay: string;
  addedBy: string | null;
  addedByYou: boolean;
  dialled: boolean;
  why: string;
}

test('relays list: who added each entry, and which this device dials', async () => {
  const ws = new Workspace();
  const writer = new BatonClient({ store: new MemoryStore(), identity: generateIdentity(), name: 'w', connection: { WebSocket: NodeWS } });
  try {
    const relay = await ws.relay();
    const alice = ws.device('alice');
    const bob = ws.device('bob');
    const caps = json<BoardCaps>(await alice.run('board', 'create', '--relay', relay.url, '--title', 'Lists'));
    const aliceKey = json<{ publicKey: string }>(await alice.run('identity', 'show')).publicKey;
    const added = json<{ relay: string; relays: Row[] }>(await alice.run('relays', 'add', caps.write, 'http://127.0.0.1:9'));
    assert.equal(added.relay, 'http://127.0.0.1:9');
    assert.ok(added.relays.some((r) => r.relay === 'http://127.0.0.1:9' && r.addedByYou && r.dialled && r.why === 'chosen'));

    // Another writer adds an entry without signing it.
    const board = await writer.open(caps.write);
    assert.ok(await until(() => board.plain!.getMap('relays').size === 2));
    relaysMap(board.plain!).set('http://10.0.0.7:8787', { addedAt: 1 });
    board.flush();
    assert.ok(await until(() => board.outbox().length === 0));

    const list = json<{ relays: Row[] }>(await bob.run('relays', 'list', caps.read)).relays;
    const by = Object.fromEntries(list.map((r) => [r.relay, r]));
    assert.equal(by[relay.url]!.addedBy, aliceKey);
    assert.equal(by[relay.url]!.dialled, true, "the link's relay is bob's choice too");
    assert.deepEqual([by['http://127.0.0.1:9']!.addedBy, by['http://127.0.0.1:9']!.dialled, by['http://127.0.0.1:9']!.why], [aliceKey, false, 'local-address']);
    assert.deepEqual([by['http://10.0.0.7:8787']!.addedBy, by['http://10.0.0.7:8787']!.dialled], [null, false]);
  } finally {
    await writer.close();
    await ws.close();
  }
});
