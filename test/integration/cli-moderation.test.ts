// The moderation commands as users run them: separate devices (data directories), one relay.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { Workspace, json, type BoardCaps } from './cli-harness.ts';

interface Post {
  id: string;
  body: string;
  deleted: boolean;
  edited: boolean;
  hidden: boolean;
  hiddenReason?: string;
  history: { body: string }[];
}
interface Read {
  board: { owner: string | null; moderators: string[] } | null;
  threads: { id: string; posts: Post[]; summaryEditors: string[] }[];
}

test('delete, edit, hide and moderators from the command line, seen on other devices', async () => {
  const ws = new Workspace();
  try {
    const relay = await ws.relay();
    const [alice, bob, carol] = [ws.device('alice'), ws.device('bob'), ws.device('carol')];
    const aliceId = json<{ publicKey: string; safetyCode: string }>(await alice.run('identity', 'show', '--name', 'alice'));
    assert.match(aliceId.safetyCode, /^\d{4}( \d{4}){4}$/);
    const bobKey = json<{ publicKey: string }>(await bob.run('identity', 'show', '--name', 'bob')).publicKey;

    const caps = json<BoardCaps>(await alice.run('board', 'create', '--relay', relay.url, '--title', 'Square'));
    assert.ok(caps.read.endsWith(`&owner=${aliceId.publicKey}`));
    const thread = json<{ id: string }>(await alice.run('thread', 'create', caps.write, '--title', 'Meeting', '--body', 'Saturday'));
    const kept = json<{ id: string }>(await bob.run('post', caps.write, '--thread', thread.id, '--body', 'water')).id;
    const gone = json<{ id: string }>(await bob.run('post', caps.write, '--thread', thread.id, '--body', 'my street address')).id;

    // Only the author may delete or edit.
    const refused = await alice.run('delete', caps.write, '--thread', thread.id, '--post', gone);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /only its author/);
    json(await bob.run('edit', caps.write, '--thread', thread.id, '--post', kept, '--body', 'water and bread'));
    json(await bob.run('delete', caps.write, '--thread', thread.id, '--post', gone));

    let seen = json<Read>(await carol.run('read', caps.read, '--json'));
    assert.equal(seen.board?.owner, aliceId.publicKey);
    assert.deepEqual(seen.board?.moderators, []);
    const byId = (r: Read, id: string) => r.threads[0]!.posts.find((p) => p.id === id)!;
    assert.deepEqual([byId(seen, kept).body, byId(seen, kept).edited, byId(seen, kept).history.map((h) => h.body)], ['water and bread', true, ['water']]);
    assert.deepEqual([byId(seen, gone).body, byId(seen, gone).deleted], ['', true]);

    // Bob cannot hide (no moderator); once appointed he can.
    const notYet = await bob.run('hide', caps.write, '--thread', thread.id, '--post', kept);
    assert.equal(notYet.code, 1);
    assert.match(notYet.stderr, /owner or a moderator/);
    const notOwner = await bob.run('moderators', 'add', caps.write, bobKey);
    assert.equal(notOwner.code, 1, `exit ${notOwner.code}: ${notOwner.stderr}`);
    json(await alice.run('moderators', 'add', caps.write, bobKey));
    json(await bob.run('hide', caps.write, '--thread', thread.id, '--post', kept, '--reason', 'off topic'));
    seen = json<Read>(await carol.run('read', caps.read, '--json'));
    assert.deepEqual(seen.board?.moderators, [bobKey]);
    assert.deepEqual([byId(seen, kept).hidden, byId(seen, kept).hiddenReason, byId(seen, kept).body], [true, 'off topic', 'water and bread']);
    const text = await carol.run('read', caps.read);
    assert.match(text.stdout, /hidden by a moderator: off topic/);
    assert.match(text.stdout, /deleted by its author/);
    assert.doesNotMatch(text.stdout, /my street address/);

    json(await alice.run('moderators', 'remove', caps.write, bobKey));
    seen = json<Read>(await carol.run('read', caps.read, '--json'));
    assert.deepEqual([seen.board?.moderators, byId(seen, kept).hidden], [[], false]);

    // Carol compares Bob's safety code and marks his key verified on her device.
    const code = json<{ safetyCode: string; verified: boolean }>(await carol.run('identity', 'code', bobKey));
    assert.deepEqual(code, { publicKey: bobKey, safetyCode: json<{ safetyCode: string }>(await bob.run('identity', 'show')).safetyCode, verified: false });
    json(await carol.run('identity', 'verify', bobKey, 'bob'));
    seen = json<Read>(await carol.run('read', caps.read, '--json'));
    assert.equal((byId(seen, kept) as Post & { keyVerified: boolean }).keyVerified, true);
    assert.match((await carol.run('read', caps.read)).stdout, /bob \[[\w-]{8}\] \(verified\)/);

    const usage = await carol.run('moderators', 'promote', caps.write, bobKey);
    assert.equal(usage.code, 2);
    const badKey = await alice.run('moderators', 'add', caps.write, 'nope');
    assert.equal(badKey.code, 2);
  } finally {
    await ws.close();
  }
}, 120_000);
