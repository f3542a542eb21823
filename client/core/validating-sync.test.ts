import { test } from 'vitest';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import WebSocket, { WebSocketServer } from 'ws';
import { BlobKind, MessageType, appendSealed, createEnvelopeDoc, createSpace, envelopeLog, generateIdentity, initSodium, sealUpdateBlob, type Capability, type Sealer } from '#shared';
import { readValidatedSyncMessage } from './validating-sync.ts';
import { Space } from './space.ts';
import { MemoryStore } from './store.ts';

await initSodium();

function blobFor(cap: Capability, signer: Capability, title: string): Sealer {
  const doc = new Y.Doc();
  doc.getMap('thread').set('title', title);
  const key = { writePub: cap.writePub, epoch: 0, readKey: cap.readKey!, writeSecret: signer.write!.secretKey };
  return (pos) => sealUpdateBlob(key, BlobKind.update, generateIdentity(), Y.encodeStateAsUpdate(doc), pos);
}

function syncMessage(step: number, update: Uint8Array): decoding.Decoder {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, step);
  encoding.writeVarUint8Array(e, update);
  return decoding.createDecoder(encoding.toUint8Array(e));
}

test('forged, malformed and gapped updates are refused; a gap is answered with sync step 1', () => {
  const cap = createSpace('thread');
  const key = { writePub: cap.writePub, epoch: 0 };
  const doc = createEnvelopeDoc();
  const rejected: string[] = [];
  const events = { onRejected: (v: { reason: string }) => rejected.push(v.reason) };

  const liar = createEnvelopeDoc();
  appendSealed(liar, [blobFor(cap, createSpace('thread'), 'forged')]);
  let reply = encoding.createEncoder();
  readValidatedSyncMessage(syncMessage(syncProtocol.messageYjsSyncStep2, Y.encodeStateAsUpdate(liar)), reply, doc, key, 'relay', events);
  assert.equal(envelopeLog(doc).length, 0);
  assert.equal(encoding.length(reply), 0, 'nothing to answer');

  readValidatedSyncMessage(syncMessage(syncProtocol.messageYjsUpdate, new Uint8Array([1, 2, 3])), encoding.createEncoder(), doc, key, 'relay', events);
  readValidatedSyncMessage(decoding.createDecoder(new Uint8Array([1, 200])), encoding.createEncoder(), doc, key, 'relay', events);

  // Two genuine blobs from one writer; the second alone leaves a gap.
  const honest = createEnvelopeDoc();
  appendSealed(honest, [blobFor(cap, cap, 'one')]);
  const sv = Y.encodeStateVector(honest);
  appendSealed(honest, [blobFor(cap, cap, 'two')]);
  const second = Y.encodeStateAsUpdate(honest, sv);
  reply = encoding.createEncoder();
  readValidatedSyncMessage(syncMessage(syncProtocol.messageYjsUpdate, second), reply, doc, key, 'relay', events);
  assert.equal(envelopeLog(doc).length, 0);
  const answer = decoding.createDecoder(encoding.toUint8Array(reply));
  assert.equal(decoding.readVarUint(answer), MessageType.sync);
  assert.equal(decoding.readVarUint(answer), syncProtocol.messageYjsSyncStep1);
  assert.deepEqual(rejected, ['bad-blob', 'malformed', 'malformed', 'gap']);

  const result = readValidatedSyncMessage(syncMessage(syncProtocol.messageYjsSyncStep2, Y.encodeStateAsUpdate(honest)), encoding.createEncoder(), doc, key, 'relay', events);
  assert.deepEqual(result, { step: syncProtocol.messageYjsSyncStep2, synced: true });
  assert.equal(envelopeLog(doc).length, 2);
});

test('a lying relay cannot poison a space through a real WebSocket provider', async () => {
  const cap = createSpace('thread');
  const forger = createSpace('thread');
  const honest = createEnvelopeDoc();
  appendSealed(honest, [blobFor(cap, cap, 'genuine')]);
  const liar = createEnvelopeDoc();
  appendSealed(liar, [blobFor(cap, forger, 'forged')]);
  const frame = (step: number, update: Uint8Array) => {
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, MessageType.sync);
    encoding.writeVarUint(e, step);
    encoding.writeVarUint8Array(e, update);
    return encoding.toUint8Array(e);
  };
  // The relay answers every connection with a forged update, garbage, then the genuine state.
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await once(wss, 'listening');
  wss.on('connection', (socket) => {
    socket.on('message', () => {});
    socket.send(frame(syncProtocol.messageYjsUpdate, Y.encodeStateAsUpdate(liar)));
    socket.send(new Uint8Array([MessageType.awareness, 50, 1, 2]));
    socket.send(frame(syncProtocol.messageYjsSyncStep2, Y.encodeStateAsUpdate(honest)));
  });
  const port = (wss.address() as { port: number }).port;
  const space = await Space.open(cap, { store: new MemoryStore(), identity: generateIdentity(), connection: { WebSocket: WebSocket as unknown as typeof globalThis.WebSocket } });
  space.connect([`http://127.0.0.1:${port}`]);
  const deadline = Date.now() + 5000;
  while (envelopeLog(space.envelope).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 50));
  const status = space.statuses()[0]!;
  assert.equal(status.rejected, 2, 'the forged update and the garbage were refused');
  // Synced, but not to be shown as such: it sent invalid data.
  assert.equal(status.state, 'bad-data');
  assert.match(status.lastError ?? '', /^sent invalid data: /);
  assert.equal(envelopeLog(space.envelope).length, 1);
  assert.equal(space.requireRead().getMap('thread').get('title'), 'genuine');
  await space.close();
  for (const c of wss.clients) c.terminate();
  wss.close();
});
