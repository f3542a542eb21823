// Three relay nodes (child processes) on one PostgreSQL and one Redis: clients on different
// nodes converge; a node killed -9 mid-stream loses nothing it receipted and its clients
// carry on through another node; a Redis restart loses no update.
import assert from 'node:assert/strict';
import { afterAll, afterEach, beforeAll, describe, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { appendSealed, createEnvelopeDoc, toBase64url } from '#shared';
import { spawnRelay, type RelayProcess } from '../scenario/relay-process.ts';
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
} from '../integration/relay-fixtures.ts';
import { startPostgres, startRedis, type Service } from './services.ts';
import { freePort } from '../support/ports.ts';
import { hasSystemPackage } from '../support/system.ts';
import { waitUntil } from '../support/wait.ts';

// Skipped, with one line from the global setup, where postgresql or redis is missing.
const missing = !hasSystemPackage('postgresql') || !hasSystemPackage('redis');

let postgres: Service;
let redis: Service;
const nodes: RelayProcess[] = [];
const providers: WebsocketProvider[] = [];

const keys = (doc: Y.Doc) => new Set(blobsOf(doc).map((b) => toBase64url(b)));
const holdsAll = (doc: Y.Doc, want: Set<string>) => {
  const held = keys(doc);
  return [...want].every((k) => held.has(k));
};

async function provider(node: RelayProcess, room: string, doc = createEnvelopeDoc()): Promise<{ doc: Y.Doc; provider: WebsocketProvider }> {
  const p = await connectProvider(node.url, room, doc);
  providers.push(p);
  return { doc, provider: p };
}

beforeAll(async () => {
  [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
  const args = ['--postgres', postgres.url, '--redis', redis.url];
  // One node first creates the schema; the others start together against it.
  for (const port of [await freePort(), await freePort(), await freePort()]) nodes.push(await spawnRelay(port, args));
});

// Each test's clients end with it (each holds a process exit listener while it lives).
afterEach(() => {
  for (const p of providers.splice(0)) stopProvider(p);
});

afterAll(async () => {
  await Promise.all(nodes.map((n) => n.kill()));
  await Promise.all([postgres?.stop(), redis?.stop()]);
});

describe.skipIf(missing)('relay cluster', () => {
  it('clients on three nodes converge, live, through the bus', async () => {
    const space = await makeSpace();
    const clients = await Promise.all(nodes.map((n) => provider(n, space.room)));
    const written = new Set<string>();
    for (let round = 0; round < 3; round++) {
      for (const [i, c] of clients.entries()) {
        const [placed] = appendSealed(c.doc, [sealPost(space, `node ${i} round ${round}`)]);
        written.add(toBase64url(placed!.blob));
      }
    }
    await waitUntil(() => clients.every((c) => holdsAll(c.doc, written)), { timeoutMs: 10_000, what: 'every client to hold every post' });
    for (const c of clients) assert.equal(keys(c.doc).size, written.size, 'nothing but what was written');
    // A client that joins later, on any node, gets the whole room from PostgreSQL.
    const late = await provider(nodes[1]!, space.room);
    await waitUntil(() => holdsAll(late.doc, written), { timeoutMs: 5_000, what: 'a late client to catch up' });
  });

  it('a forged update sent by a client is refused on its node and never reaches the others', async () => {
    const space = await makeSpace();
    const other = await makeSpace();
    const watcher = await provider(nodes[2]!, space.room);
    const raw = await rawClient(nodes[0]!.url, space.room);
    // A blob sealed for another room: the validator refuses it; nothing is stored or published.
    const doc = createEnvelopeDoc();
    appendSealed(doc, [sealPost(other, 'wrong room')]);
    raw.send(syncUpdateMessage(Y.encodeStateAsUpdate(doc)));
    const closed = await raw.closed;
    assert.equal(closed.code, 4400);
    const writer = await provider(nodes[0]!, space.room);
    const [good] = appendSealed(writer.doc, [sealPost(space, 'after the forgery')]);
    await waitUntil(() => holdsAll(watcher.doc, new Set([toBase64url(good!.blob)])), { timeoutMs: 5_000, what: 'the good post to arrive' });
    assert.equal(keys(watcher.doc).size, 1);
  });

  it('a Redis restart (nothing persisted) loses no update', async () => {
    const space = await makeSpace();
    const a = await provider(nodes[0]!, space.room);
    const b = await provider(nodes[1]!, space.room);
    const written = new Set<string>();
    const write = (c: { doc: Y.Doc }, body: string) => {
      const [placed] = appendSealed(c.doc, [sealPost(space, body)]);
      written.add(toBase64url(placed!.blob));
    };
    write(a, 'before');
    await waitUntil(() => holdsAll(b.doc, written), { timeoutMs: 5_000, what: 'the first post' });
    await redis.kill();
    write(a, 'while Redis is down, on node A');
    write(b, 'while Redis is down, on node B');
    await new Promise((r) => setTimeout(r, 300));
    await redis.restart();
    write(a, 'after the restart');
    await waitUntil(() => holdsAll(a.doc, written) && holdsAll(b.doc, written), { timeoutMs: 15_000, what: 'both clients to hold every post' });
    const c = await provider(nodes[2]!, space.room);
    await waitUntil(() => holdsAll(c.doc, written), { timeoutMs: 5_000, what: 'a third node to serve them all' });
  });

  it('a node killed -9 mid-stream loses nothing it receipted; its client carries on through another node', async () => {
    const space = await makeSpace();
    const watcher = await provider(nodes[2]!, space.room);
    const writer = await rawClient(nodes[0]!.url, space.room, '?receipts=1');
    const doc = createEnvelopeDoc();
    const sent: Uint8Array[] = [];
    let stop = false;
    const stream = (async () => {
      for (let i = 0; !stop && i < 400; i++) {
        const sv = Y.encodeStateVector(doc);
        const [placed] = appendSealed(doc, [sealPost(space, `stream ${i}`)]);
        sent.push(placed!.blob);
        writer.send(syncUpdateMessage(Y.encodeStateAsUpdate(doc, sv)));
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
    await waitUntil(() => receiptsOf(writer).length >= 5, { timeoutMs: 10_000, what: 'some receipts' });
    await nodes[0]!.kill();
    stop = true;
    await stream;
    // What the receipts covered: the largest receipted state vector.
    const receipts = receiptsOf(writer);
    const receipted = receipts.reduce((best, sv) => (covers(sv, best) ? sv : best));
    const doneClock = Y.decodeStateVector(receipted).get(doc.clientID) ?? 0;
    assert.ok(doneClock > 0, 'receipts cover some posts');
    const receiptedKeys = new Set(sent.slice(0, doneClock).map((b) => toBase64url(b)));

    // Every receipted post is in PostgreSQL: a fresh client of node B gets it.
    const fresh = await provider(nodes[1]!, space.room);
    await waitUntil(() => holdsAll(fresh.doc, receiptedKeys), { timeoutMs: 5_000, what: 'node B to serve every receipted post' });

    // The writer carries on through node B with the same doc: everything reaches node C's client.
    const moved = await provider(nodes[1]!, space.room, doc);
    const [more] = appendSealed(moved.doc, [sealPost(space, 'after the move')]);
    const all = new Set([...sent.map((b) => toBase64url(b)), toBase64url(more!.blob)]);
    await waitUntil(() => holdsAll(watcher.doc, all), { timeoutMs: 10_000, what: 'the watcher on node C to hold everything' });
  });
});
