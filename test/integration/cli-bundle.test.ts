import { test } from 'vitest';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Workspace, json, type BoardCaps, type ReadJson } from './cli-harness.ts';

test('a board exported on one device, imported into a fresh relay, reads on a third', async () => {
  const ws = new Workspace();
  try {
    const first = await ws.relay();
    const alice = ws.device('alice');
    const caps = json<BoardCaps>(await alice.run('board', 'create', '--relay', first.url, '--title', 'Archive', '--name', 'alice'));
    const t1 = json<{ id: string }>(await alice.run('thread', 'create', caps.write, '--title', 'One', '--body', 'first thread'));
    const t2 = json<{ id: string }>(await alice.run('thread', 'create', caps.write, '--title', 'Two', '--body', 'second thread'));
    json(await alice.run('post', caps.write, '--thread', t2.id, '--body', 'more in two'));

    // Export from a device that only holds the mirror capability: ciphertext travels blind.
    const courier = ws.device('courier');
    const file = join(ws.root, 'archive.baton');
    const exported = json<{ rooms: string[] }>(await courier.run('export', caps.mirror, '--out', file));
    assert.equal(exported.rooms.length, 3, 'the board room and both thread rooms');
    const bundleText = readFileSync(file, 'utf8');
    assert.doesNotMatch(bundleText, /first thread|Archive/, 'no plaintext in a bundle');
    await first.close();

    // A corrupt bundle is refused whole: one line, non-zero exit, nothing stored.
    const second = await ws.relay();
    const bundle = JSON.parse(bundleText) as { rooms: Record<string, string> };
    const [room, update] = Object.entries(bundle.rooms)[2]!;
    const flipped = update.slice(0, 200) + (update[200] === 'A' ? 'B' : 'A') + update.slice(201);
    const corrupt = join(ws.root, 'corrupt.baton');
    writeFileSync(corrupt, JSON.stringify({ ...bundle, rooms: { ...bundle.rooms, [room]: flipped } }));
    const bob = ws.device('bob');
    const refused = await bob.run('import', corrupt, '--relay', second.url);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /^baton: corrupt bundle .*invalid/);
    assert.equal(refused.stderr.trim().split('\n').length, 1);
    assert.deepEqual(readdirSync(join(bob.dir, 'rooms')), []);
    const notJson = join(ws.root, 'not.baton');
    writeFileSync(notJson, 'hello');
    assert.match((await bob.run('import', notJson)).stderr, /not a Baton bundle/);

    const imported = json<{ rooms: { room: string; added: number }[]; relays: { relay: string; rooms: number; added: number }[] }>(await bob.run('import', file, '--relay', second.url));
    assert.equal(imported.rooms.length, 3);
    const blobs = imported.rooms.reduce((n, r) => n + r.added, 0);
    assert.deepEqual(imported.relays, [{ relay: second.url, rooms: 3, added: blobs }], 'the relay took every blob of the bundle');

    // A third device reads through the fresh relay (the first one is gone).
    const carol = ws.device('carol');
    const view = json<ReadJson>(await carol.run('read', caps.read, '--json', '--relay', second.url));
    assert.equal(view.board?.title, 'Archive');
    const byTitle = Object.fromEntries(view.threads.map((t) => [t.title, t.posts.map((p) => p.body)]));
    assert.deepEqual(byTitle, { One: ['first thread'], Two: ['second thread', 'more in two'] });
    assert.ok(view.threads.some((t) => t.id === t1.id));
  } finally {
    await ws.close();
  }
});
