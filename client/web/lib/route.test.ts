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

test('a post of a thread: by the thread of a board, or in a thread link; never on a board alone', () => {
  const text = formatCapability(createSpace('board', ['http://127.0.0.1:9']));
  const threadId = createSpace('thread').spaceId;
  const postId = 'P'.repeat(22);
  const r = parseRoute(routeHash(text, threadId, postId), null);
  assert.ok(r.view === 'space' && r.thread === threadId && r.post === postId && r.text === text, JSON.stringify(r));
  const board = parseRoute(`${routeHash(text)}&post=${postId}`, null);
  assert.ok(board.view === 'space' && board.post === null && board.text === text);
  const thread = formatCapability(createSpace('thread'));
  const t = parseRoute(routeHash(thread, null, postId), null);
  assert.ok(t.view === 'space' && t.post === postId && t.text === thread);
});

test('an empty fragment is the start screen; garbage is an error, never a throw', () => {
  assert.deepEqual(parseRoute('#', null), { view: 'start' });
  assert.equal(parseRoute('#baton:board:nope', null).view, 'error');
  assert.equal(parseRoute('#%E0%A4%A', null).view, 'error');
});

test('a fragment with escaped spaces or line breaks inside opens; a damaged one says so in plain words', () => {
  const text = formatCapability(createSpace('board'), 'read');
  const broken = `#${text.slice(0, 30)}%20${text.slice(30, 70)}%0A${text.slice(70)}.`;
  const route = parseRoute(broken, null);
  assert.ok(route.view === 'space' && route.text === text, JSON.stringify(route));
  const damaged = parseRoute(`#${text.slice(0, -4)}`, null);
  assert.ok(damaged.view === 'error');
  assert.match(damaged.message, /^This link is damaged: its key is cut short or changed\./);
});
