// Runs the storage acceptance suite against every adapter.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runStorageAdapterTests } from './acceptance.ts';
import { MemoryStorage } from './memory.ts';
import { SqliteStorage } from './sqlite.ts';
import type { RelayStorage } from './types.ts';

runStorageAdapterTests('memory', async () => {
  const storage = new MemoryStorage();
  return { storage, teardown: () => storage.close() };
});

runStorageAdapterTests('sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-storage-'));
  let current: RelayStorage = new SqliteStorage(dir);
  return {
    storage: current,
    reopen: async () => {
      await current.close();
      current = new SqliteStorage(dir);
      return current;
    },
    teardown: async () => {
      await current.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
