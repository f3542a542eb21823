// A blind mirror of a board follows the board's move to its successor (docs/PROTOCOL.md §4,
// "Peering and mirrors"): the old board's link blob names the successor, and the successor's
// own link blobs name its threads, so the mirror carries all of them without a key, live and
// again after a restart that left the successor's links in its own store only.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, it } from 'vitest';
import { sealLinkBlob } from '#shared';
import { startRelay, type Relay } from '#server/index.ts';
import { boardSpace, countAt, makeBoard, makeThread, sealText, waitForCount, writeBlobs } from './peer-fixtures.ts';

const relays: Relay[] = [];
const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(relays.map((r) => r.close()));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

it('carries the successor board and its threads once the old board links to it, and after a restart', async () => {
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

  // The move: a successor with a thread, then the old board's link blob naming the successor.
  const successor = makeBoard();
  const carried = makeThread(successor);
  await writeBlobs(source, successor.room, [sealText(boardSpace(successor), 'successor'), carried.link]);
  await writeBlobs(source, carried.thread.room, [sealText(carried.thread, 'carried post')]);
  await writeBlobs(source, old.room, [(pos) => sealLinkBlob(old.key, successor.cap.writePub, pos)]);
  await waitForCount(mirror, successor.room, 2);
  await waitForCount(mirror, carried.thread.room, 1);
  const status = await mirror.peering.status();
  const roles = new Map(status.mirrors[0]!.rooms.map((r) => [r.room, r.role]));
  assert.equal(roles.get(successor.room), 'board');
  assert.equal(roles.get(carried.thread.room), 'thread');

  // After a restart the successor's links are only in this relay's store: found by looking into it.
  await mirror.close();
  relays.splice(relays.indexOf(mirror), 1);
  mirror = await startRelay(options);
  relays.push(mirror);
  await writeBlobs(source, carried.thread.room, [sealText(carried.thread, 'written in the successor after the restart')]);
  await waitForCount(mirror, carried.thread.room, 2);
  const after = await mirror.peering.status();
  assert.equal(after.mirrors[0]!.rooms.find((r) => r.room === successor.room)?.role, 'board');
});

it('follows the links of at most a bounded number of linked boards', async () => {
  const { MAX_MIRROR_PARENTS } = await import('#server/peering/scope.ts');
  const source = await startRelay({ port: 0, host: '127.0.0.1', log: () => {} });
  relays.push(source);
  const root = makeBoard();
  // A hostile writer links more boards than the bound, each naming a thread of its own.
  const boards = Array.from({ length: MAX_MIRROR_PARENTS + 3 }, () => makeBoard());
  const threads = boards.map((b) => makeThread(b));
  for (let i = 0; i < boards.length; i++) {
    await writeBlobs(source, boards[i]!.room, [threads[i]!.link]);
    await writeBlobs(source, threads[i]!.thread.room, [sealText(threads[i]!.thread, 'x')]);
  }
  await writeBlobs(source, root.room, boards.map((b) => (pos) => sealLinkBlob(root.key, b.cap.writePub, pos)));
  const mirror = await startRelay({ port: 0, host: '127.0.0.1', log: () => {}, peerSyncMs: 150, mirrors: [{ capability: root.mirrorCap, relay: source.url }] });
  relays.push(mirror);
  for (const b of boards) await waitForCount(mirror, b.room, 1);
  // Give the mirror a few rounds to follow what it may.
  await new Promise((r) => setTimeout(r, 1500));
  let carried = 0;
  for (const t of threads) carried += (await countAt(mirror, t.thread.room)) > 0 ? 1 : 0;
  assert.equal(carried, MAX_MIRROR_PARENTS - 1, 'the root is one of the parents; the rest are linked boards');
});
