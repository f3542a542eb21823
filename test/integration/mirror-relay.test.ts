// A mirror relay started from the CLI with `--mirror <mirror capability>@<A>` carries the
// board and its threads, blind; a client reads the board through it; status shows it.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, it } from 'vitest';
import { BlobKind, appendSealed, createEnvelopeDoc, openBlob } from '#shared';
import { startRelay, type Relay } from '#server/index.ts';
import type { MirrorStatus } from '#server/peering/peering.ts';
import { spawnBaton } from '../support/baton-bin.ts';
import { baton } from './cli-harness.ts';
import { blobsOf, connectProvider, makeSpace, placedBlobsOf, stopProvider } from './relay-fixtures.ts';
import { boardSpace, countAt, makeBoard, makeThread, sealText, waitForCount, writeBlobs, type TestBoard } from './peer-fixtures.ts';
import { waitUntil } from '../support/wait.ts';

const MARKER = 'MIRROR-PLAINTEXT-MARKER-7f3a';

let source: Relay;
let mirrorDir: string;
let child: ChildProcess;
let mirrorUrl: string;
let board: TestBoard;
let thread: ReturnType<typeof makeThread>;
let output = '';

beforeAll(async () => {
  source = await startRelay({ port: 0, host: '127.0.0.1', log: () => {} });
  board = makeBoard();
  thread = makeThread(board);
  await writeBlobs(source, board.room, [sealText(boardSpace(board), `board title ${MARKER}`), thread.link]);
  await writeBlobs(source, thread.thread.room, [sealText(thread.thread, `first post ${MARKER}`), sealText(thread.thread, `second ${MARKER}`)]);
  mirrorDir = mkdtempSync(join(tmpdir(), 'baton-mirror-'));
  child = spawnBaton(['relay', '--port', '0', '--host', '127.0.0.1', '--data', mirrorDir, '--mirror', `${board.mirrorCap}@${source.url}`, '--peer-sync-seconds', '0.2'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  // Two log lines, which may arrive in separate chunks.
  await waitUntil(() => /listening on (http:\/\/\S+)/.test(output) && /mirroring board/.test(output), { timeoutMs: 15_000, what: 'the mirror relay to start' });
  mirrorUrl = /listening on (http:\/\/\S+)/.exec(output)![1]!;
});

afterAll(async () => {
  if (child.exitCode === null) {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
  await source.close();
  rmSync(mirrorDir, { recursive: true, force: true });
});

it('carries the board and, through its link blob, the thread; stores no plaintext', async () => {
  assert.match(output, /mirroring board .* from http:\/\/127\.0\.0\.1/);
  await waitForCount(mirrorUrl, board.room, 2);
  await waitForCount(mirrorUrl, thread.thread.room, 2);
  // Only that board's rooms: another space on the source stays there.
  const other = await makeSpace();
  await writeBlobs(source, other.room, [sealText(other, 'not mirrored')]);
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(await countAt(mirrorUrl, other.room), 0);
  // A new thread on the source arrives through the new link blob.
  const later = makeThread(board);
  await writeBlobs(source, later.thread.room, [sealText(later.thread, `later ${MARKER}`)]);
  await writeBlobs(source, board.room, [later.link]);
  await waitForCount(mirrorUrl, later.thread.room, 1);
  for (const name of readdirSync(mirrorDir)) {
    const bytes = readFileSync(join(mirrorDir, name));
    assert.equal(bytes.indexOf(MARKER), -1, `plaintext in ${name}`);
  }
});

it('serves a client that reads the board through it, live both ways', async () => {
  const doc = createEnvelopeDoc();
  const provider = await connectProvider(mirrorUrl, board.room, doc);
  try {
    await waitUntil(() => blobsOf(doc).length >= 3, { timeoutMs: 5000, what: 'the board through the mirror' });
    const opened = placedBlobsOf(doc).map((b) => openBlob(b.blob, board.key, b.pos));
    const texts = opened.flatMap((o) => (o.ok && o.kind === BlobKind.update ? [new TextDecoder().decode(o.update)] : []));
    assert.ok(texts.includes(`board title ${MARKER}`));
    // A write on the source reaches the mirror's client; a write through the mirror reaches the source.
    const count = blobsOf(doc).length;
    await writeBlobs(source, board.room, [sealText(boardSpace(board), 'new on source')]);
    await waitUntil(() => blobsOf(doc).length === count + 1, { timeoutMs: 5000, what: 'a live write from the source' });
    appendSealed(doc, [sealText(boardSpace(board), 'written through the mirror')]);
    await waitForCount(source, board.room, count + 2);
  } finally {
    stopProvider(provider);
  }
});

it('reports the board and its threads in mirror status, and `baton mirror status` prints it', async () => {
  let status: MirrorStatus | null = null;
  for (let i = 0; i < 100; i++) {
    status = (await (await fetch(`${mirrorUrl}/v1/mirror/status`)).json()) as MirrorStatus;
    if (status.mirrors[0]?.rooms.every((r) => r.lag === 0)) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const mirror = status!.mirrors[0]!;
  assert.equal(mirror.spaceId, board.cap.spaceId);
  assert.equal(mirror.url, source.url);
  assert.equal(mirror.connected, true);
  const boardRoom = mirror.rooms.find((r) => r.room === board.room)!;
  assert.equal(boardRoom.role, 'board');
  assert.equal(boardRoom.blobs, await countAt(source, board.room));
  assert.equal(boardRoom.lag, 0);
  assert.ok(mirror.rooms.some((r) => r.room === thread.thread.room && r.role === 'thread' && r.blobs === 2));
  const printed = await baton(['mirror', 'status', '--relay', mirrorUrl]);
  assert.equal(printed.code, 0, printed.stderr);
  assert.match(printed.stdout, new RegExp(`mirror of board ${board.cap.spaceId} from ${source.url}: connected`));
  assert.match(printed.stdout, /up to date/);
  const asJson = await baton(['mirror', 'status', '--relay', mirrorUrl, '--json']);
  assert.equal((JSON.parse(asJson.stdout) as MirrorStatus).mirrors[0]!.spaceId, board.cap.spaceId);
  const unreachable = await baton(['mirror', 'status', '--relay', 'http://127.0.0.1:1']);
  assert.equal(unreachable.code, 1);
  assert.match(unreachable.stderr, /cannot reach/);
});
