// A hostile relay's worst single message for a client: thousands of blobs, each validly
// signed for the room at its own id, and the last one broken, so a validator checks every
// signature before it refuses the whole update.
import * as Y from 'yjs';
import { BlobKind, addPost, appendSealed, createEnvelopeDoc, createSpace, generateIdentity, roomName, sealUpdateBlob, signPost, type Capability, type RoomName, type WriteKey } from '#shared';

export interface HostileUpdate {
  cap: Capability;
  key: WriteKey;
  room: RoomName;
  update: Uint8Array;
  blobs: number;
}

/** `bytes` of update, in blobs of about `blobBytes`; sodium must be ready. */
export function hostileUpdate(bytes: number, blobBytes = 2048): HostileUpdate {
  const cap = createSpace('thread');
  const key: WriteKey = { writePub: cap.writePub, epoch: 0, readKey: cap.readKey!, writeSecret: cap.write!.secretKey };
  const author = generateIdentity();
  const count = Math.max(2, Math.floor(bytes / (blobBytes + 8)));
  const filler = new Uint8Array(blobBytes - 200);
  const doc = createEnvelopeDoc();
  const sealers = Array.from({ length: count }, () => (pos: { client: number; clock: number }) => sealUpdateBlob(key, BlobKind.update, author, filler, pos));
  appendSealed(doc, sealers);
  const update = Y.encodeStateAsUpdate(doc);
  // Flip the last byte of the last blob's signature: the update ends with that blob and an empty delete set.
  update[update.length - 2] ^= 1;
  return { cap, key, room: roomName(cap.spaceId, 0), update, blobs: count };
}

/** One honest post for the same space, as an envelope update from another Yjs client. */
export function honestUpdate(h: HostileUpdate, body: string): Uint8Array {
  const author = generateIdentity();
  const plain = new Y.Doc();
  addPost(plain, signPost(author, { threadSpaceId: h.cap.spaceId, name: 'honest', body }));
  const inner = Y.encodeStateAsUpdate(plain);
  const doc = createEnvelopeDoc();
  appendSealed(doc, [(pos) => sealUpdateBlob(h.key, BlobKind.update, author, inner, pos)]);
  return Y.encodeStateAsUpdate(doc);
}
