// The store acceptance suite against the file store, each test in a fresh temporary data
// directory: reopened by a new FileStore on the same directory, damaged the way a crash or a
// bad disk damages its files.
import { describe, it } from 'vitest';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runRoomStoreTests, type RoomStoreFixture } from '#client-core/store-acceptance.ts';
import { FileStore, fileBase } from './file-store.ts';

runRoomStoreTests('file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-store-acceptance-'));
  const file = (room: Parameters<typeof fileBase>[0], suffix: string) => join(dir, 'rooms', fileBase(room) + suffix);
  const f: RoomStoreFixture = {
    store: new FileStore(dir),
    async reopen() {
      await f.store.close();
      return new FileStore(dir);
    },
    // A record cut short: its header promises more bytes than the file holds.
    async damage(room) {
      appendFileSync(file(room, '.log'), new Uint8Array([0, 0, 0, 9, 1, 2]));
    },
    async damageMeta(room, value) {
      writeFileSync(file(room, '.meta.json'), JSON.stringify(value));
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
