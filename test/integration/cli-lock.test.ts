// The passphrase lock of a CLI data directory, with real files and a real relay: once locked,
// nothing in the directory (file names or contents) holds a capability, a key, a space id, a
// title or a post; commands without the passphrase, or with a wrong one, exit 5 and say why,
// each wrong attempt making the next wait longer; the right one opens everything again, and
// baton wipe removes what Baton wrote and nothing else.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { initSodium } from '#shared';
import { Workspace, baton as batonCli, json, type BoardCaps, type ReadJson } from './cli-harness.ts';
import { findSecrets, secretsOfCapability, type Secret } from '../support/secret-search.ts';

/** `baton` on a data directory (given as --data unless `data` is false), with more environment. */
function baton(dir: string, args: string[], env: Record<string, string> = {}, data = true) {
  return batonCli([...(data ? ['--data', dir] : []), '--timeout', '8', ...args], env);
}

/** Every file under `dir`: its path (relative, as a name can leak too) and its bytes. */
function dump(dir: string): Uint8Array {
  const parts: Buffer[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      parts.push(Buffer.from(`\n${relative(dir, path)}\n`));
      if (statSync(path).isDirectory()) walk(path);
      else parts.push(readFileSync(path));
    }
  };
  walk(dir);
  return Buffer.concat(parts);
}

test('a locked data directory gives nothing away, opens with its passphrase only, and wipes clean', { timeout: 120_000 }, async () => {
  await initSodium();
  const ws = new Workspace();
  try {
    const relay = await ws.relay();
    const alice = ws.device('alice');
    const title = 'Lanterns at the east gate';
    const body = 'The meeting moved to the bakery on Tuesday';
    const caps = json<BoardCaps>(await alice.run('board', 'create', '--relay', relay.url, '--title', title, '--name', 'Layla Haddad'));
    const thread = json<{ id: string; write: string; read: string }>(await alice.run('thread', 'create', caps.write, '--title', 'Bakery plans', '--body', body));
    json<ReadJson>(await alice.run('read', caps.read, '--json')); // binds the names too
    const omar = 'k'.repeat(43);
    json(await alice.run('identity', 'verify', omar, 'Omar from the bakery'));
    const secrets: Secret[] = [
      ...secretsOfCapability('board write', caps.write),
      ...secretsOfCapability('thread write', thread.write),
      { what: 'board title', value: title },
      { what: 'thread title', value: 'Bakery plans' },
      { what: 'post text', value: body },
      { what: 'display name', value: 'Layla Haddad' },
      { what: 'a verified name', value: 'Omar from the bakery' },
    ];
    assert.ok(findSecrets(dump(alice.dir), secrets).length > 0, 'the clear directory does hold them (the search finds what is there)');

    const pass = join(ws.root, 'pass.txt');
    writeFileSync(pass, 'a long way to the sea\n');
    const setting = json<{ locked: boolean; rooms: number; identity: boolean }>(await baton(alice.dir, ['lock', '--new-passphrase-file', pass]));
    assert.equal(setting.locked, true);
    assert.ok(setting.rooms >= 2 && setting.identity, `sealed ${JSON.stringify(setting)}`);
    assert.deepEqual(findSecrets(dump(alice.dir), secrets), [], 'nothing readable remains once locked');
    assert.deepEqual(readdirSync(alice.dir).sort(), ['device.key', 'sealed', 'vault.json']);

    // Without the passphrase: exit 5 and one clear line.
    const refused = await alice.run('read', caps.read, '--json');
    assert.equal(refused.code, 5, refused.stderr);
    assert.match(refused.stderr, /^baton: the data directory .* is locked: give its passphrase with --passphrase-file FILE or BATON_PASSPHRASE\n$/);

    // Wrong passphrases: refused, and each makes the next attempt wait longer.
    const wrong = join(ws.root, 'wrong.txt');
    writeFileSync(wrong, 'a short way to the sea');
    const starts: number[] = [];
    const ends: number[] = [];
    for (let i = 0; i < 3; i++) {
      starts.push(Date.now());
      const r = await alice.run('read', caps.read, '--passphrase-file', wrong);
      ends.push(Date.now());
      assert.equal(r.code, 5);
      assert.match(r.stderr, new RegExp(`wrong passphrase for .* \\(${i + 1} wrong in a row: the next attempt waits ${2 ** i} s\\)`));
      assert.equal(JSON.parse(readFileSync(join(alice.dir, 'vault.json'), 'utf8')).fails, i + 1, 'the count is kept on disk, so a new process waits too');
    }
    // An attempt cannot end before the wait that the one before it set (1 s, then 2 s).
    const spans = [ends[1]! - starts[0]!, ends[2]! - starts[1]!];
    console.log(`# wrong attempts: ${starts.map((s, i) => ends[i]! - s).join(', ')} ms each; spans ${spans.join(', ')} ms`);
    assert.ok(spans[0]! >= 1000 && spans[1]! >= 2000, `the waits grow: ${spans.join(', ')} ms`);

    // The right one (after its wait) opens everything: titles, posts, names, the identity.
    const back = json<ReadJson>(await alice.run('read', caps.read, '--json', '--passphrase-file', pass));
    assert.equal(back.board?.title, title);
    assert.equal(back.threads[0]?.posts[0]?.body, body);
    assert.equal(back.threads[0]?.posts[0]?.name, 'Layla Haddad');
    const verified = json<{ key: string; name: string }[]>(await alice.run('identity', 'verified', '--passphrase-file', pass));
    assert.deepEqual(verified.map((v) => [v.key, v.name]), [[omar, 'Omar from the bakery']], 'what the device remembers was sealed and is back');
    assert.equal((await alice.run('identity', 'verified')).code, 5);
    const posted = await baton(alice.dir, ['post', thread.write, '--body', 'Bring bread'], { BATON_PASSPHRASE: 'a long way to the sea' });
    assert.equal(posted.code, 0, posted.stderr);
    assert.deepEqual(findSecrets(dump(alice.dir), [...secrets, { what: 'new post', value: 'Bring bread' }]), [], 'what is written while unlocked is sealed too');

    // A new passphrase: the old one no longer opens, the new one does; nothing re-encrypted.
    const logs = () => readdirSync(join(alice.dir, 'sealed')).filter((n) => n.endsWith('.log')).map((n) => `${n}:${readFileSync(join(alice.dir, 'sealed', n)).toString('base64')}`);
    const sealedBefore = logs();
    const changed = await baton(alice.dir, ['lock', '--passphrase-file', pass], { BATON_NEW_PASSPHRASE: 'another way' });
    assert.deepEqual(logs(), sealedBefore, 'the rooms were not sealed again');
    assert.equal(json<{ locked: boolean }>(changed).locked, false);
    assert.equal((await alice.run('read', caps.read, '--passphrase-file', pass)).code, 5);
    assert.equal(json<ReadJson>(await baton(alice.dir, ['read', caps.read, '--json'], { BATON_PASSPHRASE: 'another way' })).board?.title, title);

    // Wipe: everything of Baton's goes, a file of the user's stays.
    writeFileSync(join(alice.dir, 'my-notes.txt'), 'mine');
    const wiped = await baton(alice.dir, ['wipe', '--data', alice.dir], {}, false);
    const removed = json<{ removed: string[] }>(wiped).removed.map((p) => relative(alice.dir, p)).sort();
    assert.deepEqual(removed, ['device.key', 'sealed', 'vault.json']);
    assert.match(wiped.stderr, /removed .*sealed/);
    assert.deepEqual(readdirSync(alice.dir), ['my-notes.txt']);
    assert.equal((await baton(alice.dir, ['wipe'], {}, false)).code, 2, 'a wipe names its directory');
  } finally {
    await ws.close();
  }
});
