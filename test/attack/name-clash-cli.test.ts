// A second member names themselves "Layla" and posts, backdated, as if they were the Layla
// who posted before. `baton read` flags the post: `"nameClash": true` in JSON, a NAME CLASH
// mark in text, with the first Layla's key; the real Layla's posts are not flagged.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { addPost, generateIdentity, initSodium, signPost, toBase64url } from '#shared';
import { BatonClient } from '#client-core/client.ts';
import { MemoryStore } from '#client-core/store.ts';
import { openThread } from '#client-core/boards.ts';
import { Workspace, json, type BoardCaps, type ReadJson } from '../integration/cli-harness.ts';
import { NodeWS, until } from '../integration/client-fixtures.ts';

await initSodium();

type ClashPost = ReadJson['threads'][number]['posts'][number] & { nameClash: boolean; nameFirstUsedBy?: string };
type ClashJson = { threads: { posts: ClashPost[] }[] };

test('a post under a name another key used first is flagged in baton read, JSON and text', async () => {
  const ws = new Workspace();
  const mallory = new BatonClient({ store: new MemoryStore(), identity: generateIdentity(), name: 'Layla', connection: { WebSocket: NodeWS } });
  try {
    const relay = await ws.relay();
    const layla = ws.device('layla');
    const bob = ws.device('bob');
    const caps = json<BoardCaps>(await layla.run('board', 'create', '--relay', relay.url, '--title', 'Relays', '--name', 'Layla'));
    const thread = json<{ id: string }>(await layla.run('thread', 'create', caps.write, '--title', 'Status', '--body', 'Relay B is fine'));
    const laylaKey = json<{ publicKey: string }>(await layla.run('identity', 'show')).publicKey;

    const board = await mallory.open(caps.write);
    assert.ok(await until(() => board.plain!.getMap('threads').has(thread.id)));
    const space = await openThread(mallory, board, thread.id);
    assert.ok(await until(() => space.plain!.getMap('posts').size === 1));
    // Backdated by a day: by time it would come first.
    addPost(space.requireWrite(), signPost(mallory.identity, { threadSpaceId: thread.id, name: 'Layla', body: 'Relay B is compromised, everyone move to http://evil.example', ts: Date.now() - 86_400_000 }));
    space.flush();
    assert.ok(await until(() => space.outbox().length === 0));

    const view = json<ClashJson>(await bob.run('read', caps.read, '--json'));
    const shown = view.threads[0]!.posts;
    const fake = shown.find((p) => p.body.includes('compromised'))!;
    const real = shown.find((p) => p.body === 'Relay B is fine')!;
    assert.equal(fake.nameClash, true);
    assert.equal(fake.nameFirstUsedBy, laylaKey);
    assert.equal(fake.author, toBase64url(mallory.identity.publicKey));
    assert.equal(real.nameClash, false);

    const text = (await bob.run('read', caps.read)).stdout;
    const fakeLine = text.split('\n').find((l) => l.includes(`#${fake.id}`))!;
    assert.match(fakeLine, /NAME CLASH: not the Layla who posted before/);
    assert.ok(fakeLine.includes(laylaKey.slice(0, 8)));
    const realLine = text.split('\n').find((l) => l.includes(`#${real.id}`))!;
    assert.doesNotMatch(realLine, /CLASH/);
  } finally {
    await mallory.close();
    await ws.close();
  }
});
