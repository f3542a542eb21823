import { test } from 'vitest';
import assert from 'node:assert/strict';
import { Workspace, firstScreenNewest, json, type BoardCaps, type ReadJson } from './cli-harness.ts';

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
    const queued = await alice.run('post', thread.write, '--body', 'written in the dark', '--timeout', '60');
    assert.equal(queued.code, 3, queued.stderr);
    assert.match(queued.stderr, /queued on this device/);
    assert.ok(Date.now() - started < 20_000, 'a refused relay is given up on long before the timeout');
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
    // The thread's first screen, behind the offline post, was brought up to date and delivered by the same command.
    assert.equal(await firstScreenNewest(thread.write), postId);
    const seen = json<ReadJson>(await bob.run('read', caps.read, '--json'));
    assert.deepEqual(seen.threads[0]!.posts.map((p) => [p.id, p.body]), [[postId, 'written in the dark']]);

    // A queued write is also delivered by a later command about something else entirely.
    await relay.close();
    const second = await alice.run('post', thread.write, '--body', 'second, also queued');
    assert.equal(second.code, 3, second.stderr);
    relay = await ws.relay({ dataDir: 'relay', port });
    const another = json<BoardCaps>(await alice.run('board', 'create', '--relay', relay.url, '--title', 'Another board'));
    await relay.close();
    const third = await alice.run('post', thread.write, '--body', 'third, delivered by a read');
    assert.equal(third.code, 3, third.stderr);
    relay = await ws.relay({ dataDir: 'relay', port });
    const read = await alice.run('read', another.read);
    assert.equal(read.code, 0, read.stderr);
    const again = json<ReadJson>(await bob.run('read', thread.write.replace(/:[\w-]{43}\?/, '?'), '--json'));
    assert.deepEqual(again.threads[0]!.posts.map((p) => p.body), ['written in the dark', 'second, also queued', 'third, delivered by a read']);
  } finally {
    await ws.close();
  }
});
