// Attached files through the client core and a real relay: a chunk whose ciphertext was
// altered never gets in; a chunk another writer replaced, or one that is missing, makes the
// file refused on save rather than handed over wrong.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as Y from 'yjs';
import {
  FILE_CHUNK_BYTES,
  createEnvelopeDoc,
  deriveFileCapability,
  envelopeLog,
  fromBase64url,
  generateIdentity,
  initSodium,
  restrictCapability,
  signPost,
  addPost,
} from '#shared';
import { BatonClient, ClientError, MemoryStore, boards, fetchFile, resumeFileUploads, sealFiles, type Space } from '#client-core';
import { startRelay, type Relay } from '#server/index.ts';
import { NodeWS } from './client-fixtures.ts';
import { linkChildId } from '#client-core/link-blobs.ts';
import { blobsAt } from './peer-fixtures.ts';
import { freePort } from '../support/ports.ts';
import { waitUntil } from '../support/wait.ts';

await initSodium();

const client = (name: string) => new BatonClient({ store: new MemoryStore(), identity: generateIdentity(), name, connection: { WebSocket: NodeWS, maxBackoffMs: 200 } });
const random = (n: number) => new Uint8Array(n).map(() => (Math.random() * 256) | 0);
const isBadFile = (pattern: RegExp) => (e: unknown) => e instanceof ClientError && e.code === 'bad-file' && pattern.test(e.message);

async function postWith(alice: BatonClient, thread: Space, bytes: Uint8Array) {
  const sealed = await sealFiles(alice, thread, [{ bytes, name: 'scan.pdf', mime: 'application/pdf', removed: [] }]);
  const { id } = boards.post(alice, thread, { body: 'the scan', attachments: sealed.attachments });
  await Promise.all([thread, ...sealed.spaces].map((s) => s.whenDelivered(undefined, { timeoutMs: 10_000 })));
  return { id, sealed };
}

test('a file saves whole on another device; altered, replaced or missing chunks are refused', async () => {
  const relay: Relay = await startRelay({ host: '127.0.0.1', port: 0, log: () => {} });
  const alice = client('alice');
  const bob = client('bob');
  try {
    const { board } = await boards.createBoard(alice, { title: 'Files', relays: [relay.url] });
    const { thread, id: threadId } = await boards.createThread(alice, board, { title: 'Scans' });
    const bytes = random(300 * 1024);
    const { id, sealed } = await postWith(alice, thread, bytes);
    const [file] = sealed.attachments;
    assert.equal(file!.sha256, createHash('sha256').update(bytes).digest('hex'));
    const fileRoom = `${file!.space}.0`;
    const blobs = await blobsAt(relay, fileRoom);
    assert.equal(blobs.length, 4, '300 KiB padded to 512 KiB: four chunks');
    assert.deepEqual([...new Set(blobs.map((b) => b.length))], [131_434], 'every chunk blob is the same size (docs/PROTOCOL.md §6)');

    // Bob reads the board and saves the file: the same bytes.
    const bobBoard = await bob.open(restrictCapability(board.cap, 'read'));
    await bobBoard.whenSynced({ timeoutMs: 8000 });
    const bobThread = await boards.openThread(bob, bobBoard, threadId);
    await bobThread.whenSynced({ timeoutMs: 8000 });
    const shown = boards.posts(bobThread).find((p) => p.id === id)!;
    assert.deepEqual(shown.attachments, sealed.attachments);
    assert.deepEqual(await fetchFile(bob, bobThread, shown.attachments[0]!, { timeoutMs: 8000 }), bytes);
    assert.equal(bob.get(file!.space as never), undefined, 'a file fetched on demand is closed again');
    assert.ok((await bob.store.load(fileRoom as never)).updates.length > 0, "the file stays in the device's store");

    // Altered ciphertext of a chunk, appended at a fresh id: the relay refuses it.
    const tampered = blobs[1]!.slice();
    tampered[200] ^= 0x01;
    const doc = createEnvelopeDoc();
    envelopeLog(doc).push([tampered]);
    const res = await fetch(`${relay.url}/v1/rooms/${fileRoom}`, { method: 'POST', body: Buffer.from(Y.encodeStateAsUpdate(doc)) });
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { error: string }).error, 'bad-update');

    // Another writer of the thread replaces a chunk with other bytes of the same length.
    const nonce = fromBase64url(file!.nonce)!;
    const mallory = client('mallory');
    const malloryFile = await mallory.open(deriveFileCapability({ ...thread.cap, relays: [relay.url] }, nonce));
    const chunks = malloryFile.requireWrite().getMap<Uint8Array>('chunks');
    await malloryFile.whenSynced({ timeoutMs: 8000 });
    chunks.set('1', random(FILE_CHUNK_BYTES));
    await malloryFile.whenDelivered(malloryFile.flush(), { timeoutMs: 8000 });
    assert.equal((await blobsAt(relay, fileRoom)).length, 5);
    await mallory.close();
    const carol = client('carol');
    const carolBoard = await carol.open(restrictCapability(board.cap, 'read'));
    await carolBoard.whenSynced({ timeoutMs: 8000 });
    const carolThread = await boards.openThread(carol, carolBoard, threadId);
    await carolThread.whenSynced({ timeoutMs: 8000 });
    // Synced whole first (fetchFile takes the first complete set of chunks, which may predate the replacement).
    const carolFile = await carol.open(deriveFileCapability({ ...carolThread.cap, relays: [relay.url] }, nonce, file!.space as never));
    await carolFile.whenSynced({ timeoutMs: 8000 });
    await assert.rejects(fetchFile(carol, carolThread, file!, { timeoutMs: 8000 }), isBadFile(/do not match the SHA-256/));
    await carol.closeSpace(carolFile.spaceId);

    // A post naming a file larger than what its space holds: chunks missing, refused after the wait.
    const small = await postWith(alice, thread, random(1000));
    const claim = { ...small.sealed.attachments[0]!, size: 200 * 1024 };
    const liar = signPost(alice.identity, { threadSpaceId: thread.spaceId, name: 'alice', body: 'big', attachments: [claim] });
    addPost(thread.requireWrite(), liar);
    await thread.whenDelivered(thread.flush(), { timeoutMs: 8000 });
    await carolThread.whenSynced({ timeoutMs: 8000 });
    const started = Date.now();
    await assert.rejects(fetchFile(carol, carolThread, claim, { timeoutMs: 3000 }), isBadFile(/chunks are missing/));
    assert.ok(Date.now() - started < 8000);
    await carol.close();
  } finally {
    await bob.close();
    await alice.close();
    await relay.close();
  }
});

test('a file sealed while no relay answered is delivered once its thread is opened again with a relay up', async () => {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const store = new MemoryStore();
  const identity = generateIdentity();
  const device = () => new BatonClient({ store, identity, name: 'alice', connection: { WebSocket: NodeWS, maxBackoffMs: 200 } });
  const first = device();
  const { board } = await boards.createBoard(first, { title: 'Offline', relays: [url] });
  const { thread, caps } = await boards.createThread(first, board, { title: 'Later' });
  const sealed = await sealFiles(first, thread, [{ bytes: random(40_000), name: 'later.pdf', mime: 'application/pdf', removed: [] }]);
  boards.post(first, thread, { body: 'sent offline', attachments: sealed.attachments });
  for (const s of [thread, ...sealed.spaces]) await s.saved();
  await first.close();
  const fileRoom = `${sealed.attachments[0]!.space}.0`;
  assert.ok((await store.loadMeta(fileRoom as never)).pending > 0, 'the chunks are queued on the device');

  const relay = await startRelay({ host: '127.0.0.1', port, log: () => {} });
  const second = device();
  try {
    const again = await second.open(caps.write);
    await again.whenSynced({ timeoutMs: 8000 });
    assert.ok(again.children.has(sealed.attachments[0]!.space as never), 'the thread knows its file from its link blob');
    await resumeFileUploads(second, again);
    await waitUntil(async () => (await blobsAt(relay, fileRoom)).length === 1, { timeoutMs: 10_000, what: 'the file on the relay' });
    await waitUntil(() => second.get(sealed.attachments[0]!.space as never) === undefined, { timeoutMs: 10_000, what: 'the file space closed once delivered' });
  } finally {
    await second.close();
    await relay.close();
  }
});

test("a thread's new epoch links only the files its posts still name: a deleted post's file is left behind", async () => {
  const relay = await startRelay({ host: '127.0.0.1', port: 0, log: () => {} });
  const alice = client('alice');
  try {
    const { board } = await boards.createBoard(alice, { title: 'Epochs', relays: [relay.url] });
    const { thread } = await boards.createThread(alice, board, { title: 'Files' });
    const kept = await postWith(alice, thread, random(2000));
    const gone = await postWith(alice, thread, random(3000));
    assert.ok(thread.children.has(kept.sealed.attachments[0]!.space as never) && thread.children.has(gone.sealed.attachments[0]!.space as never));
    boards.deletePost(alice, thread, gone.id);
    assert.equal(await thread.compact(), 1);
    await thread.whenDelivered(undefined, { timeoutMs: 8000 });
    const linked = new Set(envelopeLog(thread.envelope).toArray().filter((b) => b[1] === 3).map((b) => linkChildId(b)));
    assert.deepEqual([...linked], [kept.sealed.attachments[0]!.space]);
  } finally {
    await alice.close();
    await relay.close();
  }
});
