// A blind mirror (`baton relay --mirror`) of a board whose many threads each hold a file
// carries every one of those files (docs/PROTOCOL.md §4, "Peering and mirrors": board →
// thread → file): once the home relay is gone, another device saves each file through the
// mirror, byte for byte what its post names.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateIdentity, initSodium } from '#shared';
import { BatonClient, MemoryStore, boards, firstScreenCapability, sealFiles } from '#client-core';
import { spawnBaton } from '../support/baton-bin.ts';
import { waitUntil } from '../support/wait.ts';
import { NodeWS } from './client-fixtures.ts';
import { Workspace, json } from './cli-harness.ts';
import { blobsAt } from './peer-fixtures.ts';

await initSodium();

/** More threads holding files than the 16 spaces whose links a mirror used to follow. */
const THREADS = 21;
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

interface Listed {
  name: string;
  sha256: string;
}

test(`a blind mirror of a board of ${THREADS} threads, each holding a file, carries every file; another device saves them all through it`, { timeout: 180_000 }, async () => {
  const ws = new Workspace();
  let mirror: ChildProcess | null = null;
  const alice = new BatonClient({ store: new MemoryStore(), identity: generateIdentity(), name: 'alice', connection: { WebSocket: NodeWS, maxBackoffMs: 200 } });
  try {
    const home = await ws.relay({ dataDir: 'home' });
    const { board, caps } = await boards.createBoard(alice, { title: 'Evidence', relays: [home.url] });
    const sent = new Map<string, { thread: string; post: string; sha256: string }>();
    // A thread's first screen lives in a space of its own, published a moment after a post;
    // a blind mirror does not carry it (docs/PROTOCOL.md, "First screen").
    const firstScreens = new Set<string>();
    for (let i = 0; i < THREADS; i++) {
      const { thread, id } = await boards.createThread(alice, board, { title: `Day ${i + 1}` });
      firstScreens.add(firstScreenCapability(thread.cap)!.spaceId);
      const bytes = crypto.getRandomValues(new Uint8Array(20_000 + i));
      const sealed = await sealFiles(alice, thread, [{ bytes, name: `scan-${i}.pdf`, mime: 'application/pdf', removed: [] }]);
      const posted = boards.post(alice, thread, { body: `scan ${i}`, attachments: sealed.attachments });
      await Promise.all([thread, ...sealed.spaces].map((s) => s.whenDelivered(undefined, { timeoutMs: 15_000 })));
      sent.set(`scan-${i}.pdf`, { thread: id, post: posted.id, sha256: sha256(bytes) });
    }
    await board.whenDelivered(undefined, { timeoutMs: 15_000 });

    let output = '';
    mirror = spawnBaton(['relay', '--port', '0', '--host', '127.0.0.1', '--data', join(ws.root, 'mirror'), '--mirror', caps.mirror, '--peer-sync-seconds', '0.3'], { stdio: ['ignore', 'pipe', 'pipe'] });
    mirror.stdout!.on('data', (d) => (output += d));
    mirror.stderr!.on('data', (d) => (output += d));
    await waitUntil(() => /listening on (http:\/\/\S+)/.test(output), { timeoutMs: 15_000, what: 'the mirror relay to start' });
    const mirrorUrl = /listening on (http:\/\/\S+)/.exec(output)![1]!;

    // Every room of the home relay (every epoch of the board, each thread and each file), whole on the mirror.
    const spaceOf = (room: string) => room.split('.')[0]!;
    const homeRooms = ((await (await fetch(`${home.url}/v1/rooms`)).json()) as { rooms: string[] }).rooms.filter((room) => !firstScreens.has(spaceOf(room)));
    assert.equal(new Set(homeRooms.map(spaceOf)).size, 1 + 2 * THREADS);
    const counts = new Map<string, number>();
    for (const room of homeRooms) counts.set(room, (await blobsAt(home, room)).length);
    await waitUntil(
      async () => {
        for (const [room, n] of counts) if ((await blobsAt(mirrorUrl, room)).length < n) return false;
        return true;
      },
      { timeoutMs: 60_000, intervalMs: 250, what: 'every room on the mirror' },
    );
    const status = (await (await fetch(`${mirrorUrl}/v1/mirror/status`)).json()) as { mirrors: { spaces: number; rooms: { room: string; role: string }[] }[] };
    const rooms = status.mirrors[0]!.rooms;
    const spacesAs = (role: string) => new Set(rooms.filter((r) => r.role === role).map((r) => spaceOf(r.room))).size;
    assert.deepEqual([spacesAs('board'), spacesAs('thread'), spacesAs('file')], [1, THREADS, THREADS]);
    assert.equal(status.mirrors[0]!.spaces, 1 + 2 * THREADS);
    await home.close();

    // Another device, through the mirror alone.
    const bob = ws.device('bob');
    const read = json<{ threads: { id: string; posts: { id: string; attachments: Listed[] }[] }[] }>(await bob.run('read', caps.read, '--json', '--relay', mirrorUrl));
    const listed = read.threads.flatMap((t) => t.posts.flatMap((p) => p.attachments.map((a) => ({ thread: t.id, post: p.id, ...a }))));
    assert.deepEqual(listed.map((a) => a.name).sort(), [...sent.keys()].sort());
    const out = join(ws.root, 'saved');
    for (const a of listed) {
      const saved = json<{ saved: { file: string; sha256: string }[] }>(await bob.run('save', caps.read, '--thread', a.thread, '--post', a.post, '--out', out, '--relay', mirrorUrl));
      const want = sent.get(a.name)!;
      assert.deepEqual([a.thread, a.post, a.sha256], [want.thread, want.post, want.sha256]);
      assert.equal(saved.saved[0]!.sha256, want.sha256);
      assert.equal(sha256(new Uint8Array(readFileSync(join(out, a.name)))), want.sha256, a.name);
    }
  } finally {
    await alice.close();
    if (mirror && mirror.exitCode === null) {
      mirror.kill('SIGTERM');
      await new Promise((r) => mirror!.once('exit', r));
    }
    await ws.close();
  }
});
