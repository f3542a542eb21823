// A blind mirror of a board follows the board's move to its successor (docs/PROTOCOL.md §4,
// "Peering and mirrors"): the old board's move link names the successor, a board again, whose
// own link blobs name its threads, whose links name their files; so the mirror carries all of
// them without a key, live and again after a restart that left the successor's links in its
// own store only. A plain link goes one level down, and no further than a file.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, it } from 'vitest';
import { sealLinkBlob } from '#shared';
import { startRelay, type Relay } from '#server/index.ts';
import { boardSpace, countAt, makeBoard, makeChild, makeThread, sealText, waitForCount, writeBlobs } from './peer-fixtures.ts';

const relays: Relay[] = [];
const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(relays.map((r) => r.close()));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

it('carries the successor board, its threads and their files once the old board links to it, and after a restart', async () => {
  const source = await startRelay({ port: 0, host: '127.0.0.1', log: () => {} });
  relays.push(source);
  const old = makeBoard();
  const oldThread = makeThread(old);
  await writeBlobs(source, old.room, [sealText(boardSpace(old), 'old board'), oldThread.link]);
  await writeBlobs(source, oldThread.thread.room, [sealText(oldThread.thread, 'old post')]);
  const dataDir = mkdtempSync(join(tmpdir(), 'baton-mirror-move-'));
  dirs.push(dataDir);
  const options = { port: 0, host: '127.0.0.1', dataDir, log: () => {}, peerSyncMs: 150, mirrors: [{ capability: old.mirrorCap, relay: source.url }] };
  let mirror = await startRelay(options);
  relays.push(mirror);
  await waitForCount(mirror, oldThread.thread.room, 1);

  // The move: a successor with a thread holding a file, then the old board's move link naming the successor.
  const successor = makeBoard();
  const carried = makeThread(successor);
  const file = makeChild(carried.thread);
  await writeBlobs(source, successor.room, [sealText(boardSpace(successor), 'successor'), carried.link]);
  await writeBlobs(source, carried.thread.room, [sealText(carried.thread, 'carried post'), file.link]);
  await writeBlobs(source, file.space.room, [sealText(file.space, 'a chunk')]);
  await writeBlobs(source, old.room, [(pos) => sealLinkBlob(old.key, successor.cap.writePub, pos, undefined, true)]);
  await waitForCount(mirror, successor.room, 2);
  await waitForCount(mirror, carried.thread.room, 2);
  await waitForCount(mirror, file.space.room, 1);
  const status = await mirror.peering.status();
  const roles = new Map(status.mirrors[0]!.rooms.map((r) => [r.room, r.role]));
  assert.equal(roles.get(successor.room), 'board');
  assert.equal(roles.get(carried.thread.room), 'thread');
  assert.equal(roles.get(file.space.room), 'file');

  // After a restart the successor's links are only in this relay's store: found by looking into it.
  await mirror.close();
  relays.splice(relays.indexOf(mirror), 1);
  mirror = await startRelay(options);
  relays.push(mirror);
  await writeBlobs(source, carried.thread.room, [sealText(carried.thread, 'written in the successor after the restart')]);
  await writeBlobs(source, file.space.room, [sealText(file.space, 'another chunk')]);
  await waitForCount(mirror, carried.thread.room, 3);
  await waitForCount(mirror, file.space.room, 2);
  const after = await mirror.peering.status();
  assert.equal(after.mirrors[0]!.rooms.find((r) => r.room === successor.room)?.role, 'board');
});

it('follows a plain link one level down: a board made before move links keeps its successor and threads, not further', async () => {
  const source = await startRelay({ port: 0, host: '127.0.0.1', log: () => {} });
  relays.push(source);
  const root = makeBoard();
  // A plain link to a board (how moves were linked before move links), whose thread holds a file.
  const linked = makeBoard();
  const thread = makeThread(linked);
  const file = makeChild(thread.thread);
  // And a chain below one of the root's own threads: thread → file → a space the file links.
  const own = makeThread(root);
  const ownFile = makeChild(own.thread);
  const below = makeChild(ownFile.space);
  await writeBlobs(source, below.space.room, [sealText(below.space, 'x')]);
  await writeBlobs(source, ownFile.space.room, [sealText(ownFile.space, 'x'), below.link]);
  await writeBlobs(source, own.thread.room, [sealText(own.thread, 'x'), ownFile.link]);
  await writeBlobs(source, file.space.room, [sealText(file.space, 'x')]);
  await writeBlobs(source, thread.thread.room, [sealText(thread.thread, 'x'), file.link]);
  await writeBlobs(source, linked.room, [thread.link]);
  await writeBlobs(source, root.room, [own.link, (pos) => sealLinkBlob(root.key, linked.cap.writePub, pos)]);
  const mirror = await startRelay({ port: 0, host: '127.0.0.1', log: () => {}, peerSyncMs: 150, mirrors: [{ capability: root.mirrorCap, relay: source.url }] });
  relays.push(mirror);
  await waitForCount(mirror, thread.thread.room, 2);
  await waitForCount(mirror, ownFile.space.room, 2);
  // Give the mirror a few rounds to follow what it may.
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(await countAt(mirror, file.space.room), 0, 'three plain links down is past a file');
  assert.equal(await countAt(mirror, below.space.room), 0, "a file's links are not followed");
  const roles = new Map((await mirror.peering.status()).mirrors[0]!.rooms.map((r) => [r.room, r.role]));
  assert.equal(roles.get(linked.room), 'thread');
  assert.equal(roles.get(thread.thread.room), 'file');
});

it('carries at most maxMirrorSpaces spaces, the first it learns, and says so once', async () => {
  const source = await startRelay({ port: 0, host: '127.0.0.1', log: () => {} });
  relays.push(source);
  const root = makeBoard();
  // A writer links more threads than the bound: the mirror keeps the first ones, in link order.
  const threads = Array.from({ length: 12 }, () => makeThread(root));
  for (const t of threads) await writeBlobs(source, t.thread.room, [sealText(t.thread, 'x')]);
  await writeBlobs(source, root.room, threads.map((t) => t.link));
  const lines: string[] = [];
  const mirror = await startRelay({ port: 0, host: '127.0.0.1', log: (l: string) => lines.push(l), peerSyncMs: 150, limits: { maxMirrorSpaces: 8 }, mirrors: [{ capability: root.mirrorCap, relay: source.url }] });
  relays.push(mirror);
  for (const t of threads.slice(0, 7)) await waitForCount(mirror, t.thread.room, 1);
  await new Promise((r) => setTimeout(r, 1000));
  for (const t of threads.slice(7)) assert.equal(await countAt(mirror, t.thread.room), 0, 'past the bound');
  assert.equal(lines.filter((l) => l.includes('a mirror carries')).length, 1, lines.join('\n'));
  assert.equal(mirror.counters.get('mirror.spaces-full'), 1);
});
