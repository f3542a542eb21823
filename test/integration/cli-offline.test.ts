import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace, json, type BoardCaps, type ReadJson } from './cli-harness.ts';

test('a write made while the relay is down is queued, and delivered once it is back', async () => {
  const ws = new Workspace();
  try {
    let relay = await ws.relay({ dataDir: 'relay' });
    const port = relay.port;
    const alice = ws.device('alice');
    const bob = ws.device('bob');
    const caps = json<BoardCaps>(await alice.run('board', 'create', '--relay', relay.url, '--title', 'Offline', '--name', 'alice'));
    const thread = json<{ id: string; write: string }>(await alice.run('thread', 'create', caps.write, '--title', 'Notes'));

    await relay.close();
    const started = Date.now();
    const queued = await alice.run('post', thread.write, '--body', 'written in the dark');
    assert.equal(queued.code, 3, queued.stderr);
    assert.match(queued.stderr, /queued on this device/);
    assert.ok(Date.now() - started < 6000, 'an unreachable relay is given up on quickly');
    const postId = (JSON.parse(queued.stdout) as { id: string }).id;
    const offlineStatus = json<{ pending: number; relays: { state: string }[] }>(await alice.run('status', caps.write, '--timeout', '2'));
    assert.equal(offlineStatus.pending, 1);
    assert.notEqual(offlineStatus.relays[0]!.state, 'synced');
    const unreachable = await bob.run('read', caps.read, '--timeout', '2');
    assert.equal(unreachable.code, 4, 'nothing local and no relay');
    assert.match(unreachable.stderr, /no relay could be reached/);

    relay = await ws.relay({ dataDir: 'relay', port });
    const synced = json<{ pending: number }>(await alice.run('sync', caps.write));
    assert.equal(synced.pending, 0);
    const seen = json<ReadJson>(await bob.run('read', caps.read, '--json'));
    assert.deepEqual(seen.threads[0]!.posts.map((p) => [p.id, p.body]), [[postId, 'written in the dark']]);

    // A queued write is also delivered by a later command about something else entirely.
    await relay.close();
    assert.equal((await alice.run('post', thread.write, '--body', 'second, also queued')).code, 3);
    relay = await ws.relay({ dataDir: 'relay', port });
    json(await alice.run('board', 'create', '--relay', relay.url, '--title', 'Another board'));
    const again = json<ReadJson>(await bob.run('read', thread.write.replace(/:[\w-]{43}\?/, '?'), '--json'));
    assert.deepEqual(again.threads[0]!.posts.map((p) => p.body), ['written in the dark', 'second, also queued']);
  } finally {
    await ws.close();
  }
});
