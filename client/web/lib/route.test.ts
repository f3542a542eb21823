import { test, beforeAll } from 'vitest';
import assert from 'node:assert/strict';
import { createSpace, formatCapability, initSodium } from '#shared';
import { parseRoute, routeHash, servingRelay } from './route.ts';

beforeAll(async () => {
  await initSodium();
});

test('the serving relay is the page address without index.html, and none from file://', () => {
  assert.equal(servingRelay({ protocol: 'http:', origin: 'http://127.0.0.1:8080', pathname: '/' }), 'http://127.0.0.1:8080');
  assert.equal(servingRelay({ protocol: 'https:', origin: 'https://r.test', pathname: '/baton/index.html' }), 'https://r.test/baton');
  assert.equal(servingRelay({ protocol: 'file:', origin: 'null', pathname: '/tmp/baton.html' }), null);
});

test('a board link, a thread inside it, and back', () => {
  const cap = createSpace('board', ['http://127.0.0.1:9']);
  const text = formatCapability(cap);
  const threadId = createSpace('thread').spaceId;
  const board = parseRoute(routeHash(text), 'http://127.0.0.1:8080');
  assert.equal(board.view, 'space');
  if (board.view !== 'space') return;
  assert.equal(board.text, text);
  assert.equal(board.thread, null);
  assert.deepEqual(board.cap.relays.sort(), ['http://127.0.0.1:8080', 'http://127.0.0.1:9']);
  const thread = parseRoute(routeHash(text, threadId), null);
  assert.ok(thread.view === 'space' && thread.thread === threadId && thread.text === text);
  const bare = formatCapability(createSpace('board'));
  const t2 = parseRoute(routeHash(bare, threadId), null);
  assert.ok(t2.view === 'space' && t2.text === bare && t2.thread === threadId);
});

test('an empty fragment is the start screen; garbage is an error, never a throw', () => {
  assert.deepEqual(parseRoute('#', null), { view: 'start' });
  assert.equal(parseRoute('#baton:board:nope', null).view, 'error');
  assert.equal(parseRoute('#%E0%A4%A', null).view, 'error');
});
