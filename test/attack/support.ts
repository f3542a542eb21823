// Shared pieces of the attack suite: a relay on loopback with its data on disk, an honest
// writer with receipts, and the attacker's tools (a room fetched as anyone can, its blobs
// re-appended under fresh Yjs ids). Every attack runs against real sockets and real SQLite.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { createEnvelopeDoc, envelopeLog } from '#shared';
import { startRelay, type Relay, type RelayOptions } from '#server/index.ts';
import { covers, envelopeUpdate, rawClient, receiptsOf, sealPost, syncUpdateMessage, type TestSpace } from '../integration/relay-fixtures.ts';
import { waitUntil } from '../support/wait.ts';


/** A relay on 127.0.0.1 with SQLite in a fresh directory; `stop` closes it and removes the data. */
export async function diskRelay(options: RelayOptions = {}): Promise<{ relay: Relay; dir: string; stop: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'baton-attack-'));
  const relay = await startRelay({ host: '127.0.0.1', port: 0, dataDir: dir, log: () => {}, ...options });
  return {
    relay,
    dir,
    stop: async () => {
      await relay.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** What a room holds on a relay, as anyone can read it: its bytes and its blob count. */
export async function roomState(base: string, room: string): Promise<{ bytes: number; blobs: number; update: Uint8Array }> {
  const res = await fetch(`${base}/v1/rooms/${room}`);
  const update = new Uint8Array(await res.arrayBuffer());
  const doc = createEnvelopeDoc();
  if (update.length > 0) Y.applyUpdate(doc, update);
  const blobs = envelopeLog(doc).length;
  doc.destroy();
  return { bytes: update.length, blobs, update };
}

/**
 * The replay: the room's blobs (fetched as anyone can) appended again, `copies` times, by a
 * fresh Yjs client building on what the room holds, so the update is gap-free and every blob
 * in it is new to the relay.
 */
export function replayUpdate(held: Uint8Array, copies: number, clientID?: number): Uint8Array {
  const doc = createEnvelopeDoc();
  Y.applyUpdate(doc, held);
  const blobs = envelopeLog(doc).toArray();
  if (clientID !== undefined) doc.clientID = clientID;
  const before = Y.encodeStateVector(doc);
  const copiesOf: Uint8Array[] = [];
  for (let i = 0; i < copies; i++) copiesOf.push(blobs[i % blobs.length]!);
  envelopeLog(doc).push(copiesOf);
  const update = Y.encodeStateAsUpdate(doc, before);
  doc.destroy();
  return update;
}

export async function postUpdate(base: string, room: string, update: Uint8Array): Promise<{ status: number; body: { error?: string; message?: string; sv?: string; added?: number } }> {
  const res = await fetch(`${base}/v1/rooms/${room}`, { method: 'POST', body: update as Uint8Array<ArrayBuffer>, headers: { 'content-type': 'application/octet-stream' } });
  return { status: res.status, body: (await res.json().catch(() => ({}))) as { error?: string; message?: string } };
}

/**
 * An honest writer on a WebSocket with receipts: each write is one new post, and resolves
 * once a receipt covers it (the relay stored it).
 */
export async function honestWriter(base: string, space: TestSpace) {
  const client = await rawClient(base, space.room, '?receipts=1');
  const doc = createEnvelopeDoc();
  // Learn what the room holds first, so each write is gap-free.
  const held = new Uint8Array(await (await fetch(`${base}/v1/rooms/${space.room}`)).arrayBuffer());
  if (held.length > 0) Y.applyUpdate(doc, held);
  return {
    client,
    doc,
    async write(body: string, timeoutMs = 10_000): Promise<void> {
      const before = Y.encodeStateVector(doc);
      envelopeUpdate([sealPost(space, body)], doc);
      client.send(syncUpdateMessage(Y.encodeStateAsUpdate(doc, before)));
      const want = Y.encodeStateVector(doc);
      await waitUntil(() => receiptsOf(client).some((sv) => covers(sv, want)), { timeoutMs: timeoutMs, what: `a receipt for "${body}"` });
    },
    close: () => client.close(),
  };
}

/** A TCP forwarder on loopback that can cut every connection and refuse new ones, then let them through again. */
export async function cuttableProxy(target: number): Promise<{ url: string; cut(): void; restore(): void; close(): Promise<void> }> {
  const { createServer, connect } = await import('node:net');
  const sockets = new Set<import('node:net').Socket>();
  let open = true;
  const server = createServer((client) => {
    if (!open) return void client.destroy();
    const upstream = connect(target, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => {});
      s.on('close', () => {
        sockets.delete(s);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as import('node:net').AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    cut() {
      open = false;
      for (const s of sockets) s.destroy();
    },
    restore() {
      open = true;
    },
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
