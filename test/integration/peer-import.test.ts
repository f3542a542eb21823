// Bundles into relays: a wiped or new relay is re-seeded from a .baton file, at start-up
// (--import) or over POST /v1/bundles: every room validated, all rooms or none.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, it } from 'vitest';
import * as Y from 'yjs';
import { encodeBundle, type Bundle } from '#shared';
import { startRelay, type Relay } from '#server/index.ts';
import { Workspace } from './cli-harness.ts';
import { makeSpace } from './relay-fixtures.ts';
import { blobsAt, countAt, docWith, sealText, writeBlobs } from './peer-fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'baton-import-'));
const relays: Relay[] = [];
afterAll(async () => {
  await Promise.all(relays.map((r) => r.close()));
  rmSync(dir, { recursive: true, force: true });
});

async function relay(options: Parameters<typeof startRelay>[0] = {}): Promise<Relay> {
  const started = await startRelay({ port: 0, host: '127.0.0.1', log: () => {}, ...options });
  relays.push(started);
  return started;
}

async function twoRooms(): Promise<{ bundle: Bundle; counts: Map<string, number> }> {
  const a = await makeSpace();
  const b = await makeSpace();
  const bundle: Bundle = new Map();
  bundle.set(a.room, Y.encodeStateAsUpdate(docWith([sealText(a, 'a1'), sealText(a, 'a2')])));
  bundle.set(b.room, Y.encodeStateAsUpdate(docWith([sealText(b, 'b1')])));
  return { bundle, counts: new Map([[a.room, 2], [b.room, 1]]) };
}

it('a new relay started with --import serves every room of the bundle', async () => {
  const { bundle, counts } = await twoRooms();
  const file = join(dir, 'seed.baton');
  writeFileSync(file, encodeBundle(bundle));
  const seeded = await relay({ importFile: file, dataDir: join(dir, 'seeded') });
  assert.equal(seeded.imported?.added, 3);
  for (const [room, count] of counts) assert.equal(await countAt(seeded, room), count);
  assert.deepEqual((await (await fetch(`${seeded.url}/v1/rooms`)).json()), { rooms: [...counts.keys()].sort() });
});

it('a bundle with one bad room stops start-up and imports nothing', async () => {
  const { bundle } = await twoRooms();
  const other = await makeSpace();
  const victim = [...bundle.keys()][1]!;
  bundle.set(victim, Y.encodeStateAsUpdate(docWith([sealText(other, 'signed for another space')])));
  const file = join(dir, 'bad.baton');
  writeFileSync(file, encodeBundle(bundle));
  const dataDir = join(dir, 'refused');
  await assert.rejects(relay({ importFile: file, dataDir }), /cannot import .*bad-blob/);
  const empty = await relay({ dataDir });
  assert.deepEqual((await (await fetch(`${empty.url}/v1/rooms`)).json()), { rooms: [] });
  await assert.rejects(relay({ importFile: join(dir, 'missing.baton') }), /cannot import/);
});

it('POST /v1/bundles imports into a running relay, per room counts; a bad bundle changes nothing', async () => {
  const target = await relay();
  const { bundle, counts } = await twoRooms();
  const res = await fetch(`${target.url}/v1/bundles`, { method: 'POST', body: encodeBundle(bundle) });
  assert.equal(res.status, 200);
  const body = (await res.json()) as { rooms: Record<string, number>; added: number };
  assert.equal(body.added, 3);
  for (const [room, count] of counts) assert.equal(body.rooms[room], count);
  const again = (await (await fetch(`${target.url}/v1/bundles`, { method: 'POST', body: encodeBundle(bundle) })).json()) as { added: number };
  assert.equal(again.added, 0, 'importing twice adds nothing');

  const bad = new Map(bundle);
  const fresh = await makeSpace();
  bad.set(fresh.room, Y.encodeStateAsUpdate(docWith([sealText(fresh, 'ok')])));
  bad.set((await makeSpace()).room, new Uint8Array([1, 2, 3]));
  const refused = await fetch(`${target.url}/v1/bundles`, { method: 'POST', body: encodeBundle(bad) });
  assert.equal(refused.status, 400);
  assert.equal(((await refused.json()) as { error: string }).error, 'bad-update');
  assert.equal(await countAt(target, fresh.room), 0, 'all rooms or none');
  const junk = await fetch(`${target.url}/v1/bundles`, { method: 'POST', body: '{"baton": "nope"}' });
  assert.equal(junk.status, 400);
});

it('`baton import F --relay URL` re-seeds a relay, and a peer picks the rooms up', async () => {
  const source = await relay();
  const space = await makeSpace();
  await writeBlobs(source, space.room, [sealText(space, 'x'), sealText(space, 'y')]);
  const file = join(dir, 'cli.baton');
  writeFileSync(file, encodeBundle(new Map([[space.room, new Uint8Array(await (await fetch(`${source.url}/v1/rooms/${space.room}`)).arrayBuffer())]])));
  const peer = await relay();
  const target = await relay({ peers: [peer.url], peerSyncMs: 150 });
  const ws = new Workspace();
  try {
    const result = await ws.device('d').run('import', file, '--relay', target.url);
    assert.equal(result.code, 0, result.stderr);
    assert.equal((await blobsAt(target, space.room)).length, 2);
    const start = Date.now();
    while ((await countAt(peer, space.room)) < 2 && Date.now() - start < 5000) await new Promise((r) => setTimeout(r, 25));
    assert.equal(await countAt(peer, space.room), 2);
  } finally {
    await ws.close();
  }
});
