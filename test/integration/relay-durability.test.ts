// Durability: what the relay receipted survives a restart, a kill -9 mid-write, and room
// unloading and compaction.
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, it } from 'vitest';
import * as Y from 'yjs';
import { appendSealed, applyValidatedUpdate, createEnvelopeDoc, parseRoomName } from '#shared';
import { startRelay } from '#server/index.ts';
import { spawnBaton } from '../support/baton-bin.ts';
import {
  blobsOf,
  connectProvider,
  covers,
  makeSpace,
  rawClient,
  receiptsOf,
  sealPost,
  stopProvider,
  syncUpdateMessage,
  type TestSpace,
} from './relay-fixtures.ts';
import { waitUntil } from '../support/wait.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'baton-relay-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Everything a relay on dataDir holds for a room, checked like a client would. */
async function heldBy(dataDir: string, space: TestSpace): Promise<Y.Doc> {
  const relay = await startRelay({ port: 0, host: '127.0.0.1', dataDir, log: () => {} });
  try {
    const res = await fetch(`${relay.url}/v1/rooms/${space.room}`);
    const doc = createEnvelopeDoc();
    assert.equal(applyValidatedUpdate(doc, new Uint8Array(await res.arrayBuffer()), space.key, 'relay').ok, true);
    return doc;
  } finally {
    await relay.close();
  }
}

/** Sends one new blob as its own update message. */
function sendBlob(client: { send(b: Uint8Array): void }, doc: Y.Doc, space: TestSpace, body: string): void {
  const sv = Y.encodeStateVector(doc);
  appendSealed(doc, [sealPost(space, body)]);
  client.send(syncUpdateMessage(Y.encodeStateAsUpdate(doc, sv)));
}

function spawnRelay(dataDir: string): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawnBaton(['relay', '--port', '0', '--host', '127.0.0.1', '--data', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cleanups.push(() => child.exitCode === null && child.signalCode === null && child.kill('SIGKILL'));
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`relay did not start: ${out}`)), 15_000);
    child.stdout!.on('data', () => {
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1]!, output: () => out });
      }
    });
    child.once('exit', () => reject(new Error(`relay exited: ${out}`)));
  });
}

it('everything receipted is there after a restart on the same data directory', async () => {
  const dataDir = tempDir();
  const space = await makeSpace();
  const relay = await startRelay({ port: 0, host: '127.0.0.1', dataDir, log: () => {} });
  const client = await rawClient(relay.url, space.room, '?receipts=1');
  const doc = createEnvelopeDoc();
  for (let i = 0; i < 30; i++) sendBlob(client, doc, space, `post ${i}`);
  await waitUntil(() => receiptsOf(client).some((sv) => covers(sv, Y.encodeStateVector(doc))), { timeoutMs: 5000, what: 'a receipt covering all' });
  client.close();
  await relay.close();
  const held = await heldBy(dataDir, space);
  assert.equal(blobsOf(held).length, 30);
  assert.deepEqual(Y.encodeStateVector(held), Y.encodeStateVector(doc));
});

it('after kill -9 mid-write, every update whose receipt arrived survives', async () => {
  const dataDir = tempDir();
  const space = await makeSpace();
  const { child, url } = await spawnRelay(dataDir);
  const client = await rawClient(url, space.room, '?receipts=1');
  const doc = createEnvelopeDoc();
  let sent = 0;
  // Keep writing in small bursts; kill the relay right after a burst, while writes are in flight.
  await new Promise<void>((resolve) => {
    const tick = () => {
      if (sent >= 60 && receiptsOf(client).length > 0) {
        for (let i = 0; i < 40; i++) sendBlob(client, doc, space, `post ${sent++}`);
        setImmediate(() => {
          child.kill('SIGKILL');
          resolve();
        });
        return;
      }
      for (let i = 0; i < 3; i++) sendBlob(client, doc, space, `post ${sent++}`);
      setTimeout(tick, 5);
    };
    tick();
  });
  const receipts = receiptsOf(client); // nothing more can arrive from a killed process
  await new Promise((r) => child.once('exit', r));
  assert.ok(receipts.length > 0, 'some receipts arrived before the kill');
  const last = receipts.at(-1)!;
  const held = await heldBy(dataDir, space);
  assert.ok(covers(Y.encodeStateVector(held), last), 'the relay holds everything its last receipt promised');
  assert.ok(blobsOf(held).length >= Y.decodeStateVector(last).get(doc.clientID)!);
  client.close();
});

it('SIGTERM finishes writes and exits 0', async () => {
  const dataDir = tempDir();
  const space = await makeSpace();
  const { child, url, output } = await spawnRelay(dataDir);
  const client = await rawClient(url, space.room, '?receipts=1');
  const doc = createEnvelopeDoc();
  for (let i = 0; i < 5; i++) sendBlob(client, doc, space, `post ${i}`);
  await waitUntil(() => receiptsOf(client).some((sv) => covers(sv, Y.encodeStateVector(doc))), { timeoutMs: 5000, what: 'receipts' });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  child.kill('SIGTERM');
  assert.equal(await exited, 0, output());
  const closed = await client.closed;
  assert.equal(closed.code, 1001);
  assert.equal(blobsOf(await heldBy(dataDir, space)).length, 5);
});

it('idle rooms unload, their stored updates are merged, and they load again', async () => {
  const dataDir = tempDir();
  const space = await makeSpace();
  const relay = await startRelay({ port: 0, host: '127.0.0.1', dataDir, idleUnloadMs: 100, compactAfterRows: 8, log: () => {} });
  cleanups.push(() => relay.close());
  const doc = createEnvelopeDoc();
  const provider = await connectProvider(relay.url, space.room, doc);
  for (let i = 0; i < 20; i++) {
    appendSealed(doc, [sealPost(space, `post ${i}`)]);
    await new Promise((r) => setImmediate(r));
  }
  await waitUntil(() => relay.registry.isLoaded(space.room), { timeoutMs: 2000, what: 'the room to load' });
  await new Promise((r) => setTimeout(r, 50));
  stopProvider(provider);
  await waitUntil(() => !relay.registry.isLoaded(space.room), { timeoutMs: 3000, what: 'the room to unload' });
  await new Promise((r) => setTimeout(r, 50));
  const db = new Database(join(dataDir, 'baton-relay.sqlite'), { readonly: true });
  const rows = db.prepare('SELECT COUNT(*) AS n FROM updates WHERE room = ?').get(space.room) as { n: number };
  db.close();
  assert.equal(rows.n, 1, 'an unloaded room is one merged row');
  const again = createEnvelopeDoc();
  const p2 = await connectProvider(relay.url, space.room, again);
  try {
    await waitUntil(() => blobsOf(again).length === 20, { timeoutMs: 3000, what: 'the room to load again with every blob' });
  } finally {
    stopProvider(p2);
  }
});

it('close() finishes the writes still queued', async () => {
  const dataDir = tempDir();
  const space = await makeSpace();
  const relay = await startRelay({ port: 0, host: '127.0.0.1', dataDir, log: () => {} });
  const room = await relay.registry.acquire({ ...parseRoomName(space.room)! });
  const doc = createEnvelopeDoc();
  appendSealed(doc, [sealPost(space, 'queued')]);
  assert.equal(room.receive(Y.encodeStateAsUpdate(doc), null).ok, true);
  relay.registry.release(room);
  await relay.close(); // in the same turn: the write is still only queued
  assert.equal(blobsOf(await heldBy(dataDir, space)).length, 1);
});
