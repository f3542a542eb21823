// Shared fixtures of the relay integration tests: spaces, sealed blobs, stock y-websocket
// clients and raw sockets for hostile messages.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import {
  BlobKind,
  appendSealed,
  createEnvelopeDoc,
  createSpace,
  envelopeLog,
  generateIdentity,
  initSodium,
  roomName,
  sealUpdateBlob,
  signPost,
  addPost,
  readReceiptBody,
  type Identity,
  type RoomName,
  type Sealer,
  type WriteKey,
} from '#shared';
import { waitUntil } from '../support/wait.ts';

export interface TestSpace {
  key: WriteKey;
  room: RoomName;
  author: Identity;
}

export async function makeSpace(epoch = 0): Promise<TestSpace> {
  await initSodium();
  const cap = createSpace('thread');
  const key: WriteKey = { writePub: cap.writePub, epoch, readKey: cap.readKey!, writeSecret: cap.write!.secretKey };
  return { key, room: roomName(cap.spaceId, epoch), author: generateIdentity() };
}

/** An update blob holding one post whose body is `body`, sealed where it is appended. */
export function sealPost(space: TestSpace, body: string): Sealer {
  const plain = new Y.Doc();
  addPost(plain, signPost(space.author, { threadSpaceId: space.room.split('.')[0]!, name: 'tester', body }));
  const update = Y.encodeStateAsUpdate(plain);
  return (pos) => sealUpdateBlob(space.key, BlobKind.update, space.author, update, pos);
}

/** A sealer that spoils what another seals (one bit of its signature flipped). */
export function spoiled(sealer: Sealer): Sealer {
  return (pos) => {
    const blob = sealer(pos).slice();
    blob[blob.length - 1]! ^= 1;
    return blob;
  };
}

/** A Yjs update of an envelope doc holding these blobs, from a fresh client. */
export function envelopeUpdate(blobs: Sealer[], base?: Y.Doc): Uint8Array {
  const doc = base ?? createEnvelopeDoc();
  const before = Y.encodeStateVector(doc);
  appendSealed(doc, blobs);
  return Y.encodeStateAsUpdate(doc, before);
}

export const blobsOf = (doc: Y.Doc): Uint8Array[] => envelopeLog(doc).toArray();

/** Each blob of a doc with the Yjs id it sits at (what its write signature covers). */
export function placedBlobsOf(doc: Y.Doc): Array<{ blob: Uint8Array; pos: { client: number; clock: number } }> {
  const out: Array<{ blob: Uint8Array; pos: { client: number; clock: number } }> = [];
  for (let item = envelopeLog(doc)._start; item; item = item.right) {
    if (item.deleted) continue;
    item.content.getContent().forEach((blob, i) => out.push({ blob: blob as Uint8Array, pos: { client: item!.id.client, clock: item!.id.clock + i } }));
  }
  return out;
}

export function wsBase(relayUrl: string): string {
  return relayUrl.replace(/^http/, 'ws') + '/v1/sync';
}

/** A stock y-websocket provider (with `ws` as its WebSocket), resolved once synced. */
export async function connectProvider(relayUrl: string, room: string, doc: Y.Doc, params: Record<string, string> = {}): Promise<WebsocketProvider> {
  const provider = new WebsocketProvider(wsBase(relayUrl), room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    params,
  });
  await waitUntil(() => provider.synced, { timeoutMs: 5000, what: 'provider to sync' });
  return provider;
}

/** Destroys a provider and its awareness (whose timer y-websocket's destroy() leaves running). */
export function stopProvider(provider: WebsocketProvider): void {
  provider.destroy();
  provider.awareness.destroy();
}

export interface RawClient {
  ws: WebSocket;
  messages: Uint8Array[];
  closed: Promise<{ code: number; reason: string }>;
  send(bytes: Uint8Array): void;
  close(): void;
}

/** A bare socket to a room, for messages no stock client would send. */
export async function rawClient(relayUrl: string, room: string, query = ''): Promise<RawClient> {
  const ws = new WebSocket(`${wsBase(relayUrl)}/${room}${query}`);
  ws.binaryType = 'arraybuffer';
  const messages: Uint8Array[] = [];
  ws.on('message', (data: ArrayBuffer) => messages.push(new Uint8Array(data)));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
  });
  ws.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('close', () => resolve());
  });
  return { ws, messages, closed, send: (bytes) => ws.send(bytes), close: () => ws.close() };
}

export function syncUpdateMessage(update: Uint8Array, step2 = false): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  if (step2) syncProtocol.writeSyncStep2(encoder, updateDoc(update));
  else syncProtocol.writeUpdate(encoder, update);
  return encoding.toUint8Array(encoder);
}

function updateDoc(update: Uint8Array): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  return doc;
}

export function syncStep1Message(doc: Y.Doc): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  syncProtocol.writeSyncStep1(encoder, doc);
  return encoding.toUint8Array(encoder);
}

/** [messageType, syncStep?] of a message the relay sent. */
export function kindOf(message: Uint8Array): [number, number?] {
  const d = decoding.createDecoder(message);
  const type = decoding.readVarUint(d);
  return type === 0 ? [type, decoding.readVarUint(d)] : [type];
}

/** The state vectors carried by the receipts (message 100) a raw client has received. */
export function receiptsOf(client: RawClient): Uint8Array[] {
  return client.messages.filter((m) => m[0] === 100).map((m) => readReceiptBody(decoding.createDecoder(m.subarray(1))));
}

/** True when state vector `have` holds at least everything in `want`. */
export function covers(have: Uint8Array, want: Uint8Array): boolean {
  const h = Y.decodeStateVector(have);
  for (const [client, clock] of Y.decodeStateVector(want)) if ((h.get(client) ?? 0) < clock) return false;
  return true;
}
