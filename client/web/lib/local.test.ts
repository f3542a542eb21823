import { test } from 'vitest';
import assert from 'node:assert/strict';
import { LocalState, type KnownSpace } from './local.ts';

class MapStorage implements Storage {
  private m = new Map<string, string>();
  get length() {
    return this.m.size;
  }
  clear() {
    this.m.clear();
  }
  getItem(k: string) {
    return this.m.get(k) ?? null;
  }
  key(i: number) {
    return [...this.m.keys()][i] ?? null;
  }
  removeItem(k: string) {
    this.m.delete(k);
  }
  setItem(k: string, v: string) {
    this.m.set(k, v);
  }
}

const space = (level: KnownSpace['level'], openedAt: number, title = 'Board'): KnownSpace => ({
  spaceId: 'S'.repeat(43),
  kind: 'board',
  cap: `baton:board:${'S'.repeat(43)}`,
  level,
  title,
  openedAt,
});

test('a space opened again with less access keeps its higher capability', () => {
  const local = new LocalState(new MapStorage());
  local.remember(space('write', 1));
  local.remember(space('read', 2, ''));
  const [s] = local.knownSpaces();
  assert.equal(s!.level, 'write');
  assert.equal(s!.openedAt, 2);
  assert.equal(s!.title, 'Board');
});

test('drafts and blob refs survive a round trip; damaged entries read as empty', () => {
  const storage = new MapStorage();
  const local = new LocalState(storage);
  local.saveDraft('t', { body: 'Relays keep us going', replyTo: null });
  assert.equal(new LocalState(storage).draft('t').body, 'Relays keep us going');
  local.saveDraft('t', { body: '', replyTo: null });
  assert.equal(storage.getItem('baton:draft:t'), null);
  local.saveBlobOf('t', 'p', { client: 7, clock: 3 });
  assert.deepEqual(local.blobOf('t', 'p'), { client: 7, clock: 3 });
  storage.setItem('baton:spaces', '{not json');
  storage.setItem('baton:blobs:t', '{"p":{"client":"x"}}');
  assert.deepEqual(local.knownSpaces(), []);
  assert.equal(local.blobOf('t', 'p'), null);
  assert.deepEqual(new LocalState(null).draft('x'), { body: '', replyTo: null });
});

test('relays the user added to a board stay, per board, until removed; hostile storage gives none', () => {
  const storage = new MapStorage();
  const local = new LocalState(storage);
  local.addOwnRelay('board-a', 'https://one.example');
  local.addOwnRelay('board-a', 'https://two.example');
  local.addOwnRelay('board-a', 'https://one.example');
  assert.deepEqual(local.ownRelays('board-a'), ['https://two.example', 'https://one.example']);
  assert.deepEqual(new LocalState(storage).ownRelays('board-a'), ['https://two.example', 'https://one.example'], 'kept across pages');
  assert.deepEqual(local.ownRelays('board-b'), []);
  local.removeOwnRelay('board-a', 'https://two.example');
  local.removeOwnRelay('board-a', 'https://one.example');
  assert.deepEqual(local.ownRelays('board-a'), []);
  assert.equal(storage.getItem('baton:relays:board-a'), null);
  storage.setItem('baton:relays:board-c', JSON.stringify(['javascript:alert(1)', 7, 'https://ok.example']));
  assert.deepEqual(local.ownRelays('board-c'), ['https://ok.example']);
  storage.setItem('baton:relays:board-d', '{not json');
  assert.deepEqual(local.ownRelays('board-d'), []);
});

test('the newest post seen in a thread only moves forward, and a damaged entry reads as none', () => {
  const storage = new MapStorage();
  const local = new LocalState(storage);
  assert.equal(local.lastSeen('T'), null);
  local.saveLastSeen('T', 2000);
  local.saveLastSeen('T', 1000);
  assert.equal(local.lastSeen('T'), 2000);
  storage.setItem('baton:seen:T', '"soon"');
  assert.equal(local.lastSeen('T'), null);
});
