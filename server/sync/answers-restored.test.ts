// A room as it was loaded is answered whole with the pieces it was restored from, which its
// blobs are views into already: no second copy of every blob, nothing encoded. Once the room
// has changed, it is encoded as before.
import assert from 'node:assert/strict';
import { afterEach, it } from 'vitest';
import * as Y from 'yjs';
import { createEnvelopeDoc, initSodium, parseRoomName, roomName, splitEnvelopeUpdate } from '#shared';
import { openRegistry, piecesOf, type RegistryParts } from '#test/support/relay-parts.ts';
import { testRoom } from '#test/support/rooms.ts';
import { tinyBlobRoom } from '#test/support/tiny-blobs.ts';
import { Counters } from '../metrics/counters.ts';
import { AnswerPool } from './answers.ts';

await initSodium();
let open: RegistryParts | null = null;
afterEach(async () => {
  await open?.close();
  open = null;
});

const EVERYTHING = new Uint8Array([0]);

/** A registry over SQLite holding one room stored as rows of about `rowBytes`, loaded. */
async function loadedRoom(blobs: number, rowBytes: number) {
  open = await openRegistry({ limits: { roomMemoryBytes: 256 * 1024 * 1024 } });
  const { update, doc } = tinyBlobRoom(blobs);
  const address = parseRoomName(roomName(testRoom(90).cap.spaceId, 0))!;
  for (const row of splitEnvelopeUpdate(update, rowBytes)) await open.storage.append([{ room: address.room, update: row }]);
  const room = await open.registry.acquire(address);
  return { room, doc, registry: open.registry };
}

function rebuilt(pieces: Uint8Array[]): Y.Doc {
  const doc = createEnvelopeDoc();
  for (const piece of pieces) Y.applyUpdate(doc, piece);
  return doc;
}

it('answers a room as loaded with the pieces it was restored from, and encodes it once it has changed', async () => {
  const { room, doc, registry } = await loadedRoom(12_000, 1024 * 1024);
  const restored = room.restoredPieces!;
  assert.ok(restored.length >= 2, `${restored.length} restored pieces`);
  const counters = new Counters();
  const pool = new AnswerPool(256 * 1024 * 1024, 256 * 1024, { counters });

  const answer = pool.take(room, EVERYTHING)!;
  const pieces = await piecesOf(answer);
  pool.release(answer);
  // Compared by identity: a failing deep comparison of megabytes takes minutes to print.
  assert.equal(pieces.length, restored.length);
  assert.ok(pieces.every((p, i) => p === restored[i]), 'the restored pieces themselves, not copies');
  assert.deepEqual(rebuilt(pieces).getArray('log').toArray(), doc.getArray('log').toArray());
  // A holder of a part of the room lacking more than a small answer is sent pieces cut from the same.
  const [client, clock] = [...Y.decodeStateVector(room.stateVector())][0]!;
  const partial = pool.take(room, Y.encodeStateVector(new Map([[client, clock]])))!;
  const lacking = await piecesOf(partial);
  pool.release(partial);
  assert.ok(lacking.length > 0 && lacking.every((p) => restored.includes(p)), `${lacking.length} pieces, all restored ones`);
  assert.equal(counters.get('sync.answer-computed'), 1);

  // A write: the room is no longer what it was restored from.
  const more = tinyBlobRoom(12_001).update;
  Y.applyUpdate(room.doc, more);
  room.version++;
  const after = pool.take(room, EVERYTHING)!;
  const encoded = await piecesOf(after);
  pool.release(after);
  assert.ok(encoded.every((p) => !restored.includes(p)), 'encoded anew');
  assert.equal(rebuilt(encoded).getArray('log').length, 12_001);
  registry.release(room);
});

it('splits a restored piece larger than a message may be', async () => {
  // Rows of about 1.03 MiB apply whole at load; an update that large is cut for the answer.
  const { room, doc, registry } = await loadedRoom(6_000, 1080 * 1024);
  const restored = room.restoredPieces!;
  assert.ok(restored.some((p) => p.length > 1024 * 1024), `pieces of ${restored.map((p) => p.length).join(', ')} bytes`);
  const pool = new AnswerPool(256 * 1024 * 1024, 256 * 1024);
  const answer = pool.take(room, EVERYTHING)!;
  const pieces = await piecesOf(answer);
  pool.release(answer);
  assert.ok(pieces.every((p) => p.length <= 1024 * 1024), `pieces of at most 1 MiB: ${pieces.map((p) => p.length).join(', ')}`);
  assert.deepEqual(rebuilt(pieces).getArray('log').toArray(), doc.getArray('log').toArray());
  registry.release(room);
});
