// Removing a member, end to end with the real CLI: each device has its own data directory,
// two real relays carry the board. The owner moves the board without one member; the members
// who posted follow with their invites, carried posts verify in the successor, and the removed
// member, still holding the old links, sees nothing written after the move.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { spawnBaton } from '../support/baton-bin.ts';
import { waitUntil } from '../support/wait.ts';
import { Workspace, json, type BoardCaps, type ReadJson } from './cli-harness.ts';

interface MovedRead extends ReadJson {
  movedTo?: string;
  move?: { to: string; by: string; removed: string[]; invited: boolean; successor: BoardCaps | null; problem: string | null };
}

const keyOf = async (device: { run: (...a: string[]) => Promise<{ code: number; stdout: string; stderr: string }> }) => json<{ publicKey: string }>(await device.run('identity', 'show')).publicKey;

test('the owner removes a member: the others follow to the successor, the removed one is left behind', async () => {
  const ws = new Workspace();
  try {
    const [r1, r2] = [await ws.relay(), await ws.relay()];
    const [alice, bob, mallory, carol] = ['alice', 'bob', 'mallory', 'carol'].map((n) => ws.device(n)) as [ReturnType<Workspace['device']>, ReturnType<Workspace['device']>, ReturnType<Workspace['device']>, ReturnType<Workspace['device']>];
    const caps = json<BoardCaps>(await alice.run('board', 'create', '--relay', r1.url, '--relay', r2.url, '--title', 'Square', '--name', 'alice'));
    const thread = json<{ id: string }>(await alice.run('thread', 'create', caps.write, '--title', 'Meeting', '--body', 'Saturday at noon'));
    json(await bob.run('post', caps.write, '--thread', thread.id, '--body', 'I will bring water', '--name', 'bob'));
    json(await mallory.run('post', caps.write, '--thread', thread.id, '--body', 'count me in', '--name', 'mallory'));
    const [aliceKey, bobKey, malloryKey] = [await keyOf(alice), await keyOf(bob), await keyOf(mallory)];

    // A writer who is not the owner cannot remove anyone.
    const refused = await bob.run('remove', caps.write, '--member', malloryKey);
    assert.equal(refused.code, 1);
    assert.equal(refused.stderr, 'baton: only an owner of this board, or a moderator the owners allowed, can do that\n');
    assert.equal(refused.stdout, '');

    const removed = await alice.run('remove', caps.write, '--member', malloryKey);
    const next = json<BoardCaps>(removed);
    assert.match(removed.stderr, /moved 1 thread\(s\) and 3 post\(s\); 2 member\(s\) who posted are invited/);
    const nextId = next.read.split(':')[2]!;
    assert.notEqual(nextId, caps.read.split(':')[2]);
    assert.ok(next.write.includes(`owner=${aliceKey}`), 'same owner');
    for (const r of [r1, r2]) assert.ok(next.read.includes(encodeURIComponent(r.url)), 'the relays are kept');

    // Bob follows: his old link now says where the board went, with his invite opened.
    const bobOld = json<MovedRead>(await bob.run('read', caps.write, '--json'));
    assert.equal(bobOld.movedTo, nextId);
    assert.equal(bobOld.move?.invited, true);
    assert.equal(bobOld.move?.by, aliceKey);
    assert.deepEqual(bobOld.move?.removed, [malloryKey]);
    assert.equal(bobOld.move?.successor?.read.split(':')[2], nextId);
    const bobCaps = bobOld.move!.successor!;
    const carried = json<MovedRead>(await bob.run('read', bobCaps.read, '--json'));
    assert.equal(carried.board?.title, 'Square');
    const posts = carried.threads[0]!.posts;
    assert.deepEqual(posts.map((p) => [p.name, p.body, p.verified]), [
      ['alice', 'Saturday at noon', true],
      ['bob', 'I will bring water', true],
      ['mallory', 'count me in', true],
    ]);
    assert.equal(posts[1]!.author, bobKey, 'carried posts keep their authors and signatures');
    const newThread = carried.threads[0]!.id;
    json(await bob.run('post', bobCaps.write, '--thread', newThread, '--body', 'after the move', '--name', 'bob'));

    // Mallory: the old links show the move, without an invite, and nothing written after it.
    const malloryOld = json<MovedRead>(await mallory.run('read', caps.write, '--json'));
    assert.equal(malloryOld.movedTo, nextId);
    assert.equal(malloryOld.move?.invited, false);
    assert.equal(malloryOld.move?.successor, null);
    assert.ok(!JSON.stringify(malloryOld).includes('after the move'));
    const text = await mallory.run('read', caps.write);
    assert.match(text.stdout, /MOVED on .* to [\w-]{43}: nothing written here after that is part of the board\.\nIt moved without you/);
    // The CLI will not post into a moved board.
    const late = await mallory.run('post', caps.write, '--thread', thread.id, '--body', 'still here?', '--name', 'mallory');
    assert.equal(late.code, 1);
    assert.match(late.stderr, new RegExp(`this board moved to ${nextId}; it moved without you`));
    const aliceNew = json<MovedRead>(await alice.run('read', next.read, '--json'));
    assert.deepEqual(aliceNew.threads[0]!.posts.map((p) => p.body), ['Saturday at noon', 'I will bring water', 'count me in', 'after the move']);
    assert.equal(aliceNew.movedTo, undefined);

    // Carol only ever read: no invite (she needs the new read link by hand), but she sees the move.
    const carolOld = json<MovedRead>(await carol.run('read', caps.read, '--json'));
    assert.equal(carolOld.movedTo, nextId);
    assert.equal(carolOld.move?.invited, false);
  } finally {
    await ws.close();
  }
});

test('a blind mirror (baton relay --mirror) of the old board carries the successor; a reader reads it there once the home relay is gone', async () => {
  const ws = new Workspace();
  let mirror: ChildProcess | null = null;
  try {
    const home = await ws.relay();
    const [alice, bob, mallory] = ['alice', 'bob', 'mallory'].map((n) => ws.device(n)) as [ReturnType<Workspace['device']>, ReturnType<Workspace['device']>, ReturnType<Workspace['device']>];
    const caps = json<BoardCaps>(await alice.run('board', 'create', '--relay', home.url, '--title', 'Square', '--name', 'alice'));
    const thread = json<{ id: string }>(await alice.run('thread', 'create', caps.write, '--title', 'Meeting', '--body', 'noon'));
    json(await mallory.run('post', caps.write, '--thread', thread.id, '--body', 'hello', '--name', 'mallory'));
    let output = '';
    mirror = spawnBaton(['relay', '--port', '0', '--host', '127.0.0.1', '--data', join(ws.root, 'mirror'), '--mirror', caps.mirror, '--peer-sync-seconds', '0.2'], { stdio: ['ignore', 'pipe', 'pipe'] });
    mirror.stdout!.on('data', (d) => (output += d));
    mirror.stderr!.on('data', (d) => (output += d));
    await waitUntil(() => /listening on (http:\/\/\S+)/.test(output), { timeoutMs: 15_000, what: 'the mirror relay to start' });
    const mirrorUrl = /listening on (http:\/\/\S+)/.exec(output)![1]!;

    const next = json<BoardCaps>(await alice.run('remove', caps.write, '--member', await keyOf(mallory)));
    const nextId = next.read.split(':')[2]!;
    // The mirror holds only space ids: it learns the successor from the old board's link blob, and its thread from the successor's.
    let status: { mirrors: { rooms: { room: string; role: string; blobs: number }[] }[] } = { mirrors: [] };
    await waitUntil(
      async () => {
        status = (await (await fetch(`${mirrorUrl}/v1/mirror/status`)).json()) as typeof status;
        const rooms = status.mirrors[0]?.rooms ?? [];
        return rooms.some((r) => r.room === `${nextId}.0` && r.role === 'board' && r.blobs > 0) && rooms.filter((r) => r.role === 'thread' && r.blobs > 0).length === 2;
      },
      { timeoutMs: 15_000, what: 'the mirror to carry the successor and its thread' },
    );
    await home.close();
    const read = json<MovedRead>(await bob.run('read', next.read, '--relay', mirrorUrl, '--json'), 0);
    assert.deepEqual(read.threads[0]!.posts.map((p) => [p.body, p.verified]), [['noon', true], ['hello', true]]);
  } finally {
    if (mirror && mirror.exitCode === null) {
      mirror.kill('SIGTERM');
      await new Promise((r) => mirror!.once('exit', r));
    }
    await ws.close();
  }
});
