// A thread's history as writers would leave it: posts by many authors over many sessions,
// each blob a batch of one to a few posts, and a new epoch with a snapshot whenever the current
// one holds `compactAfterBlobs` blobs (docs/PROTOCOL.md §3, epochs), as the client core compacts.
import * as Y from 'yjs';
import {
  BlobKind,
  DEFAULT_LIMITS,
  addPost,
  appendSealed,
  createEnvelopeDoc,
  envelopeLog,
  generateIdentity,
  initThreadDoc,
  roomName,
  sealUpdateBlob,
  signPost,
  type BlobPosition,
  type Capability,
  type Identity,
  type RoomName,
  type Sealer,
} from '#shared';
import { BLOB_OVERHEAD } from '#client-core/bridge.ts';
import { snapshotPieces } from '#client-core/snapshot.ts';
import { createPrng } from '../../support/prng.ts';

export interface History {
  /** Each epoch's envelope doc as one update, by room. */
  rooms: Map<RoomName, Uint8Array>;
  /** The plaintext doc everyone converged on. */
  plain: Y.Doc;
  /** Post ids, oldest first. */
  postIds: string[];
  blobs: number;
  epochs: number;
}

const WORDS = 'the relay was blocked again this morning but the mirror in the other city still answers and the board keeps going while we move the thread to a new host and share the link by hand'.split(' ');

export function buildHistory(cap: Capability, o: { posts: number; authors: number; seed: number }): History {
  const prng = createPrng(o.seed);
  const int = (n: number) => Math.floor(prng.next() * n);
  const authors: Identity[] = Array.from({ length: o.authors }, () => generateIdentity());
  const plain = new Y.Doc();
  initThreadDoc(plain, { title: 'A long thread', createdAt: 1_700_000_000_000, boardId: '' });
  const rooms = new Map<RoomName, Uint8Array>();
  const postIds: string[] = [];
  let epoch = 0;
  let envelope = createEnvelopeDoc();
  let blobs = 0;
  const keyOf = (e: number) => ({ writePub: cap.writePub, epoch: e, readKey: cap.readKey!, writeSecret: cap.write!.secretKey });
  // The first blob holds the thread info.
  const first = Y.encodeStateAsUpdate(plain);
  appendSealed(envelope, [(pos) => sealUpdateBlob(keyOf(0), BlobKind.update, authors[0]!, first, pos)]);
  let ts = 1_700_000_000_000;
  while (postIds.length < o.posts) {
    // One session: a device of one author, with its own Yjs client ids, writing a few batches.
    const author = authors[int(authors.length)]!;
    // Posts are keys of the root map: a session needs none of the doc's history to add some,
    // and a device appending blobs needs none of the log's (unordered) entries.
    const session = new Y.Doc();
    const writer = createEnvelopeDoc();
    const sealed: Sealer[] = [];
    const batches = 1 + int(12);
    for (let b = 0; b < batches && postIds.length < o.posts; b++) {
      const sv = Y.encodeStateVector(session);
      const count = 1 + int(3);
      session.transact(() => {
        for (let i = 0; i < count && postIds.length < o.posts; i++) {
          ts += 1000 + int(600_000);
          const words = 8 + int(60);
          const body = Array.from({ length: words }, () => WORDS[int(WORDS.length)]).join(' ');
          const p = signPost(author, { threadSpaceId: cap.spaceId, name: `author-${authors.indexOf(author)}`, body, ts, ...(postIds.length > 0 && int(4) === 0 ? { replyTo: postIds[int(postIds.length)]! } : {}) });
          addPost(session, p);
          postIds.push(p.id);
        }
      });
      const update = Y.encodeStateAsUpdate(session, sv);
      const e = epoch;
      sealed.push((pos) => sealUpdateBlob(keyOf(e), BlobKind.update, author, update, pos));
    }
    appendSealed(writer, sealed);
    Y.applyUpdate(envelope, Y.encodeStateAsUpdate(writer));
    Y.applyUpdate(plain, Y.encodeStateAsUpdate(session));
    blobs += sealed.length;
    session.destroy();
    writer.destroy();
    if (envelopeLog(envelope).length >= DEFAULT_LIMITS.compactAfterBlobs) {
      rooms.set(roomName(cap.spaceId, epoch), Y.encodeStateAsUpdate(envelope));
      envelope.destroy();
      epoch++;
      envelope = createEnvelopeDoc();
      const pieces = snapshotPieces(plain, DEFAULT_LIMITS.maxBlobBytes - BLOB_OVERHEAD);
      const e = epoch;
      appendSealed(envelope, pieces.map((p) => (pos: BlobPosition) => sealUpdateBlob(keyOf(e), BlobKind.snapshot, author, p, pos)));
      blobs += pieces.length;
    }
  }
  rooms.set(roomName(cap.spaceId, epoch), Y.encodeStateAsUpdate(envelope));
  envelope.destroy();
  return { rooms, plain, postIds, blobs, epochs: epoch + 1 };
}
