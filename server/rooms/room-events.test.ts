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
