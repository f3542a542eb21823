// Fixtures of the peering and mirror tests: relays in pairs, HTTP writes and reads of rooms,
// boards with link blobs naming their threads.
import * as Y from 'yjs';
import {
  BlobKind,
  appendSealed,
  createEnvelopeDoc,
  createSpace,
  deriveThreadCapability,
  formatCapability,
  generateIdentity,
  roomName,
  sealLinkBlob,
  sealUpdateBlob,
  type Capability,
  type Identity,
  type Sealer,
  type WriteKey,
} from '#shared';
import type { Relay } from '#server/index.ts';
import { blobsOf, envelopeUpdate, type TestSpace } from './relay-fixtures.ts';
import { waitUntil } from '../support/wait.ts';


/** POSTs an update to a relay; resolves with the HTTP status. */
export async function postUpdate(relay: Relay | string, room: string, update: Uint8Array): Promise<number> {
  const base = typeof relay === 'string' ? relay : relay.url;
  const res = await fetch(`${base}/v1/rooms/${room}`, { method: 'POST', body: update as Uint8Array<ArrayBuffer> });
  await res.arrayBuffer();
  return res.status;
}

/** Writes blobs to a room over HTTP as a fresh client (each call its own Yjs client). */
export async function writeBlobs(relay: Relay | string, room: string, blobs: Sealer[]): Promise<void> {
  const status = await postUpdate(relay, room, envelopeUpdate(blobs));
  if (status !== 200) throw new Error(`write refused: ${status}`);
}

/** The blobs a relay serves of a room (GET /v1/rooms/<room>). */
export async function blobsAt(relay: Relay | string, room: string): Promise<Uint8Array[]> {
  const base = typeof relay === 'string' ? relay : relay.url;
  const res = await fetch(`${base}/v1/rooms/${room}`);
  const doc = createEnvelopeDoc();
  Y.applyUpdate(doc, new Uint8Array(await res.arrayBuffer()));
  const blobs = blobsOf(doc);
  doc.destroy();
  return blobs;
}

export async function countAt(relay: Relay | string, room: string): Promise<number> {
  return (await blobsAt(relay, room)).length;
}

/** Polls until the relay holds at least `count` blobs of the room. */
export async function waitForCount(relay: Relay | string, room: string, count: number, timeoutMs = 8000): Promise<void> {
  let held = 0;
  await waitUntil(async () => (held = await countAt(relay, room)) >= count, { timeoutMs, intervalMs: 25, what: `${count} blobs of ${room.slice(0, 8)}…` }).catch((err: Error) => {
    throw new Error(`${err.message}; ${held} held at the end`);
  });
}

/** A cheap valid update blob whose sealed plaintext is `text`, sealed where it is appended. */
export function sealText(space: TestSpace, text: string): Sealer {
  return (pos) => sealUpdateBlob(space.key, BlobKind.update, space.author, new TextEncoder().encode(text), pos);
}

export interface TestBoard {
  cap: Capability;
  key: WriteKey;
  room: string;
  author: Identity;
  mirrorCap: string;
}

export function makeBoard(): TestBoard {
  const cap = createSpace('board');
  const key: WriteKey = { writePub: cap.writePub, epoch: 0, readKey: cap.readKey!, writeSecret: cap.write!.secretKey };
  return { cap, key, room: roomName(cap.spaceId, 0), author: generateIdentity(), mirrorCap: formatCapability(cap, 'mirror') };
}

/** A thread of the board and the link blob that names it. */
export function makeThread(board: TestBoard): { thread: TestSpace; link: Sealer } {
  const cap = deriveThreadCapability(board.cap, crypto.getRandomValues(new Uint8Array(16)));
  const key: WriteKey = { writePub: cap.writePub, epoch: 0, readKey: cap.readKey!, writeSecret: cap.write!.secretKey };
  return { thread: { key, room: roomName(cap.spaceId, 0), author: board.author }, link: (pos) => sealLinkBlob(board.key, cap.writePub, pos) };
}

/** A space linked from `parent` (a thread's file, say, or any space a hostile writer names), and that link. */
export function makeChild(parent: TestSpace, kind: 'thread' | 'file' = 'file'): { space: TestSpace; link: Sealer } {
  const cap = createSpace(kind);
  const key: WriteKey = { writePub: cap.writePub, epoch: 0, readKey: cap.readKey!, writeSecret: cap.write!.secretKey };
  return { space: { key, room: roomName(cap.spaceId, 0), author: parent.author }, link: (pos) => sealLinkBlob(parent.key, cap.writePub, pos) };
}

export function boardSpace(board: TestBoard): TestSpace {
  return { key: board.key, room: board.room as TestSpace['room'], author: board.author };
}

/** An envelope doc holding these blobs, for tests that need the update of a whole room. */
export function docWith(blobs: Sealer[]): Y.Doc {
  const doc = createEnvelopeDoc();
  appendSealed(doc, blobs);
  return doc;
}
