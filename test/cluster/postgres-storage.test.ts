// The storage acceptance suite against a real PostgreSQL, each test on a fresh database, plus
// what only a shared database has: nodes appending to one room at once.
import assert from 'node:assert/strict';
import { afterAll, describe, it } from 'vitest';
import pg from 'pg';
import { runStorageAdapterTests } from '#server/storage/acceptance.ts';
import { PostgresStorage } from '#server/storage/postgres.ts';
import type { RelayStorage } from '#server/storage/types.ts';
import { startPostgres } from './services.ts';
import { hasSystemPackage } from '../support/system.ts';

// Skipped, with one line from the global setup, where postgresql is missing.
const missing = !hasSystemPackage('postgresql');

const server = await startPostgres();
afterAll(() => server.stop());
let databases = 0;

async function freshDatabase(): Promise<string> {
  const name = `acceptance_${++databases}`;
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return server.url.replace(/\/postgres$/, `/${name}`);
}

runStorageAdapterTests('postgres', async () => {
  const url = await freshDatabase();
  let current: RelayStorage = await PostgresStorage.open(url);
  return {
    storage: current,
    reopen: async () => {
      await current.close();
      current = await PostgresStorage.open(url);
      return current;
    },
    teardown: () => current.close(),
  };
});

const ROOM = 'R'.repeat(43) + '.0';

describe.skipIf(missing)('postgres storage shared by several nodes', () => {
  it('creates the schema once when nodes start together, and refuses a newer schema', async () => {
    const url = await freshDatabase();
    const nodes = await Promise.all([1, 2, 3].map(() => PostgresStorage.open(url)));
    await nodes[0]!.append([{ room: ROOM, update: new Uint8Array([1]) }]);
    assert.equal((await nodes[2]!.load(ROOM)).updates.length, 1);
    await Promise.all(nodes.map((n) => n.close()));
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query("UPDATE baton_meta SET value = '99' WHERE key = 'schema'");
    await admin.end();
    await assert.rejects(PostgresStorage.open(url), /schema 99/);
  });

  it('loses no row when nodes append and compact one room concurrently', async () => {
    const url = await freshDatabase();
    const nodes = await Promise.all([1, 2, 3].map(() => PostgresStorage.open(url)));
    const writes: Promise<void>[] = [];
    for (let i = 0; i < 60; i++) {
      const node = nodes[i % 3]!;
      writes.push(node.append([{ room: ROOM, update: new Uint8Array([i]) }]));
      if (i % 10 === 9) {
        // Compacts whatever this node sees: a prefix of the room, merged as the concatenation.
        writes.push(
          (async () => {
            const seen = await node.load(ROOM);
            const merged = new Uint8Array(seen.updates.flatMap((u) => [...u]));
            await node.compact(ROOM, seen.throughSeq, [merged]);
          })(),
        );
      }
    }
    await Promise.all(writes);
    const all = (await nodes[0]!.load(ROOM)).updates.flatMap((u) => [...u]).sort((a, b) => a - b);
    assert.deepEqual(all, Array.from({ length: 60 }, (_, i) => i));
    await Promise.all(nodes.map((n) => n.close()));
  });
});
