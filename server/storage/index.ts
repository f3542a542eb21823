// Picks the storage adapter for a relay's configuration.
import type { RelayConfig } from '../config.ts';
import { loadOptional } from '../optional-package.ts';
import { MemoryStorage } from './memory.ts';
import { SqliteStorage } from './sqlite.ts';
import type { RelayStorage } from './types.ts';

export type { AppendEntry, RelayStorage, StoredRoom } from './types.ts';
export { MemoryStorage } from './memory.ts';
export { SqliteStorage } from './sqlite.ts';

export async function openStorage(config: Pick<RelayConfig, 'dataDir' | 'durability' | 'postgres'>): Promise<RelayStorage> {
  if (config.postgres !== undefined) {
    const { PostgresStorage } = await loadOptional('pg', '--postgres', () => import('./postgres.ts'));
    return PostgresStorage.open(config.postgres);
  }
  return config.dataDir === undefined ? new MemoryStorage() : new SqliteStorage(config.dataDir, config.durability);
}
