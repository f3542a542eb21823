import assert from 'node:assert/strict';
import { it } from 'vitest';
import * as Y from 'yjs';
import { BlobKind, appendSealed, createEnvelopeDoc, createSpace, generateIdentity, initSodium, parseRoomName, sealLinkBlob, sealUpdateBlob, type SpaceId } from '#shared';
import { resolveConfig } from '../config.ts';
import { blobsMissing } from '../peering/bulk.ts';
import { Room, linkChild } from './room.ts';

it('a room reports changes with their origin and the children its link blobs name', async () => {
  await initSodium();
  const board = createSpace('board');
  const child = createSpace('thread');
  const key = { writePub: board.writePub, epoch: 0, readKey: board.readKey!, writeSecret: board.write!.secretKey };
  const events: string[] = [];
  const linked: SpaceId[][] = [];
  const room = new Room(parseRoomName(`${board.spaceId}.0`)!, resolveConfig().limits, { updates: [], bytes: 0 }, () => {}, () => {}, {
    changed: (_room, origin) => events.push(`changed ${String(origin)}`),
    linked: (_room, children) => linked.push(children),
  });
  const doc = createEnvelopeDoc();
  const [, placed] = appendSealed(doc, [(pos) => sealUpdateBlob(key, BlobKind.update, generateIdentity(), new Uint8Array([1, 2, 3]), pos), (pos) => sealLinkBlob(key, child.writePub, pos)]);
  const link = placed!.blob;
  const result = room.receive(Y.encodeStateAsUpdate(doc), 'peer-x');
  assert.deepEqual(result, { ok: true, added: 2, children: [child.spaceId] });
  assert.deepEqual(events, ['changed peer-x']);
  assert.deepEqual(linked, [[child.spaceId]]);
  assert.deepEqual(room.linkedChildren(), [child.spaceId]);
  assert.equal(linkChild(link), child.spaceId);
  assert.equal(linkChild(new Uint8Array(122)), null);
  // The same update again adds nothing and reports nothing.
  assert.deepEqual(room.receive(Y.encodeStateAsUpdate(doc), 'peer-y'), { ok: true, added: 0, children: [] });
  assert.equal(events.length, 1);
  assert.equal(blobsMissing(Y.encodeStateVector(createEnvelopeDoc()), room.stateVector()), 2);
  assert.equal(blobsMissing(room.stateVector(), Y.encodeStateVector(doc)), 0);
  room.destroy();
});

it('a room stores and passes on exactly what an update added: the bytes as they came, or only the part it lacked', async () => {
  await initSodium();
  const space = createSpace('thread');
  const key = { writePub: space.writePub, epoch: 0, readKey: space.readKey!, writeSecret: space.write!.secretKey };
  const stored: Uint8Array[] = [];
  const sent: Uint8Array[] = [];
  const room = new Room(parseRoomName(`${space.spaceId}.0`)!, resolveConfig().limits, { updates: [], bytes: 0 }, (_r, update) => stored.push(update));
  room.join({ peer: false, send: (message: Uint8Array) => sent.push(message) } as never);
  const author = generateIdentity();
  const doc = createEnvelopeDoc();
  appendSealed(doc, [(pos) => sealUpdateBlob(key, BlobKind.update, author, new Uint8Array([1]), pos)]);
  const first = Y.encodeStateAsUpdate(doc);
  assert.equal(room.receive(first, 'a').ok, true);
  assert.deepEqual(stored, [first], 'a wholly new update is stored as it came');
  // The next update repeats the first blob and adds a second: only the second is stored and sent.
  const held = Y.encodeStateVector(doc);
  appendSealed(doc, [(pos) => sealUpdateBlob(key, BlobKind.update, author, new Uint8Array([2]), pos)]);
  const overlapping = Y.encodeStateAsUpdate(doc);
  assert.equal(room.receive(overlapping, 'b').ok, true);
  assert.equal(stored.length, 2);
  assert.ok(stored[1]!.length < overlapping.length);
  const { structs } = Y.decodeUpdate(stored[1]!);
  assert.deepEqual(structs.map((s) => [s.id.clock, s.length]), [[1, 1]], 'the second blob only');
  const other = createEnvelopeDoc();
  for (const update of stored) Y.applyUpdate(other, update);
  assert.deepEqual(Y.encodeStateVector(other), Y.encodeStateVector(doc));
  assert.equal(Y.encodeStateAsUpdate(doc, held).length, stored[1]!.length, 'the gain alone, no struct the room held');
  assert.equal(sent.length, 2, 'each change reached the member once');
  room.destroy();
});
