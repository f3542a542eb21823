import { test } from 'vitest';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { missingFrom, snapshotPieces } from './snapshot.ts';

function bigDoc(): Y.Doc {
  const doc = new Y.Doc();
  const posts = doc.getMap('posts');
  for (let s = 0; s < 3; s++) {
    const session = new Y.Doc();
    Y.applyUpdate(session, Y.encodeStateAsUpdate(doc));
    for (let i = 0; i < 200; i++) session.getMap('posts').set(`s${s}-${i}`, { body: 'x'.repeat(200 + i) });
    session.getText('summary').insert(0, `session ${s} `);
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(session));
  }
  doc.getText('summary').delete(0, 4); // a delete set too
  assert.equal(posts.size, 600);
  return doc;
}

test('a doc larger than a blob is split into pieces that rebuild it exactly', () => {
  const doc = bigDoc();
  const pieces = snapshotPieces(doc, 16 * 1024);
  assert.ok(pieces.length > 5, `${pieces.length} pieces`);
  assert.ok(pieces.every((p) => p.length <= 16 * 1024));
  const copy = new Y.Doc();
  for (const p of [...pieces].reverse()) Y.applyUpdate(copy, p); // any order
  assert.deepEqual(copy.getMap('posts').toJSON(), doc.getMap('posts').toJSON());
  assert.equal(copy.getText('summary').toString(), doc.getText('summary').toString());
  assert.deepEqual(Y.encodeStateVector(copy), Y.encodeStateVector(doc));
  assert.equal(copy.store.pendingStructs, null);
});

test('a small doc is one piece', () => {
  const doc = new Y.Doc();
  doc.getMap('posts').set('a', 1);
  assert.equal(snapshotPieces(doc, 1024).length, 1);
});

test('missingFrom finds structs and deletions a target lacks, and nothing when it has all', () => {
  const doc = bigDoc();
  const target = Y.encodeStateAsUpdate(doc);
  assert.equal(missingFrom(doc, target), null);
  doc.getMap('posts').set('late', { body: 'offline' });
  doc.getText('summary').delete(0, 2);
  const missing = missingFrom(doc, target);
  assert.ok(missing);
  const copy = new Y.Doc();
  Y.applyUpdate(copy, target);
  Y.applyUpdate(copy, missing);
  assert.deepEqual(copy.getMap('posts').get('late'), { body: 'offline' });
  assert.equal(copy.getText('summary').toString(), doc.getText('summary').toString());
});
