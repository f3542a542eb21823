// `baton relays add` signs the entry; `baton relays list` shows who added each entry of a
// board's list and whether this device dials it.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { generateIdentity, initSodium, relaysMap, toBase64url } from '#shared';
import { BatonClient } from '#client-core/client.ts';
import { MemoryStore } from '#client-core/store.ts';
import { removeRelay } from '#client-core/boards.ts';
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

interface RemovedRow extends Row {
  removedBy?: string | null;
}

test('relays remove: a signed removal stops the dialling, except for a member who added the relay or named it', async () => {
  const ws = new Workspace();
  const other = new BatonClient({ store: new MemoryStore(), identity: generateIdentity(), name: 'other writer', connection: { WebSocket: NodeWS } });
  try {
    const home = await ws.relay();
    const dead = await ws.relay();
    const mine = await ws.relay();
    const alice = ws.device('alice');
    const bob = ws.device('bob');
    const caps = json<BoardCaps>(await alice.run('board', 'create', '--relay', home.url, '--title', 'Removals'));
    const aliceKey = json<{ publicKey: string }>(await alice.run('identity', 'show')).publicKey;
    await alice.run('relays', 'add', caps.write, dead.url);
    await alice.run('relays', 'add', caps.write, mine.url);

    const gone = json<{ removed: string; relays: RemovedRow[] }>(await alice.run('relays', 'remove', caps.write, dead.url));
    assert.equal(gone.removed, dead.url);
    const row = gone.relays.find((r) => r.relay === dead.url)!;
    assert.deepEqual([row.dialled, row.why, row.removedBy, row.addedBy], [false, 'removed', aliceKey, aliceKey]);
    // Removing it again says so, and changes nothing.
    const again = await alice.run('relays', 'remove', caps.write, dead.url);
    assert.notEqual(again.code, 0);
    assert.match(again.stderr, /does not name/);

    // Bob named the removed relay himself: it stays his.
    const bobs = json<{ relays: RemovedRow[] }>(await bob.run('relays', 'list', caps.read, '--relay', dead.url)).relays;
    assert.equal(bobs.find((r) => r.relay === dead.url)!.dialled, true);

    // Another writer removes the relay Alice added: her device keeps dialling it; it says who removed it.
    const board = await other.open(caps.write);
    assert.ok(await until(() => board.plain!.getMap('relays').size === 3));
    const otherKey = toBase64url(other.identity.publicKey);
    assert.equal(removeRelay(board, mine.url), true);
    assert.ok(await until(() => board.outbox().length === 0));
    assert.equal(board.relays().includes(mine.url), false, "the remover's own device drops it");
    const after = json<{ relays: RemovedRow[] }>(await alice.run('relays', 'list', caps.read)).relays;
    const kept = after.find((r) => r.relay === mine.url)!;
    assert.deepEqual([kept.dialled, kept.removedBy, kept.addedBy], [true, otherKey, aliceKey]);
  } finally {
    await other.close();
    await ws.close();
  }
});
