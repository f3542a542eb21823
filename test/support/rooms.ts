// Test rooms with deterministic keys, and helpers to seal blobs into them.
import * as Y from 'yjs';
import { capabilityFromSeeds, type Capability, type SpaceKind } from '#shared/capability.ts';
import { sealLinkBlob, sealUpdateBlob, BlobKind, type BlobPosition, type ReadKey, type RoomKey, type WriteKey } from '#shared/blob.ts';
import { identityFromSeed, type Identity } from '#shared/identity.ts';
import { appendSealed, createEnvelopeDoc, type Sealer } from '#shared/envelope/doc.ts';

export interface TestRoom {
  cap: Capability;
  epoch: number;
  key: WriteKey;
  /** What a relay holds: no read key, no write secret. */
  roomKey: RoomKey;
  readKey: ReadKey;
}

/** 32 bytes all equal to `byte`: readable fixed seeds. */
export const filled = (byte: number, length = 32): Uint8Array => new Uint8Array(length).fill(byte);

export function testRoom(seedByte: number, epoch = 0, kind: SpaceKind = 'thread'): TestRoom {
  const cap = capabilityFromSeeds(kind, filled(seedByte), filled(seedByte ^ 0xff));
  const key: WriteKey = { writePub: cap.writePub, epoch, readKey: cap.readKey!, writeSecret: cap.write!.secretKey };
  return { cap, epoch, key, roomKey: { writePub: cap.writePub, epoch }, readKey: { writePub: cap.writePub, epoch, readKey: cap.readKey! } };
}

export function testIdentity(seedByte: number): Identity {
  return identityFromSeed(filled(seedByte));
}

/** A plaintext Yjs update setting one key of a map: small, real inner content. */
export function plainUpdate(key: string, value: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getMap('m').set(key, value);
  return Y.encodeStateAsUpdate(doc);
}

export function sealTestUpdate(room: TestRoom, author: Identity, key: string, value: string, pos: BlobPosition): Uint8Array {
  return sealUpdateBlob(room.key, BlobKind.update, author, plainUpdate(key, value), pos);
}

/** Seals a kind-1 blob setting one key, wherever it is appended. */
export function testUpdate(room: TestRoom, author: Identity, key = 'k', value = 'v'): Sealer {
  return (pos) => sealTestUpdate(room, author, key, value, pos);
}

/** Seals a link blob naming `child`, wherever it is appended. */
export function testLink(room: TestRoom, child: Uint8Array): Sealer {
  return (pos) => sealLinkBlob(room.key, child, pos);
}

/** An envelope doc built locally (no validation), with a fixed client id, each blob sealed where it lands. */
export function envelopeWith(sealers: Sealer[], clientID = 1): Y.Doc {
  const doc = createEnvelopeDoc();
  doc.clientID = clientID;
  appendSealed(doc, sealers);
  return doc;
}
