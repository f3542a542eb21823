import { test } from 'vitest';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Workspace, json, type BoardCaps, type ReadJson } from './cli-harness.ts';

test('two devices share a board through a relay; a read-only capability cannot post', async () => {
  const ws = new Workspace();
  try {
    const relay = await ws.relay();
    const alice = ws.device('alice');
    const bob = ws.device('bob');

    const caps = json<BoardCaps>(await alice.run('board', 'create', '--relay', relay.url, '--title', 'Square', '--name', 'alice'));
    assert.match(caps.write, /^baton:board:[\w-]{43}:[\w-]{43}:[\w-]{43}\?relays=/);
    for (const cap of Object.values(caps)) assert.ok(cap.includes(encodeURIComponent(relay.url)), 'every capability carries the relay hint');
    const thread = json<{ id: string; write: string; read: string }>(await alice.run('thread', 'create', caps.write, '--title', 'Meeting', '--body', 'Saturday at noon'));
    assert.ok(thread.read.startsWith(`baton:thread:${thread.id}:`));

    // Bob joins with the write capability and replies.
    const seen = json<ReadJson>(await bob.run('read', caps.read, '--json'));
    assert.equal(seen.board?.title, 'Square');
    assert.equal(seen.threads.length, 1);
    const first = seen.threads[0]!.posts[0]!;
    assert.deepEqual([first.name, first.body, first.verified], ['alice', 'Saturday at noon', true]);
    const reply = json<{ id: string }>(await bob.run('post', caps.write, '--thread', thread.id, '--body', 'I will bring water', '--reply-to', first.id, '--name', 'bob'));

    const back = json<ReadJson>(await alice.run('read', thread.read, '--json'));
    assert.equal(back.board, null);
    const posts = back.threads[0]!.posts;
    assert.deepEqual(posts.map((p) => [p.name, p.body, p.replyTo, p.verified]), [
      ['alice', 'Saturday at noon', null, true],
      ['bob', 'I will bring water', first.id, true],
    ]);
    assert.equal(posts[1]!.id, reply.id);
    const text = await alice.run('read', caps.read);
    assert.equal(text.code, 0);
    assert.match(text.stdout, /# Square[\s\S]*## Meeting[\s\S]*bob[\s\S]*I will bring water/);

    // A reader cannot post: one clear line, non-zero exit, nothing stored.
    const carol = ws.device('carol');
    const refused = await carol.run('post', caps.read, '--thread', thread.id, '--body', 'let me in');
    assert.equal(refused.code, 1);
    assert.equal(refused.stdout, '');
    assert.match(refused.stderr, /^baton: this is a read-only board capability: it cannot post/);
    assert.equal(refused.stderr.trim().split('\n').length, 1);
    const refusedThread = await carol.run('post', thread.read, '--body', 'nor here');
    assert.match(refusedThread.stderr, /read-only thread capability/);
    assert.throws(() => readdirSync(join(carol.dir, 'rooms')), /ENOENT/, 'nothing was written');

    const bad = await carol.run('read', 'baton:board:not-a-space');
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /^baton: bad capability: /);

    const status = json<{ relays: { relay: string; state: string; confirmed: number; pending: number }[]; pending: number }>(await alice.run('status', caps.write));
    assert.equal(status.pending, 0);
    assert.equal(status.relays[0]!.state, 'synced');
    assert.ok(status.relays[0]!.confirmed >= 3, 'board init, thread entry and link, thread blob');
  } finally {
    await ws.close();
  }
});
