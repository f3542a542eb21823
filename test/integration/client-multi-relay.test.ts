import { test } from 'vitest';
import assert from 'node:assert/strict';
import { generateIdentity, initSodium } from '#shared';
import { BatonClient } from '#client-core/client.ts';
import { MemoryStore } from '#client-core/store.ts';
import { addRelay, createBoard, createThread, openThread, post, posts } from '#client-core/boards.ts';
import { startRelay } from '#server/index.ts';
import { NodeWS, until } from './client-fixtures.ts';

await initSodium();


test('writes reach every relay at once; receipts show which, and one relay down blocks nothing', async () => {
  const relays = await Promise.all([0, 1, 2].map(() => startRelay({ host: '127.0.0.1', port: 0, log: () => {} })));
  const [a, b, c] = relays as [Awaited<ReturnType<typeof startRelay>>, Awaited<ReturnType<typeof startRelay>>, Awaited<ReturnType<typeof startRelay>>];
  const dead = 'http://127.0.0.1:9'; // nothing listens on the discard port
  const writer = new BatonClient({ store: new MemoryStore(), identity: generateIdentity(), name: 'w', connection: { WebSocket: NodeWS, maxBackoffMs: 200 } });
  // Every relay here is on loopback, which a board's list may name only when told to trust it.
  const reader = new BatonClient({ store: new MemoryStore(), identity: generateIdentity(), name: 'r', connection: { WebSocket: NodeWS }, relayPolicy: { listedLocal: true } });
  try {
    const { board, caps } = await createBoard(writer, { title: 'Many', relays: [a.url, b.url, dead] });
    const { thread, id } = await createThread(writer, board, { title: 'T', body: 'to every relay' });
    assert.ok(await until(() => thread.localWrites().every((w) => w.relays.length === 2)), 'reached 2 of 3 relays');
    assert.deepEqual(thread.localWrites()[0]!.relays, [a.url, b.url].sort());
    assert.equal(thread.outbox().length, 0);
    assert.ok(await until(() => thread.statuses().find((s) => s.relay === dead)!.state !== 'connecting'));
    assert.equal(thread.statuses().find((s) => s.relay === dead)!.state, 'unreachable');

    // A relay added to the board's map is used by every member, for the threads too.
    addRelay(board, c.url);
    assert.ok(thread.relays().includes(c.url), "the board's open threads sync with the new relay too");
    assert.ok(await until(() => thread.localWrites().every((w) => w.relays.length === 3)), 'and it confirms their writes');
    const onlyC = caps.read.replace(/\?relays=.*/, `?relays=${encodeURIComponent(c.url)}`);
    const readerBoard = await reader.open(onlyC);
    assert.ok(await until(() => readerBoard.children.has(id)), 'the new relay got the board');
    const readerThread = await openThread(reader, readerBoard, id);
    assert.ok(await until(() => posts(readerThread).length === 1), 'and the thread, through the board relays map');
    assert.ok(readerBoard.relays().includes(a.url), "the reader learned the board's other relays");

    // The reader's relays are a, b, c now: the first two going away loses nothing.
    await a.close();
    await b.close();
    const writeCap = caps.write.replace(/\?relays=.*/, `?relays=${encodeURIComponent(c.url)}`);
    const second = new BatonClient({ store: new MemoryStore(), identity: generateIdentity(), name: 'late', connection: { WebSocket: NodeWS }, relayPolicy: { listedLocal: true } });
    try {
      const lateBoard = await second.open(writeCap);
      assert.ok(await until(() => lateBoard.children.has(id)));
      const lateThread = await openThread(second, lateBoard, id);
      post(second, lateThread, { body: 'still here' });
      assert.ok(await until(() => posts(readerThread).length === 2), 'a post through the one relay left reaches the reader');
    } finally {
      await second.close();
    }
  } finally {
    await writer.close();
    await reader.close();
    await Promise.all(relays.map((r) => r.close()));
  }
});
