import { beforeAll, test } from 'vitest';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { toBase64url } from '../bytes.ts';
import { createSpace } from '../capability.ts';
import { generateIdentity } from '../identity.ts';
import { initSodium } from '../sodium.ts';
import { MAX_CARRIED_ORIGINS, addCarriedRecord, carriedMap, carriedOrigins, signCarried, verifyThreadPost } from './carried.ts';
import { signPost } from './post.ts';

beforeAll(async () => {
  await initSodium();
});

test('a carried post verifies against the thread it was written in, only when an authority says this thread carries it', () => {
  const owner = generateIdentity();
  const writer = generateIdentity();
  const isOwner = (k: string) => k === toBase64url(owner.publicKey);
  const oldThread = createSpace('thread').spaceId;
  const elsewhere = createSpace('thread').spaceId;
  const newThread = createSpace('thread').spaceId;
  const doc = new Y.Doc();
  addCarriedRecord(doc, signCarried(newThread, owner, [oldThread]));
  const origins = carriedOrigins(doc, newThread, isOwner);
  assert.deepEqual([...origins], [oldThread]);

  const post = { ...signPost(writer, { threadSpaceId: oldThread, name: 'w', body: 'hello' }), from: oldThread };
  assert.equal(verifyThreadPost(newThread, post, origins), true);
  // The same post without `from` was not signed for this thread.
  const { from: _f, ...bare } = post;
  assert.equal(verifyThreadPost(newThread, bare, origins), false);
  assert.equal(verifyThreadPost(oldThread, bare, origins), true);
  // A post signed in another thread, which no record names: a writer of the successor cannot pass it off.
  const replayed = { ...signPost(writer, { threadSpaceId: elsewhere, name: 'w', body: 'out of context' }), from: elsewhere };
  assert.equal(verifyThreadPost(newThread, replayed, origins), false);
  // Nor can it add a record of its own: only the authority's count.
  addCarriedRecord(doc, signCarried(newThread, writer, [elsewhere]));
  const after = carriedOrigins(doc, newThread, isOwner);
  assert.deepEqual([...after], [oldThread]);
  assert.equal(verifyThreadPost(newThread, replayed, after), false);
  // A record of the owner's, copied to another thread, does not count there (it names its thread).
  const other = new Y.Doc();
  carriedMap(other).set(toBase64url(owner.publicKey), carriedMap(doc).get(toBase64url(owner.publicKey)));
  assert.equal(carriedOrigins(other, elsewhere, isOwner).size, 0);
  // Under the wrong key in the map, or with too many origins: ignored.
  const misfiled = new Y.Doc();
  carriedMap(misfiled).set('someone', signCarried(newThread, owner, [oldThread]));
  assert.equal(carriedOrigins(misfiled, newThread, isOwner).size, 0);
  const tooMany = Array.from({ length: MAX_CARRIED_ORIGINS + 1 }, () => createSpace('thread').spaceId);
  const big = new Y.Doc();
  carriedMap(big).set(toBase64url(owner.publicKey), { ...signCarried(newThread, owner, []), origins: tooMany });
  assert.equal(carriedOrigins(big, newThread, isOwner).size, 0);
});
