// The store acceptance suite against the memory store (it keeps nothing across a reopen).
import { describe, it } from 'vitest';
import { runRoomStoreTests } from './store-acceptance.ts';
import { MemoryStore } from './store.ts';

runRoomStoreTests('memory', async () => {
  const store = new MemoryStore();
  return { store, teardown: () => store.close() };
}, { describe, it });
