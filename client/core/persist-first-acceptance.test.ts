// The store acceptance suite through the persist-first wrapper: tracking its writes must not
// change what a store keeps.
import { describe, it } from 'vitest';
import { TrackedStore } from './persist-first.ts';
import { runRoomStoreTests } from './store-acceptance.ts';
import { MemoryStore } from './store.ts';

runRoomStoreTests('memory, persist-first', async () => {
  const store = new TrackedStore(new MemoryStore());
  return { store, teardown: () => store.close() };
}, { describe, it });
