// The store acceptance suite against the sealed store of a locked data directory, over the
// file store, each test in a fresh temporary directory; damage is done to the stand-in
// room's files, as a crash or a bad disk would do it.
import { describe, it } from 'vitest';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initSodium } from '#shared';
import { runRoomStoreTests, type RoomStoreFixture } from '#client-core/store-acceptance.ts';
import { SealedStore } from '#client-core/sealed-store.ts';
import { Vault } from '#client-core/vault.ts';
import { MemoryStore } from '#client-core/store.ts';
import { FileStore, fileBase } from './file-store.ts';

await initSodium();

runRoomStoreTests('sealed, over files', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-sealed-acceptance-'));
  const vault = new Vault(Vault.newDataKey());
  const open = () => new SealedStore(new FileStore(dir), vault);
  const sealed = () => f.store as SealedStore;
  const file = (room: Parameters<typeof fileBase>[0], suffix: string) => join(dir, 'rooms', fileBase(sealed().standIn(room)) + suffix);
  const f: RoomStoreFixture = {
    store: open(),
    async reopen() {
      await f.store.close();
      return open();
    },
    async damage(room) {
      appendFileSync(file(room, '.log'), new Uint8Array([0, 0, 0, 9, 1, 2]));
    },
    async damageMeta(room, value) {
      await sealed().saveRawMeta(room, value);
    },
    async unreadable(room) {
      rmSync(file(room, '.log'));
      mkdirSync(file(room, '.log'));
    },
    async teardown() {
      await f.store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return f;
}, { describe, it });

runRoomStoreTests('sealed, over memory', async () => {
  const f: RoomStoreFixture = {
    store: new SealedStore(new MemoryStore(), new Vault(Vault.newDataKey())),
    async damageMeta(room, value) {
      await (f.store as SealedStore).saveRawMeta(room, value);
    },
    async teardown() {
      await f.store.close();
    },
  };
  return f;
}, { describe, it });
