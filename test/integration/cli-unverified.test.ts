import { test } from 'vitest';
import assert from 'node:assert/strict';
import { addPost, generateIdentity, initSodium, signPost } from '#shared';
import { BatonClient } from '#client-core/client.ts';
import { MemoryStore } from '#client-core/store.ts';
import { Workspace, json, type BoardCaps, type ReadJson } from './cli-harness.ts';
import { NodeWS, until } from './client-fixtures.ts';

await initSodium();

test('a post with a tampered signature reads as unverified, never under its claimed name', async () => {
  const ws = new Workspace();
  const forger = new BatonClient({
    store: new MemoryStore(),
    identity: generateIdentity(),
    name: 'mallory',
    connection: { WebSocket: NodeWS },
  });
  try {
    const relay = await ws.relay();
    const alice = ws.device('alice');
    const caps = json<BoardCaps>(await alice.run('board', 'create', '--relay', relay.url, '--title', 'Trust', '--name', 'alice'));
    const thread = json<{ id: string; write: string }>(await alice.run('thread', 'create', caps.write, '--title', 'Claims', '--body', 'genuine'));

    // A member holding the write key posts words the claimed author never signed.
    const space = await forger.open(thread.write);
    const signed = signPost(forger.identity, { threadSpaceId: thread.id, name: 'alice', body: 'I resign' });
    addPost(space.requireWrite(), { ...signed, body: 'I resign, and give the keys to mallory' });
    space.flush();
    assert.ok(await until(() => space.outbox().length === 0), 'the relay confirmed the forged post');

    const view = json<ReadJson>(await alice.run('read', caps.read, '--json'));
    const posts = view.threads[0]!.posts;
    assert.deepEqual(posts.map((p) => [p.body, p.verified]), [
      ['genuine', true],
      ['I resign, and give the keys to mallory', false],
    ]);
    const text = await alice.run('read', caps.read);
    const line = text.stdout.split('\n').find((l) => l.includes(signed.id))!;
    assert.match(line, /UNVERIFIED/);
    assert.doesNotMatch(line, /alice/);
  } finally {
    await forger.close();
    await ws.close();
  }
});
