import { test } from 'vitest';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSpace, generateIdentity, initSodium, roomName, utf8 } from '#shared';
import { Space } from '#client-core/space.ts';
import type { ClientProblem } from '#client-core/problems.ts';
import { FileStore, readRecords } from './file-store.ts';
import { lockDataDir } from './lock.ts';

await initSodium();

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'baton-store-'));
  try {
    await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a restart keeps every write, compacted, and ciphertext only', () =>
  withDir(async (dir) => {
    const cap = createSpace('thread');
    const identity = generateIdentity();
    const first = await Space.open(cap, { store: new FileStore(dir), identity });
    for (let i = 0; i < 5; i++) {
      first.requireWrite().getMap('posts').set(`p${i}`, `secret body ${i}`);
      first.flush();
    }
    const ownBefore = first.localWrites().map((w) => `${w.client}:${w.clock}`);
    await first.close();
    const [log] = readdirSync(join(dir, 'rooms')).filter((f) => f.endsWith('.log'));
    const bytes = readFileSync(join(dir, 'rooms', log!));
    assert.equal(readRecords(bytes).updates.length, 5, 'one appended record per blob');
    assert.equal(bytes.toString('latin1').includes('secret body'), false, 'no plaintext on disk');

    const problems: ClientProblem[] = [];
    const second = await Space.open(cap, { store: new FileStore(dir), identity, onProblem: (p) => problems.push(p) });
    await second.saved();
    assert.deepEqual(problems, []);
    assert.equal(second.requireRead().getMap('posts').get('p4'), 'secret body 4');
    assert.deepEqual(second.localWrites().map((w) => `${w.client}:${w.clock}`), ownBefore, 'the outbox survives a restart');
    assert.equal(readRecords(readFileSync(join(dir, 'rooms', log!))).updates.length, 1, 'compacted on load');
    assert.deepEqual(await new FileStore(dir).rooms(), [roomName(cap.spaceId, 0)]);
    await second.close();
  }));

test('a damaged file is reported, its intact part kept, and the original set aside', () =>
  withDir(async (dir) => {
    const cap = createSpace('thread');
    const identity = generateIdentity();
    const space = await Space.open(cap, { store: new FileStore(dir), identity });
    space.requireWrite().getMap('posts').set('kept', 1);
    space.flush();
    await space.close();
    const path = join(dir, 'rooms', readdirSync(join(dir, 'rooms')).find((f) => f.endsWith('.log'))!);
    const intact = readFileSync(path).length;
    appendFileSync(path, new Uint8Array([0, 0, 0, 9, 1, 2])); // a record cut short by a crash

    const problems: ClientProblem[] = [];
    const reopened = await Space.open(cap, { store: new FileStore(dir), identity, onProblem: (p) => problems.push(p) });
    await reopened.saved();
    assert.deepEqual(problems, [{ kind: 'store-damaged', at: intact, room: roomName(cap.spaceId, 0) }]);
    assert.equal(reopened.requireRead().getMap('posts').get('kept'), 1);
    assert.ok(readdirSync(join(dir, 'rooms')).some((f) => f.includes('.damaged-')), 'the damaged original is kept aside');
    await reopened.close();

    // A record that decodes but is not a valid update is refused, not applied.
    writeFileSync(path, new Uint8Array([0, 0, 0, 3, ...utf8('bad')]));
    const problems2: ClientProblem[] = [];
    const again = await Space.open(cap, { store: new FileStore(dir), identity, onProblem: (p) => problems2.push(p) });
    assert.deepEqual(
      problems2.map((p) => p.kind === 'stored-update-refused' && [p.room, p.reason]),
      [[roomName(cap.spaceId, 0), 'malformed']],
    );
    assert.equal(again.requireRead().getMap('posts').size, 0);
    await again.close();
    const aside = readdirSync(join(dir, 'rooms')).filter((f) => f.includes('.damaged-'));
    assert.equal(aside.length, 2, 'a refused record is set aside too, never destroyed');
  }));

test('a data directory is used by one process at a time; a dead holder is taken over', () =>
  withDir(async (dir) => {
    const lock = await lockDataDir(dir);
    await assert.rejects(lockDataDir(dir, 100), /in use by process/);
    lock.release();
    writeFileSync(join(dir, 'lock'), '999999999');
    const taken = await lockDataDir(dir, 100);
    taken.release();
  }));
