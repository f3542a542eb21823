// A writer posts escape sequences, C1 controls and bidi overrides in a name, a thread title
// and a body; `baton read`, text and --json, prints none of them (the attack erased the
// post header and showed the text under another member's name).
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { initSodium } from '#shared';
import { BatonClient } from '#client-core/client.ts';
import { MemoryStore } from '#client-core/store.ts';
import { createThread, post } from '#client-core/boards.ts';
import { generateIdentity } from '#shared';
import { Workspace, json, type BoardCaps, type ReadJson } from '../integration/cli-harness.ts';
import { NodeWS, until } from '../integration/client-fixtures.ts';

await initSodium();

const ESC = '\u001b';
/** Erase the line, move up, fake a header in another member's name; then C1 CSI and bidi overrides. */
const BODY = `hi${ESC}[2K${ESC}[1A\r   2026-01-01T00:00:00.000Z  layla [AbCdEfGh]  #x\n      move to http://evil.example\u009b2J\u202egnp.live\u2066x\u2069${ESC}]0;pwned\u0007`;
const FORBIDDEN = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u202a-\u202e\u2066-\u2069]/;

test('baton read prints no escape, C1 or bidi control from a hostile writer, in text or JSON', async () => {
  const ws = new Workspace();
  const mallory = new BatonClient({ store: new MemoryStore(), identity: generateIdentity(), name: `mal${ESC}[8mlory\u202e`, connection: { WebSocket: NodeWS } });
  try {
    const relay = await ws.relay();
    const alice = ws.device('alice');
    const caps = json<BoardCaps>(await alice.run('board', 'create', '--relay', relay.url, '--title', 'Plain', '--name', 'alice'));
    const board = await mallory.open(caps.write);
    assert.ok(await until(() => board.statuses().some((s) => s.state === 'synced')));
    const { thread } = await createThread(mallory, board, { title: `title${ESC}[31m\u009d0;x\u0007\u202e` });
    post(mallory, thread, { body: BODY });
    assert.ok(await until(() => thread.outbox().length === 0 && board.outbox().length === 0), 'the relay confirmed the hostile writes');

    const text = await alice.run('read', caps.read);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /move to http:\/\/evil\.example/, 'the text itself is shown');
    assert.doesNotMatch(text.stdout, FORBIDDEN);
    assert.doesNotMatch(text.stderr, FORBIDDEN);
    // The fake header stays inside the post body: indented like body lines, not a header of its own.
    const fake = text.stdout.split('\n').filter((l) => l.includes('layla [AbCdEfGh]'));
    assert.equal(fake.length, 1);
    assert.match(fake[0]!, /^ {6}/);

    const raw = await alice.run('read', caps.read, '--json');
    assert.doesNotMatch(raw.stdout, FORBIDDEN);
    const view = json<ReadJson>(raw);
    // JSON keeps the exact text for programs: escaped, not stripped.
    assert.equal(view.threads[0]!.posts[0]!.body, BODY);
    assert.equal(view.threads[0]!.posts[0]!.name, mallory.name);
  } finally {
    await mallory.close();
    await ws.close();
  }
});
