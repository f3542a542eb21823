// A post made with the CLI brings its thread's first screen (docs/PROTOCOL.md §6, "First
// screen") up to date before the command exits, so a visitor on a slow link sees it at once.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { Workspace, firstScreenNewest, json, type BoardCaps } from './cli-harness.ts';

test('a post published with the CLI is on the first screen a relay serves when the command exits', async () => {
  const ws = new Workspace();
  try {
    const relay = await ws.relay({ dataDir: 'relay' });
    const alice = ws.device('alice');
    const caps = json<BoardCaps>(await alice.run('board', 'create', '--relay', relay.url, '--title', 'Checkpoints', '--name', 'alice'));
    const thread = json<{ id: string; write: string }>(await alice.run('thread', 'create', caps.write, '--title', 'Road north'));
    const first = json<{ id: string }>(await alice.run('post', thread.write, '--body', 'the bridge is open'));
    assert.equal(await firstScreenNewest(thread.write), first.id);
    const second = json<{ id: string }>(await alice.run('post', thread.write, '--body', 'closed again since noon'));
    assert.equal(await firstScreenNewest(thread.write), second.id, 'each post replaces it');
  } finally {
    await ws.close();
  }
});
